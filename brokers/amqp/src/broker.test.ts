// The instance surface: start on an ephemeral port quickly, stop closing every client, and the memory alarm that
// turns into connection.blocked / unblocked for amqplib (a publish is held, not lost, as on RabbitMQ).
import { once } from 'node:events';
import amqp from 'amqplib';
import { describe, expect, it } from 'vitest';
import { AmqpBroker } from './broker';
import { startAmqp } from './index';

describe('instances', () => {
  it('starts isolated instances on ephemeral ports and stops them with their clients', async () => {
    const started = performance.now();
    const a = await startAmqp();
    const b = await startAmqp();
    expect(performance.now() - started).toBeLessThan(500);
    expect(a.address.port).not.toBe(b.address.port);
    const c = await amqp.connect(`amqp://guest:guest@127.0.0.1:${a.address.port}`);
    const ch = await c.createChannel();
    await ch.assertQueue('only-in-a');
    expect(b.snapshot()).toMatchObject({ queues: [] });
    const closed = once(c, 'close');
    c.on('error', () => {});
    await a.stop();
    const [err] = await closed;
    expect(String(err)).toContain('320 (CONNECTION-FORCED)');
    await b.stop();
  });
});

describe('memory alarm', () => {
  it('blocks a publishing connection, holds its message, and releases it when cleared', async () => {
    const broker = await AmqpBroker.start();
    const c = await amqp.connect(`amqp://guest:guest@127.0.0.1:${broker.address.port}`);
    const ch = await c.createConfirmChannel();
    const q = (await ch.assertQueue('', { exclusive: true })).queue;
    broker.setAlarm(true);
    const blocked = once(c, 'blocked');
    ch.sendToQueue(q, Buffer.from('held'));
    expect(await blocked).toEqual(['low on memory']);
    expect(broker.snapshot()).toMatchObject({ memoryAlarm: true, connections: [{ blocked: true }] });
    expect(broker.snapshot().queues.find((x) => x.name === q)?.ready).toBe(0);
    const unblocked = once(c, 'unblocked');
    broker.setAlarm(false);
    await unblocked;
    await ch.waitForConfirms();
    expect(broker.snapshot().queues.find((x) => x.name === q)?.ready).toBe(1);
    await c.close();
    await broker.stop();
  });

  it('raises itself when queues hold more than memoryLimit, and clears when consumers drain them', async () => {
    const broker = await AmqpBroker.start({ memoryLimit: 1000 });
    const url = `amqp://guest:guest@127.0.0.1:${broker.address.port}`;
    const publisher = await amqp.connect(url);
    const pub = await publisher.createConfirmChannel();
    const q = (await pub.assertQueue('', { durable: false })).queue;
    for (const b of ['a', 'b']) pub.sendToQueue(q, Buffer.alloc(600, b));
    await pub.waitForConfirms();
    expect(broker.snapshot()).toMatchObject({ memoryAlarm: true, memory: { used: 1200, limit: 1000 } });
    const blocked = once(publisher, 'blocked');
    pub.sendToQueue(q, Buffer.alloc(10, 'c'));
    await blocked;
    const unblocked = once(publisher, 'unblocked');
    const consumer = await amqp.connect(url);
    const sub = await consumer.createChannel();
    await sub.consume(q, (m) => m && sub.ack(m));
    await unblocked;
    await pub.waitForConfirms();
    expect(broker.snapshot().memoryAlarm).toBe(false);
    await publisher.close();
    await consumer.close();
    await broker.stop();
  });
});
