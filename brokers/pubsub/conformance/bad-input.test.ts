// Bad input through the real client: oversized and malformed requests get the API's error codes, an abruptly
// cancelled stream gives its messages back when their leases end, and the server carries on serving afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialIsWrong } from './divergences';
import { codeOf, pullN, target, topicWithSub, unique, type Target } from './target';

const INVALID_ARGUMENT = 3;

let t: Target;
beforeAll(async () => {
  t = await target('conformance-bad-input');
});
afterAll(() => t?.stop());

describe('bad input', () => {
  it('rejects a Publish over 1000 messages or 10 MB, and oversized attributes', async () => {
    const { topic, sub } = await topicWithSub(t, 'big');
    const many = Array.from({ length: 1001 }, (_, i) => ({ data: Buffer.from(String(i)) }));
    expect(await codeOf(t.publisher.publish({ topic, messages: many }))).toEqual({
      code: INVALID_ARGUMENT,
      details: 'Too many messages to publish',
    });
    const longKey = [{ data: Buffer.from('x'), attributes: { ['k'.repeat(257)]: 'v' } }];
    const longValue = [{ data: Buffer.from('x'), attributes: { k: 'v'.repeat(1025) } }];
    if (officialIsWrong('publish-size-limits')) {
      await t.publisher.publish({ topic, messages: [...longKey, ...longValue] });
      await pullN(t, sub, 2).then((got) =>
        t.subscriber.acknowledge({ subscription: sub, ackIds: got.map((m) => m.ackId) }),
      );
    } else {
      const huge = [{ data: Buffer.alloc(11_000_000, 1) }];
      expect((await codeOf(t.publisher.publish({ topic, messages: huge }))).code).toBe(INVALID_ARGUMENT);
      expect((await codeOf(t.publisher.publish({ topic, messages: longKey }))).code).toBe(INVALID_ARGUMENT);
      expect((await codeOf(t.publisher.publish({ topic, messages: longValue }))).code).toBe(INVALID_ARGUMENT);
    }
    // None of the rejected requests published anything; the topic still works.
    await t.publisher.publish({ topic, messages: [{ data: Buffer.from('fine') }] });
    expect((await pullN(t, sub, 1)).map((m) => m.data)).toEqual(['fine']);
  });

  it('ignores ack ids of past deliveries, refuses those of another subscription, and carries on', async () => {
    const { topic, sub } = await topicWithSub(t, 'unknown-ack');
    const other = await topicWithSub(t, 'other-ack');
    await t.publisher.publish({ topic, messages: [{ data: Buffer.from('first') }] });
    await t.publisher.publish({ topic: other.topic, messages: [{ data: Buffer.from('elsewhere') }] });
    const [first] = await pullN(t, sub, 1);
    const [elsewhere] = await pullN(t, other.sub, 1);
    await t.subscriber.acknowledge({ subscription: sub, ackIds: [first!.ackId] });
    // Acked already: a second ack or a modack of the same id is a no-op.
    await t.subscriber.acknowledge({ subscription: sub, ackIds: [first!.ackId] });
    await t.subscriber.modifyAckDeadline({
      subscription: sub,
      ackIds: [first!.ackId],
      ackDeadlineSeconds: 30,
    });
    expect(
      await codeOf(t.subscriber.acknowledge({ subscription: sub, ackIds: [elsewhere!.ackId] })),
    ).toMatchObject({ code: INVALID_ARGUMENT });
    await t.subscriber.acknowledge({ subscription: other.sub, ackIds: [elsewhere!.ackId] });
    await t.publisher.publish({ topic, messages: [{ data: Buffer.from('still served') }] });
    const [m] = await pullN(t, sub, 1);
    expect(m!.data).toBe('still served');
    await t.subscriber.acknowledge({ subscription: sub, ackIds: [m!.ackId] });
  });

  it('accepts a message near the size limit', async () => {
    const { topic, sub } = await topicWithSub(t, 'large');
    await t.publisher.publish({ topic, messages: [{ data: Buffer.alloc(9_000_000, 2) }] });
    const [m] = await pullN(t, sub, 1);
    expect(m!.data.length).toBe(9_000_000);
  });

  it('gives back the messages of a stream cancelled mid-flight once their leases end', async () => {
    const { topic, sub } = await topicWithSub(t, 'cancelled');
    const stream = t.subscriber.streamingPull();
    stream.on('error', () => {});
    const first = new Promise((resolve) => stream.once('data', resolve));
    stream.write({ subscription: sub, streamAckDeadlineSeconds: 10 });
    await t.publisher.publish({ topic, messages: [{ data: Buffer.from('orphan') }] });
    await first;
    stream.cancel();
    await t.advance(11_000);
    expect((await pullN(t, sub, 1)).map((m) => m.data)).toEqual(['orphan']);
  });

  it('rejects a stream whose first request has an ack deadline out of range', async () => {
    const { sub } = await topicWithSub(t, 'baddeadline');
    const stream = t.subscriber.streamingPull();
    const failed = new Promise<{ code?: number }>((resolve) => stream.once('error', resolve));
    stream.write({ subscription: sub, streamAckDeadlineSeconds: 601 });
    expect((await failed).code).toBe(INVALID_ARGUMENT);
    const [exists] = await t.pubsub.subscription(sub).exists();
    expect(exists).toBe(true);
  });

  it('answers NOT_FOUND to a stream on a missing subscription', async () => {
    const stream = t.subscriber.streamingPull();
    const failed = new Promise<{ code?: number }>((resolve) => stream.once('error', resolve));
    stream.write({
      subscription: `projects/${t.projectId}/subscriptions/${unique('none')}`,
      streamAckDeadlineSeconds: 10,
    });
    expect((await failed).code).toBe(5);
  });
});
