// The introspection surface (design.md §6) read through amqplib-made state: the snapshot validates against the
// shared zod schema and shows counts, consumers with prefetch and dead-letter links; events validate too.
import { AmqpSnapshot, BrokerEvent } from '@msgbook/protocol';
import amqp from 'amqplib';
import { describe, expect, it } from 'vitest';
import { AmqpBroker } from './broker';

describe('snapshot and events', () => {
  it('shows exchanges, bindings, queues with ready/unacked, consumers and dead-letter links', async () => {
    const broker = await AmqpBroker.start();
    const events: BrokerEvent[] = [];
    const unsubscribe = broker.subscribe((e) => events.push(BrokerEvent.parse(e)));
    const c = await amqp.connect(`amqp://guest:guest@127.0.0.1:${broker.address.port}`);
    const ch = await c.createConfirmChannel();
    await ch.assertExchange('orders', 'topic', { durable: false });
    await ch.assertQueue('orders.dlq', { durable: false });
    await ch.assertQueue('orders.work', {
      durable: false,
      arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'orders.dlq' },
    });
    await ch.bindQueue('orders.work', 'orders', 'order.#');
    for (const b of ['1', '2', '3']) ch.publish('orders', 'order.new', Buffer.from(b));
    await ch.waitForConfirms();
    await ch.prefetch(2);
    const got: amqp.ConsumeMessage[] = [];
    await new Promise<void>((resolve) => {
      void ch.consume('orders.work', (m) => m && got.push(m) === 2 && resolve(), { consumerTag: 'worker' });
    });
    ch.reject(got[0]!, false);
    await ch.checkQueue('orders.dlq');

    const snap = AmqpSnapshot.parse(broker.snapshot());
    expect(snap.bindings).toContainEqual({
      vhost: '/',
      source: 'orders',
      destination: 'orders.work',
      destinationType: 'queue',
      routingKey: 'order.#',
      arguments: {},
    });
    const work = snap.queues.find((q) => q.name === 'orders.work');
    expect(work).toMatchObject({
      ready: 0,
      unacked: 2,
      deadLetterExchange: '',
      deadLetterRoutingKey: 'orders.dlq',
      consumers: [
        { consumerTag: 'worker', channel: 1, prefetch: 2, unacked: 2, noAck: false, exclusive: false },
      ],
    });
    expect(snap.queues.find((q) => q.name === 'orders.dlq')).toMatchObject({ ready: 1, unacked: 0 });
    expect(snap.exchanges.map((x) => x.name)).toEqual(
      expect.arrayContaining(['', 'amq.direct', 'amq.topic', 'orders']),
    );
    expect(events.map((e) => e.kind)).toEqual(
      expect.arrayContaining([
        'connection-opened',
        'exchange-declared',
        'queue-declared',
        'binding-created',
        'consumer-added',
      ]),
    );
    const counts = events.filter((e) => e.kind === 'queue-counts-changed' && e.subject === 'orders.work');
    expect(counts.at(-1)?.detail).toEqual({ ready: 0, unacked: 2 });
    expect(counts.length).toBeLessThan(6);
    expect(events.find((e) => e.kind === 'message-dead-lettered')).toMatchObject({
      subject: 'orders.work',
      detail: { reason: 'rejected', exchange: '' },
    });
    unsubscribe();
    await c.close();
    await broker.stop();
  });
});
