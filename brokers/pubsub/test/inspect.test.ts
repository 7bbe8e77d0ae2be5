// The introspection surface (design.md §6) seen through real client traffic: the snapshot validates against the
// shared schema and shows backlog, leases with their deadlines, delivery attempts and dead-lettering; every change
// event validates too, and the events of one message's life come in order.
import { PubSub, v1 } from '@google-cloud/pubsub';
import { BrokerEvent, BrokerSnapshot, type PubsubSnapshot } from '@msgbook/protocol';
import { VirtualClock, type EmbeddedBroker } from '@msgbook/broker-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPubsub } from '../src/index';

const clock = new VirtualClock(Date.UTC(2026, 0, 1));
let broker: EmbeddedBroker;
let pubsub: PubSub;
let subscriber: v1.SubscriberClient;
const events: BrokerEvent[] = [];

beforeAll(async () => {
  broker = await startPubsub({ clock });
  broker.subscribe((e) => events.push(e));
  pubsub = new PubSub({
    projectId: 'inspect',
    apiEndpoint: `127.0.0.1:${broker.address.port}`,
    emulatorMode: true,
  });
  subscriber = new v1.SubscriberClient(
    (await pubsub.getClientConfig()) as ConstructorParameters<typeof v1.SubscriberClient>[0],
  );
});
afterAll(async () => {
  await subscriber?.close();
  await pubsub?.close();
  await broker?.stop();
});

/** Resolves once `count` events of `kind` about `subject` arrived from now on. */
function eventsOf(kind: string, subject: string, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const off = broker.subscribe((e) => {
      if (e.kind === kind && e.subject === subject && ++seen === count) {
        off();
        resolve();
      }
    });
  });
}

function view(): PubsubSnapshot {
  const snap = BrokerSnapshot.parse(broker.snapshot());
  if (snap.broker !== 'pubsub') throw new Error('not a Pub/Sub snapshot');
  return snap;
}

describe('inspect', () => {
  it('shows backlog, leases with deadlines, attempts and dead-lettering', async () => {
    const [topic] = await pubsub.createTopic('orders');
    const [dead] = await pubsub.createTopic('orders-dead');
    const [deadSub] = await dead.createSubscription('orders-dead-reader');
    const [sub] = await topic.createSubscription('orders-worker', {
      deadLetterPolicy: { deadLetterTopic: dead.name, maxDeliveryAttempts: 5 },
    });
    const id = await topic.publishMessage({ data: Buffer.from('o1'), orderingKey: '' });
    await topic.publishMessage({ data: Buffer.from('o2') });

    let s = view().subscriptions.find((x) => x.name === sub.name)!;
    expect(s).toMatchObject({
      topic: topic.name,
      backlog: 2,
      outstanding: [],
      deadLetterTopic: dead.name,
      maxDeliveryAttempts: 5,
    });
    expect(view().topics.find((x) => x.name === topic.name)!.published).toBe(2);

    const [res] = await subscriber.pull({ subscription: sub.name, maxMessages: 1 });
    const ackId = res.receivedMessages![0]!.ackId!;
    s = view().subscriptions.find((x) => x.name === sub.name)!;
    expect(s.backlog).toBe(2);
    expect(s.outstanding).toEqual([
      { messageId: id, ackId, deadline: clock.now() + 10_000, deliveryAttempt: 1, orderingKey: '' },
    ]);

    for (let attempt = 1; attempt <= 5; attempt++) {
      const [r] = attempt === 1 ? [res] : await subscriber.pull({ subscription: sub.name, maxMessages: 1 });
      await subscriber.modifyAckDeadline({
        subscription: sub.name,
        ackIds: [r.receivedMessages![0]!.ackId!],
        ackDeadlineSeconds: 0,
      });
    }
    s = view().subscriptions.find((x) => x.name === sub.name)!;
    expect({ backlog: s.backlog, deadLettered: s.deadLettered }).toEqual({ backlog: 1, deadLettered: 1 });
    expect(view().subscriptions.find((x) => x.name === deadSub.name)!.backlog).toBe(1);
  });

  it('emits schema-valid events, in the order of a message life', async () => {
    const [topic] = await pubsub.createTopic('audit');
    const [sub] = await topic.createSubscription('audit-reader');
    const from = events.length;
    const id = await topic.publishMessage({ data: Buffer.from('a') });
    const [res] = await subscriber.pull({ subscription: sub.name, maxMessages: 1 });
    await subscriber.acknowledge({ subscription: sub.name, ackIds: [res.receivedMessages![0]!.ackId!] });
    for (const e of events) BrokerEvent.parse(e);
    const life = events.slice(from).filter((e) => e.detail.messageId === id);
    expect(life.map((e) => [e.kind, e.subject])).toEqual([
      ['message-published', topic.name],
      ['message-delivered', sub.name],
      ['message-acked', sub.name],
    ]);
  });

  it('counts open streams and reports them opening and closing', async () => {
    const [topic] = await pubsub.createTopic('streams');
    const [sub] = await topic.createSubscription('streams-reader', { flowControl: { maxMessages: 2 } });
    const opened = eventsOf('stream-opened', sub.name, 2);
    sub.on('message', (m) => m.ack());
    await opened;
    expect(view().subscriptions.find((x) => x.name === sub.name)!.streams).toBe(2);
    const closed = eventsOf('stream-closed', sub.name, 2);
    await sub.close();
    await closed;
    expect(view().subscriptions.find((x) => x.name === sub.name)!.streams).toBe(0);
  });
});
