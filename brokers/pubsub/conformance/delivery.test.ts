// Publish, Pull, Acknowledge and ModifyAckDeadline through the real client: message ids and publish times, fan-out
// to the subscriptions that exist at publish time, ack deadlines, redelivery with a fresh ack id, nack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialIsWrong } from './divergences';
import { codeOf, nextMessages, pullN, pullNow, target, topicWithSub, unique, type Target } from './target';

const INVALID_ARGUMENT = 3;
const NOT_FOUND = 5;

let t: Target;
beforeAll(async () => {
  t = await target('conformance-delivery');
});
afterAll(() => t?.stop());

describe('publish', () => {
  it('assigns distinct message ids and a publish time, and keeps data, attributes and ordering key', async () => {
    const { topic, sub } = await topicWithSub(t, 'publish');
    const before = Date.now();
    const [res] = await t.publisher.publish({
      topic,
      messages: [{ data: Buffer.from('one'), attributes: { kind: 'order' } }, { data: Buffer.from('two') }],
    });
    expect(res.messageIds).toHaveLength(2);
    expect(new Set(res.messageIds).size).toBe(2);
    const got = await pullN(t, sub, 2);
    expect(got.map((m) => [m.messageId, m.data, m.attributes])).toEqual([
      [res.messageIds![0], 'one', { kind: 'order' }],
      [res.messageIds![1], 'two', {}],
    ]);
    for (const m of got) expect(Math.abs(m.publishTime - before)).toBeLessThan(60_000);
    expect(got.map((m) => m.deliveryAttempt)).toEqual([0, 0]);
  });

  it('rejects a message without data or attributes, and a missing topic', async () => {
    const { topic } = await topicWithSub(t, 'empty');
    expect(await codeOf(t.publisher.publish({ topic, messages: [{ data: Buffer.from('ok') }, {}] }))).toEqual(
      {
        code: INVALID_ARGUMENT,
        details: 'Some messages are empty',
      },
    );
    const missing = `projects/${t.projectId}/topics/${unique('missing')}`;
    expect(
      await codeOf(t.publisher.publish({ topic: missing, messages: [{ data: Buffer.from('x') }] })),
    ).toEqual({
      code: NOT_FOUND,
      details: 'Topic not found',
    });
  });

  it('accepts a message with attributes only', async () => {
    const { topic, sub } = await topicWithSub(t, 'attrs');
    await t.publisher.publish({ topic, messages: [{ attributes: { only: 'attrs' } }] });
    const [m] = await pullN(t, sub, 1);
    expect(m).toMatchObject({ data: '', attributes: { only: 'attrs' } });
  });

  it('fans out to every subscription that exists at publish time, and only to those', async () => {
    const [topic] = await t.pubsub.createTopic(unique('fanout'));
    const [early] = await topic.createSubscription(unique('early'));
    await topic.publishMessage({ data: Buffer.from('first') });
    const [late] = await topic.createSubscription(unique('late'));
    await topic.publishMessage({ data: Buffer.from('second') });
    expect((await pullN(t, early.name, 2)).map((m) => m.data)).toEqual(['first', 'second']);
    expect((await pullN(t, late.name, 1)).map((m) => m.data)).toEqual(['second']);
    expect(await pullNow(t, late.name)).toEqual([]);
  });
});

