// Queue TTL and x-expires on a virtual clock, through amqplib: a message expires exactly when its TTL has passed,
// at the head only (one behind a longer-lived head waits for it, as on RabbitMQ); an unused queue expires.
import { VirtualClock } from '@msgbook/broker-common';
import amqp from 'amqplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AmqpBroker } from '../broker';

let clock: VirtualClock;
let broker: AmqpBroker;
let c: amqp.ChannelModel;
let ch: amqp.ConfirmChannel;

beforeEach(async () => {
  clock = new VirtualClock();
  broker = await AmqpBroker.start({ clock });
  c = await amqp.connect(`amqp://guest:guest@127.0.0.1:${broker.address.port}`);
  ch = await c.createConfirmChannel();
  await ch.assertQueue('dead', { durable: false });
});
afterEach(async () => {
  await c.close();
  await broker.stop();
});

const ready = async (q: string) => (await ch.checkQueue(q)).messageCount;

describe('TTL', () => {
  it('dead-letters a message when x-message-ttl has passed, not a millisecond before', async () => {
    await ch.assertQueue('ttl', {
      durable: false,
      arguments: { 'x-message-ttl': 1000, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'dead' },
    });
    ch.sendToQueue('ttl', Buffer.from('x'));
    await ch.waitForConfirms();
    clock.advance(999);
    expect([await ready('ttl'), await ready('dead')]).toEqual([1, 0]);
    clock.advance(1);
    expect([await ready('ttl'), await ready('dead')]).toEqual([0, 1]);
  });

  it('expires only at the head: a short per-message TTL waits behind a long one', async () => {
    await ch.assertQueue('mixed', {
      durable: false,
      arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'dead' },
    });
    ch.sendToQueue('mixed', Buffer.from('long'), { expiration: '5000' });
    ch.sendToQueue('mixed', Buffer.from('short'), { expiration: '10' });
    await ch.waitForConfirms();
    clock.advance(1000);
    expect([await ready('mixed'), await ready('dead')]).toEqual([2, 0]);
    clock.advance(4000);
    expect([await ready('mixed'), await ready('dead')]).toEqual([0, 2]);
    const first = await ch.get('dead', { noAck: true });
    expect(first && first.content.toString()).toBe('long');
  });
});

describe('x-expires', () => {
  it('deletes a queue unused for x-expires ms; a get or a consumer counts as use', async () => {
    await ch.assertQueue('idle', { durable: false, arguments: { 'x-expires': 1000 } });
    clock.advance(900);
    await ch.get('idle');
    clock.advance(900);
    expect(await ready('idle')).toBe(0);
    const { consumerTag } = await ch.consume('idle', () => {});
    clock.advance(5000);
    await ch.cancel(consumerTag);
    clock.advance(999);
    expect(await ready('idle')).toBe(0);
    clock.advance(1000);
    const other = await c.createChannel();
    other.on('error', () => {});
    await expect(other.checkQueue('idle')).rejects.toThrow("NOT_FOUND - no queue 'idle' in vhost '/'");
  });
});
