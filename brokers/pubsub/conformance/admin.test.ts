// Topic and subscription administration through the real client: name rules, defaults, bounds and error codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialIsWrong } from './divergences';
import { codeOf, target, targetKind, unique, type Target } from './target';

const INVALID_ARGUMENT = 3;
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const OUT_OF_RANGE = 11;
const FAILED_PRECONDITION = 9;
const UNIMPLEMENTED = 12;

let t: Target;
beforeAll(async () => {
  t = await target('conformance-admin');
});
afterAll(() => t?.stop());

describe('topics', () => {
  it('are created, found, listed and deleted', async () => {
    const id = unique('orders');
    const [topic] = await t.pubsub.createTopic(id);
    expect(topic.name).toBe(`projects/${t.projectId}/topics/${id}`);
    expect((await topic.exists())[0]).toBe(true);
    const [all] = await t.pubsub.getTopics();
    expect(all.map((x) => x.name)).toContain(topic.name);
    await topic.delete();
    expect((await topic.exists())[0]).toBe(false);
  });

  it.each(['ab', 'goog-orders', '1orders', 'has space', 'x'.repeat(256)])(
    'reject the invalid id %j',
    async (id) => {
      const err = await codeOf(t.pubsub.createTopic(id));
      expect(err.code).toBe(INVALID_ARGUMENT);
      expect(err.details).toBe(`Invalid [topics] name: (name=projects/${t.projectId}/topics/${id})`);
    },
  );

  it('accept every character the rules allow', async () => {
    const id = `A${unique('b')}-_.~+%`;
    const [topic] = await t.pubsub.createTopic(id);
    expect(topic.name.endsWith(id)).toBe(true);
  });

  it('answer ALREADY_EXISTS for a duplicate and NOT_FOUND for a missing one', async () => {
    const id = unique('dup');
    await t.pubsub.createTopic(id);
    expect(await codeOf(t.pubsub.createTopic(id))).toEqual({
      code: ALREADY_EXISTS,
      details: 'Topic already exists',
    });
    expect(await codeOf(t.pubsub.topic(unique('missing')).getMetadata())).toEqual({
      code: NOT_FOUND,
      details: 'Topic not found',
    });
    expect(await codeOf(t.pubsub.topic(unique('missing')).delete())).toMatchObject({ code: NOT_FOUND });
  });

  it('take new labels through UpdateTopic', async () => {
    const [topic] = await t.pubsub.createTopic(unique('labelled'));
    const relabel = topic.setMetadata({ labels: { team: 'orders' } });
    if (officialIsWrong('update-labels')) {
      expect(await codeOf(relabel)).toMatchObject({ code: INVALID_ARGUMENT });
    } else {
      await relabel;
      expect((await topic.getMetadata())[0].labels).toEqual({ team: 'orders' });
    }
  });

  it('leave their subscriptions behind, pointing at _deleted-topic_', async () => {
    const [topic] = await t.pubsub.createTopic(unique('gone'));
    const [sub] = await topic.createSubscription(unique('orphan'));
    await topic.delete();
    const [meta] = await sub.getMetadata();
    expect(meta.topic).toBe('_deleted-topic_');
  });

  it('list their subscriptions', async () => {
    const [topic] = await t.pubsub.createTopic(unique('listed'));
    const [a] = await topic.createSubscription(unique('a'));
    const [b] = await topic.createSubscription(unique('b'));
    const [subs] = await topic.getSubscriptions();
    expect(subs.map((s) => s.name).sort()).toEqual([a.name, b.name].sort());
  });
});