describe('acknowledgement', () => {
  it('an acked message is not delivered again', async () => {
    const { topic, sub } = await topicWithSub(t, 'acked');
    await t.publisher.publish({ topic, messages: [{ data: Buffer.from('a') }, { data: Buffer.from('b') }] });
    const got = await pullN(t, sub, 2);
    await t.subscriber.acknowledge({ subscription: sub, ackIds: got.map((m) => m.ackId) });
    await t.advance(11_000);
    expect(await pullNow(t, sub)).toEqual([]);
  });

  it('a lease that expires is delivered again with a fresh ack id', async () => {
    const { topic, sub } = await topicWithSub(t, 'expiry');
    await t.publisher.publish({ topic, messages: [{ data: Buffer.from('late') }] });
    const [first] = await pullN(t, sub, 1);
    expect(await pullNow(t, sub)).toEqual([]);
    await t.advance(11_000);
    const [second] = await pullN(t, sub, 1);
    expect(second!.messageId).toBe(first!.messageId);
    expect(second!.ackId).not.toBe(first!.ackId);
    await t.subscriber.acknowledge({ subscription: sub, ackIds: [second!.ackId] });
  });

  it('ModifyAckDeadline extends a lease, and 0 (a nack) makes the message available at once', async () => {
    const { topic, sub } = await topicWithSub(t, 'modack');
    await t.publisher.publish({ topic, messages: [{ data: Buffer.from('held') }] });
    const [m] = await pullN(t, sub, 1);
    await t.subscriber.modifyAckDeadline({ subscription: sub, ackIds: [m!.ackId], ackDeadlineSeconds: 60 });
    await t.advance(11_000);
    expect(await pullNow(t, sub)).toEqual([]);
    await t.subscriber.modifyAckDeadline({ subscription: sub, ackIds: [m!.ackId], ackDeadlineSeconds: 0 });
    const [again] = await pullN(t, sub, 1);
    expect(again).toMatchObject({ messageId: m!.messageId, data: 'held' });
    expect(again!.ackId).not.toBe(m!.ackId);
  });

  it('ModifyAckDeadline can also shorten a lease', async () => {
    const { topic, sub } = await topicWithSub(t, 'shorten', { ackDeadlineSeconds: 60 });
    await t.publisher.publish({ topic, messages: [{ data: Buffer.from('short') }] });
    const [m] = await pullN(t, sub, 1);
    await t.subscriber.modifyAckDeadline({ subscription: sub, ackIds: [m!.ackId], ackDeadlineSeconds: 10 });
    await t.advance(11_000);
    const [again] = await pullN(t, sub, 1);
    expect(again).toMatchObject({ messageId: m!.messageId, data: 'short' });
    await t.subscriber.acknowledge({ subscription: sub, ackIds: [again!.ackId] });
  });

  it('rejects a malformed ack id and an ack deadline over 600 s', async () => {
    const { topic, sub } = await topicWithSub(t, 'badack');
    expect(await codeOf(t.subscriber.acknowledge({ subscription: sub, ackIds: ['garbage'] }))).toEqual({
      code: INVALID_ARGUMENT,
      details: 'Invalid ack id (ack_id=garbage)',
    });
    await t.publisher.publish({ topic, messages: [{ data: Buffer.from('x') }] });
    const [m] = await pullN(t, sub, 1);
    const tooLong = t.subscriber.modifyAckDeadline({
      subscription: sub,
      ackIds: [m!.ackId],
      ackDeadlineSeconds: 601,
    });
    if (officialIsWrong('modack-upper-bound')) await tooLong;
    else expect((await codeOf(tooLong)).code).toBe(INVALID_ARGUMENT);
  });

  it('Pull and Acknowledge on a missing subscription answer NOT_FOUND', async () => {
    const missing = `projects/${t.projectId}/subscriptions/${unique('missing')}`;
    expect(await codeOf(t.subscriber.pull({ subscription: missing, maxMessages: 1 }))).toMatchObject({
      code: NOT_FOUND,
    });
  });
});

describe('streaming pull', () => {
  it('delivers to a streaming subscriber; a nack brings the message back with a new ack id', async () => {
    const { topic, sub: name } = await topicWithSub(t, 'stream');
    const sub = t.pubsub.subscription(name);
    const first = nextMessages(sub, 1);
    await t.pubsub.topic(topic).publishMessage({ data: Buffer.from('again') });
    const [m1] = await first;
    const second = nextMessages(sub, 1);
    m1!.nack();
    const [m2] = await second;
    expect(m2!.id).toBe(m1!.id);
    expect(m2!.data.toString()).toBe('again');
    expect(m2!.ackId).not.toBe(m1!.ackId);
    m2!.ack();
    await sub.close();
  });

  it('ends the stream with NOT_FOUND when the subscription is deleted', async () => {
    const { topic, sub: name } = await topicWithSub(t, 'deleted');
    const sub = t.pubsub.subscription(name);
    // The client closes a subscription whose last message listener goes, so one stays for the whole test.
    const received = new Promise<void>((resolve) => sub.on('message', (m) => (m.ack(), resolve())));
    await t.pubsub.topic(topic).publishMessage({ data: Buffer.from('x') });
    await received;
    const failed = new Promise<{ code?: number }>((resolve) => sub.once('error', resolve));
    await t.pubsub.subscription(name).delete();
    expect((await failed).code).toBe(NOT_FOUND);
    await sub.close();
  });

  it('a subscriber on a missing subscription gets NOT_FOUND', async () => {
    const sub = t.pubsub.subscription(unique('missing'));
    const failed = new Promise<{ code?: number }>((resolve) => sub.once('error', resolve));
    sub.on('message', () => {});
    expect((await failed).code).toBe(NOT_FOUND);
    await sub.close();
  });
});
