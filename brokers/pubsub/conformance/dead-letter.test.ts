// Dead-letter policy and retry policy through the real client: delivery attempts counted per delivery, forwarding
// after the last allowed attempt with the official emulator's attributes, and exponential backoff after a nack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialIsWrong } from './divergences';
import { pullN, pullNow, target, unique, type Target } from './target';

let t: Target;
beforeAll(async () => {
  t = await target('conformance-dead-letter');
});
afterAll(() => t?.stop());

async function nack(sub: string, ackId: string): Promise<void> {
  await t.subscriber.modifyAckDeadline({ subscription: sub, ackIds: [ackId], ackDeadlineSeconds: 0 });
}

describe('dead-letter policy', () => {
  it('counts attempts and forwards the message after the last one, with the source attributes', async () => {
    const [topic] = await t.pubsub.createTopic(unique('orders'));
    const [dead] = await t.pubsub.createTopic(unique('orders-dead'));
    const [deadSub] = await dead.createSubscription(unique('dead-reader'));
    const subId = unique('poisoned');
    const [sub] = await topic.createSubscription(subId, {
      deadLetterPolicy: { deadLetterTopic: dead.name, maxDeliveryAttempts: 5 },
    });
    await topic.publishMessage({ data: Buffer.from('poison'), attributes: { order: '42' } });
    const attempts: number[] = [];
    let publishTime = 0;
    for (let i = 0; i < 5; i++) {
      const [m] = await pullN(t, sub.name, 1);
      attempts.push(m!.deliveryAttempt);
      publishTime = m!.publishTime;
      await nack(sub.name, m!.ackId);
    }
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    // The official emulator forwards only when it next tries to deliver from the source subscription.
    if (officialIsWrong('dead-letter-on-next-pull')) expect(await pullNow(t, sub.name)).toEqual([]);
    const [forwarded] = await pullN(t, deadSub.name, 1);
    expect(forwarded!.data).toBe('poison');
    expect(forwarded!.attributes).toEqual({
      order: '42',
      CloudPubSubDeadLetterSourceDeliveryCount: '5',
      CloudPubSubDeadLetterSourceSubscription: subId,
      CloudPubSubDeadLetterSourceSubscriptionProject: t.projectId,
      CloudPubSubDeadLetterSourceTopicPublishTime: new Date(publishTime).toISOString(),
    });
    expect(await pullNow(t, sub.name)).toEqual([]);
  });

  it('leaves delivery_attempt at 0 without a dead-letter policy', async () => {
    const [topic] = await t.pubsub.createTopic(unique('plain'));
    const [sub] = await topic.createSubscription(unique('plain'));
    await topic.publishMessage({ data: Buffer.from('x') });
    const [m] = await pullN(t, sub.name, 1);
    await nack(sub.name, m!.ackId);
    const [again] = await pullN(t, sub.name, 1);
    expect([m!.deliveryAttempt, again!.deliveryAttempt]).toEqual([0, 0]);
  });
});

describe('retry policy', () => {
  it.skipIf(officialIsWrong('retry-backoff-first-gap'))(
    'holds a nacked message back for minimum_backoff, doubling up to maximum_backoff',
    async () => {
      const [topic] = await t.pubsub.createTopic(unique('retry'));
      const [sub] = await topic.createSubscription(unique('retry'), {
        retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 2 } },
      });
      expect((await sub.getMetadata())[0].retryPolicy).toEqual({
        minimumBackoff: { seconds: '1', nanos: 0 },
        maximumBackoff: { seconds: '2', nanos: 0 },
      });
      await topic.publishMessage({ data: Buffer.from('flaky') });
      const [m1] = await pullN(t, sub.name, 1);
      await nack(sub.name, m1!.ackId);
      expect(await pullNow(t, sub.name)).toEqual([]);
      await t.advance(1000);
      const [m2] = await pullN(t, sub.name, 1);
      await nack(sub.name, m2!.ackId);
      await t.advance(1000);
      expect(await pullNow(t, sub.name)).toEqual([]);
      await t.advance(1000);
      const [m3] = await pullN(t, sub.name, 1);
      expect(m3!.data).toBe('flaky');
    },
  );
});
