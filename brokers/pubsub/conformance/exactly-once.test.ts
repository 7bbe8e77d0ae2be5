// Exactly-once delivery through the real client: the subscription property reaches the streaming client (which then
// confirms each ack), and an ack or modack of an id whose lease ended fails with the ErrorInfo the client reads.
import { AckResponses, type Message } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, pullN, pullNow, target, unique, type Target } from './target';

let t: Target;
beforeAll(async () => {
  t = await target('conformance-exactly-once');
});
afterAll(() => t?.stop());

async function eodPair(prefix: string): Promise<{ topic: string; sub: string }> {
  const [topic] = await t.pubsub.createTopic(unique(`${prefix}-t`));
  const [sub] = await topic.createSubscription(unique(`${prefix}-s`), { enableExactlyOnceDelivery: true });
  expect((await sub.getMetadata())[0].enableExactlyOnceDelivery).toBe(true);
  return { topic: topic.name, sub: sub.name };
}

interface EodError {
  code?: number;
  reason?: string;
  domain?: string;
  errorInfoMetadata?: Record<string, string>;
}

async function eodErrorOf(p: Promise<unknown>): Promise<EodError> {
  await codeOf(p.catch((err) => Promise.reject(err)));
  return p.then(
    () => ({}),
    (err: EodError) => ({
      code: err.code,
      reason: err.reason,
      domain: err.domain,
      errorInfoMetadata: err.errorInfoMetadata,
    }),
  );
}

describe('exactly-once delivery', () => {
  it('rejects the stale ids of an ack with EXACTLY_ONCE_ACKID_FAILURE and applies the valid ones', async () => {
    const { topic, sub } = await eodPair('stale');
    await t.publisher.publish({ topic, messages: [{ data: Buffer.from('x') }, { data: Buffer.from('y') }] });
    const [x, y] = await pullN(t, sub, 2);
    await t.subscriber.modifyAckDeadline({ subscription: sub, ackIds: [x!.ackId], ackDeadlineSeconds: 0 });
    const failure = await eodErrorOf(
      t.subscriber.acknowledge({ subscription: sub, ackIds: [x!.ackId, y!.ackId] }),
    );
    expect(failure).toEqual({
      code: 3,
      reason: 'EXACTLY_ONCE_ACKID_FAILURE',
      domain: 'pubsub.googleapis.com',
      errorInfoMetadata: { [x!.ackId]: 'PERMANENT_FAILURE_INVALID_ACK_ID' },
    });
    const modack = t.subscriber.modifyAckDeadline({
      subscription: sub,
      ackIds: [y!.ackId],
      ackDeadlineSeconds: 30,
    });
    expect((await eodErrorOf(modack)).errorInfoMetadata).toEqual({
      [y!.ackId]: 'PERMANENT_FAILURE_INVALID_ACK_ID',
    });
    const again = await pullN(t, sub, 1);
    expect(again.map((m) => m.data)).toEqual(['x']);
  });

  it('redelivers a nacked message to a streaming subscriber, which confirms its ack', async () => {
    const { topic, sub: name } = await eodPair('stream');
    const sub = t.pubsub.subscription(name);
    const received: Message[] = [];
    const arrivals: (() => void)[] = [];
    sub.on('message', (m: Message) => {
      received.push(m);
      arrivals.shift()?.();
    });
    const next = () => new Promise<void>((resolve) => arrivals.push(resolve));
    const first = next();
    await t.pubsub.topic(topic).publishMessage({ data: Buffer.from('once') });
    await first;
    const m1 = received[0]!;
    const second = next();
    await m1.nackWithResponse();
    await second;
    const m2 = received[1]!;
    expect(m2.id).toBe(m1.id);
    expect(m2.deliveryAttempt).toBe(0);
    expect(await m2.ackWithResponse()).toBe(AckResponses.Success);
    await sub.close();
    await t.advance(61_000);
    expect(await pullNow(t, name)).toEqual([]);
  }, 90_000);
});
