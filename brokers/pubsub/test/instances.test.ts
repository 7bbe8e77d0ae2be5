// Instances by profile (limits.ts), through the real client: a `small` instance (one per sandbox session) bounds what
// it retains and how many resources it holds, where a `full` one (`msgbook brokers`) keeps everything; instances start
// on their own ephemeral port within the sandbox's 50 ms budget and share nothing.
import { PubSub, v1 } from '@google-cloud/pubsub';
import type { EmbeddedBroker } from '@msgbook/broker-common';
import { afterEach, describe, expect, it } from 'vitest';
import { startPubsub } from '../src/index';
import { PROFILES } from '../src/limits';

const RESOURCE_EXHAUSTED = 8;
const MiB = 1024 * 1024;
const opened: { broker: EmbeddedBroker; pubsub: PubSub; subscriber: v1.SubscriberClient }[] = [];

async function open(profile: 'small' | 'full') {
  const broker = await startPubsub({ profile });
  const pubsub = new PubSub({
    projectId: 'limits',
    apiEndpoint: `127.0.0.1:${broker.address.port}`,
    emulatorMode: true,
  });
  const subscriber = new v1.SubscriberClient(
    (await pubsub.getClientConfig()) as ConstructorParameters<typeof v1.SubscriberClient>[0],
  );
  opened.push({ broker, pubsub, subscriber });
  return { broker, pubsub, subscriber };
}

afterEach(async () => {
  for (const o of opened.splice(0)) {
    await Promise.all([o.subscriber.close(), o.pubsub.close()]);
    await o.broker.stop();
  }
});

/** Publishes `count` messages of 1 MiB one after the other, each carrying its index in its first bytes. */
async function publishMiBs(pubsub: PubSub, topic: string, count: number): Promise<void> {
  const t = pubsub.topic(topic);
  for (let i = 0; i < count; i++) {
    const data = Buffer.alloc(MiB, 0);
    data.writeUInt32BE(i, 0);
    await t.publishMessage({ data });
  }
}

/** Pulls everything deliverable now; returns the indices `publishMiBs` wrote. */
async function drain(subscriber: v1.SubscriberClient, subscription: string): Promise<number[]> {
  const got: number[] = [];
  for (;;) {
    const [res] = await subscriber.pull({ subscription, maxMessages: 5, returnImmediately: true });
    const received = res.receivedMessages ?? [];
    if (received.length === 0) return got;
    for (const r of received) got.push(Buffer.from(r.message!.data as Uint8Array).readUInt32BE(0));
    await subscriber.acknowledge({ subscription, ackIds: received.map((r) => r.ackId!) });
  }
}

describe('profiles', () => {
  it('a small instance keeps the newest 16 MiB of a backlog, a topic log and a snapshot; a full one keeps all', async () => {
    const kept = Math.floor(PROFILES.small.retainedBytes / MiB);
    expect(kept).toBe(16);
    for (const profile of ['small', 'full'] as const) {
      const { pubsub, subscriber } = await open(profile);
      const [topic] = await pubsub.createTopic({
        name: 'orders',
        messageRetentionDuration: { seconds: 3600 },
      });
      const [sub] = await topic.createSubscription('backlog');
      const [late] = await topic.createSubscription('late');
      await late.createSnapshot('before');
      const start = new Date(Date.now() - 60_000);
      await publishMiBs(pubsub, topic.name, 20);
      const expected =
        profile === 'small' ? [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19] : null;
      const all = Array.from({ length: 20 }, (_, i) => i);
      const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
      // The subscription's own backlog.
      expect(sorted(await drain(subscriber, sub.name))).toEqual(expected ?? all);
      // The snapshot, taken before the messages were published.
      await drain(subscriber, late.name);
      await late.seek('before');
      expect(sorted(await drain(subscriber, late.name))).toEqual(expected ?? all);
      // The topic's retained log, replayed to a subscription created after it.
      const [fresh] = await topic.createSubscription('fresh');
      await fresh.seek(start);
      expect(sorted(await drain(subscriber, fresh.name))).toEqual(expected ?? all);
    }
  });

  it('a small instance refuses topics, subscriptions and snapshots past its counts', async () => {
    const { pubsub } = await open('small');
    const { topics, subscriptions, snapshots } = PROFILES.small;
    for (let i = 0; i < topics; i++) await pubsub.createTopic(`topic-${i}`);
    await expect(pubsub.createTopic('one-too-many')).rejects.toMatchObject({ code: RESOURCE_EXHAUSTED });
    await pubsub.topic('topic-0').delete();
    await pubsub.createTopic('room-again');
    const topic = pubsub.topic('topic-1');
    for (let i = 0; i < subscriptions; i++) await topic.createSubscription(`sub-${i}`);
    await expect(topic.createSubscription('one-too-many')).rejects.toMatchObject({
      code: RESOURCE_EXHAUSTED,
    });
    for (let i = 0; i < snapshots; i++) await pubsub.subscription('sub-0').createSnapshot(`snap-${i}`);
    await expect(pubsub.subscription('sub-0').createSnapshot('one-too-many')).rejects.toMatchObject({
      code: RESOURCE_EXHAUSTED,
    });
  });
});

describe('instances', () => {
  it('start on their own port in under 50 ms and share nothing', async () => {
    await (await startPubsub({ profile: 'small' })).stop(); // loads the protos once per process
    const times: number[] = [];
    const brokers: EmbeddedBroker[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      brokers.push(await startPubsub({ profile: 'small' }));
      times.push(performance.now() - started);
    }
    try {
      expect(new Set(brokers.map((b) => b.address.port)).size).toBe(5);
      expect([...times].sort((a, b) => a - b)[2]).toBeLessThan(50);
      const [a, b] = await Promise.all([open('small'), open('small')]);
      await a.pubsub.createTopic('private');
      expect((await a.pubsub.topic('private').exists())[0]).toBe(true);
      expect((await b.pubsub.topic('private').exists())[0]).toBe(false);
    } finally {
      await Promise.all(brokers.map((b) => b.stop()));
    }
  });
});