describe('subscriptions', () => {
  it('get the API defaults', async () => {
    const [topic] = await t.pubsub.createTopic(unique('defaults'));
    const [sub] = await topic.createSubscription(unique('defaults'));
    const [meta] = await sub.getMetadata();
    expect(meta).toMatchObject({
      topic: topic.name,
      ackDeadlineSeconds: 10,
      retainAckedMessages: false,
      messageRetentionDuration: { seconds: '604800', nanos: 0 },
      enableMessageOrdering: false,
      filter: '',
      deadLetterPolicy: null,
      retryPolicy: null,
      enableExactlyOnceDelivery: false,
      pushConfig: { pushEndpoint: '' },
    });
  });

  it('answer NOT_FOUND for a missing topic or subscription, ALREADY_EXISTS for a duplicate', async () => {
    const missingTopic = t.pubsub.topic(unique('missing'));
    expect(await codeOf(missingTopic.createSubscription(unique('s')))).toEqual({
      code: NOT_FOUND,
      details: 'Subscription topic does not exist',
    });
    expect(await codeOf(t.pubsub.subscription(unique('missing')).getMetadata())).toEqual({
      code: NOT_FOUND,
      details: 'Subscription does not exist',
    });
    const [topic] = await t.pubsub.createTopic(unique('dup'));
    const id = unique('dup');
    await topic.createSubscription(id);
    expect(await codeOf(topic.createSubscription(id))).toMatchObject({ code: ALREADY_EXISTS });
  });

  it('reject an invalid name', async () => {
    const [topic] = await t.pubsub.createTopic(unique('names'));
    expect(await codeOf(topic.createSubscription('goog-sub'))).toEqual({
      code: INVALID_ARGUMENT,
      details: `Invalid [subscriptions] name: (name=projects/${t.projectId}/subscriptions/goog-sub)`,
    });
  });

  it('bound the ack deadline to 600 s and the retention to 10 minutes..31 days', async () => {
    const [topic] = await t.pubsub.createTopic(unique('bounds'));
    expect(await codeOf(topic.createSubscription(unique('s'), { ackDeadlineSeconds: 700 }))).toEqual({
      code: INVALID_ARGUMENT,
      details: 'ack_deadline_secs out of bounds',
    });
    expect(await codeOf(topic.createSubscription(unique('s'), { messageRetentionDuration: 60 }))).toEqual({
      code: INVALID_ARGUMENT,
      details: 'message_retention_duration out of bounds',
    });
    const [ok] = await topic.createSubscription(unique('s'), {
      ackDeadlineSeconds: 600,
      messageRetentionDuration: 600,
    });
    expect((await ok.getMetadata())[0].ackDeadlineSeconds).toBe(600);
  });

  it('bound the ack deadline below at 10 s', async () => {
    const [topic] = await t.pubsub.createTopic(unique('lower'));
    const attempt = topic.createSubscription(unique('s'), { ackDeadlineSeconds: 5 });
    if (officialIsWrong('ack-deadline-lower-bound')) {
      const [sub] = await attempt;
      expect((await sub.getMetadata())[0].ackDeadlineSeconds).toBe(5);
    } else {
      expect(await codeOf(attempt)).toEqual({
        code: INVALID_ARGUMENT,
        details: 'ack_deadline_secs out of bounds',
      });
    }
  });

  it('check the dead-letter policy: 5..100 attempts, an existing topic', async () => {
    const [topic] = await t.pubsub.createTopic(unique('dlq'));
    const [dead] = await t.pubsub.createTopic(unique('dead'));
    expect(
      await codeOf(
        topic.createSubscription(unique('s'), {
          deadLetterPolicy: { deadLetterTopic: dead.name, maxDeliveryAttempts: 3 },
        }),
      ),
    ).toEqual({
      code: OUT_OF_RANGE,
      details:
        'The value for max_delivery_attempts is too small. You passed 3 in the request, but the minimum value is 5.',
    });
    expect(
      await codeOf(
        topic.createSubscription(unique('s'), {
          deadLetterPolicy: { deadLetterTopic: dead.name, maxDeliveryAttempts: 101 },
        }),
      ),
    ).toMatchObject({ code: OUT_OF_RANGE });
    expect(
      await codeOf(
        topic.createSubscription(unique('s'), {
          deadLetterPolicy: { deadLetterTopic: `projects/${t.projectId}/topics/${unique('none')}` },
        }),
      ),
    ).toEqual({ code: NOT_FOUND, details: 'Dead letter topic not found' });
    const [sub] = await topic.createSubscription(unique('s'), {
      deadLetterPolicy: { deadLetterTopic: dead.name },
    });
    expect((await sub.getMetadata())[0].deadLetterPolicy).toEqual({
      deadLetterTopic: dead.name,
      maxDeliveryAttempts: 5,
    });
  });

  it('are updated through a field mask; the filter cannot change', async () => {
    const [topic] = await t.pubsub.createTopic(unique('update'));
    const [dead] = await t.pubsub.createTopic(unique('update-dead'));
    const [sub] = await topic.createSubscription(unique('update'));
    await sub.setMetadata({
      ackDeadlineSeconds: 30,
      deadLetterPolicy: { deadLetterTopic: dead.name, maxDeliveryAttempts: 7 },
    });
    const [meta] = await sub.getMetadata();
    expect(meta).toMatchObject({
      ackDeadlineSeconds: 30,
      deadLetterPolicy: { deadLetterTopic: dead.name, maxDeliveryAttempts: 7 },
    });
    const relabel = sub.setMetadata({ labels: { team: 'orders' } });
    if (officialIsWrong('update-labels')) {
      expect(await codeOf(relabel)).toMatchObject({ code: INVALID_ARGUMENT });
    } else {
      await relabel;
      expect((await sub.getMetadata())[0].labels).toEqual({ team: 'orders' });
    }
    expect(await codeOf(sub.setMetadata({ ackDeadlineSeconds: 700 }))).toMatchObject({
      code: INVALID_ARGUMENT,
    });
    expect(await codeOf(sub.setMetadata({ filter: 'attributes:x' }))).toMatchObject({
      code: INVALID_ARGUMENT,
    });
    expect((await sub.getMetadata())[0].ackDeadlineSeconds).toBe(30);
  });

  it('bound the expiration ttl below at 1 day', async () => {
    const [topic] = await t.pubsub.createTopic(unique('ttl'));
    const attempt = topic.createSubscription(unique('s'), { expirationPolicy: { ttl: { seconds: 3600 } } });
    if (officialIsWrong('expiration-ttl-unchecked')) {
      await attempt;
    } else {
      expect(await codeOf(attempt)).toEqual({
        code: INVALID_ARGUMENT,
        details: 'expiration_policy ttl out of bounds',
      });
    }
  });

  // A day of inactivity cannot pass against the official emulator within a test; the virtual clock makes it instant.
  it.skipIf(targetKind() === 'real')(
    'expire after their ttl without activity, and not while a Pull keeps them busy',
    async () => {
      const [topic] = await t.pubsub.createTopic(unique('expiring'));
      const day = 86_400;
      const [idle] = await topic.createSubscription(unique('idle'), {
        expirationPolicy: { ttl: { seconds: day } },
      });
      const [busy] = await topic.createSubscription(unique('busy'), {
        expirationPolicy: { ttl: { seconds: day } },
      });
      const [forever] = await topic.createSubscription(unique('forever'), { expirationPolicy: {} });
      expect((await forever.getMetadata())[0].expirationPolicy).toEqual({ ttl: null });
      await t.advance((day / 2) * 1000);
      await t.subscriber.pull({ subscription: busy.name, maxMessages: 1, returnImmediately: true });
      const expired = t.brokerEvent('subscription-expired');
      await t.advance((day / 2) * 1000 + 1000);
      await expired;
      expect((await idle.exists())[0]).toBe(false);
      expect((await busy.exists())[0]).toBe(true);
      expect((await forever.exists())[0]).toBe(true);
    },
  );

  it('are detached from their topic: no more messages, Pull refused', async () => {
    const [topic] = await t.pubsub.createTopic(unique('detach'));
    const [sub] = await topic.createSubscription(unique('detached'));
    const detaching = sub.detached().then(() => t.pubsub.detachSubscription(sub.name));
    if (officialIsWrong('detach-unimplemented')) {
      expect(await codeOf(detaching)).toMatchObject({ code: UNIMPLEMENTED });
      return;
    }
    await detaching;
    expect((await sub.getMetadata())[0].detached).toBe(true);
    expect((await sub.detached())[0]).toBe(true);
    await topic.publishMessage({ data: Buffer.from('x') });
    expect(await codeOf(t.subscriber.pull({ subscription: sub.name, maxMessages: 1 }))).toMatchObject({
      code: FAILED_PRECONDITION,
    });
    const [subs] = await topic.getSubscriptions();
    expect(subs.map((s) => s.name)).not.toContain(sub.name);
  });

  it('are listed per project and deleted', async () => {
    const [topic] = await t.pubsub.createTopic(unique('list'));
    const [sub] = await topic.createSubscription(unique('listed'));
    const [subs] = await t.pubsub.getSubscriptions();
    expect(subs.map((s) => s.name)).toContain(sub.name);
    await sub.delete();
    expect((await sub.exists())[0]).toBe(false);
    expect(await codeOf(sub.delete())).toMatchObject({ code: NOT_FOUND });
  });
});
