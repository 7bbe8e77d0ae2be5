// Direct reply-to with amqplib: the RPC pattern over the amq.rabbitmq.reply-to pseudo-queue, and the 406s
// RabbitMQ 3.10.8 sends when it is misused (acking consumer, second consumer, replyTo without a consumer).
import type { ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channel, failure, nextError, type Target, target } from './target';

let t: Target;
beforeAll(async () => {
  t = await target();
});
afterAll(() => t.close());

const REPLY_TO = 'amq.rabbitmq.reply-to';

describe('direct reply-to', () => {
  it('answers a request through the private reply key the broker put in replyTo', async () => {
    const c = await t.connect();
    const server = await channel(c);
    const requests = (await server.assertQueue('', { exclusive: true })).queue;
    let seenReplyTo = '';
    await server.consume(
      requests,
      (m) => {
        if (!m) return;
        seenReplyTo = m.properties.replyTo;
        server.sendToQueue(m.properties.replyTo, Buffer.from(`pong:${m.content}`), {
          correlationId: m.properties.correlationId,
        });
      },
      { noAck: true },
    );
    const client = await channel(c);
    const reply = new Promise<ConsumeMessage>((resolve) => {
      void client.consume(REPLY_TO, (m) => m && resolve(m), { noAck: true, consumerTag: 'rpc' });
    });
    // The consume-ok has arrived once a later RPC on the same channel returns.
    await client.checkQueue(requests);
    client.sendToQueue(requests, Buffer.from('ping'), { replyTo: REPLY_TO, correlationId: 'req-1' });
    const m = await reply;
    expect(m.content.toString()).toBe('pong:ping');
    expect(m.properties.correlationId).toBe('req-1');
    expect(m.fields).toMatchObject({ consumerTag: 'rpc', exchange: '', routingKey: seenReplyTo });
    expect(seenReplyTo.startsWith(`${REPLY_TO}.`)).toBe(true);
  });

  it('declares the pseudo-queue and a live reply address (1 consumer), and misses an address nobody holds', async () => {
    const c = await t.connect();
    const client = await channel(c);
    await client.consume(REPLY_TO, () => {}, { noAck: true });
    const requests = (await client.assertQueue('', { exclusive: true })).queue;
    const address = new Promise<string>((resolve) => {
      void client.consume(requests, (m) => m && resolve(m.properties.replyTo), { noAck: true });
    });
    client.sendToQueue(requests, Buffer.from('x'), { replyTo: REPLY_TO });
    const live = await address;
    // An RPC server that declares where it is about to answer, as many tutorials' servers do.
    const server = await channel(c);
    expect(await server.assertQueue(live)).toEqual({ queue: live, messageCount: 0, consumerCount: 1 });
    expect(await server.assertQueue(REPLY_TO)).toEqual({
      queue: REPLY_TO,
      messageCount: 0,
      consumerCount: 1,
    });
    const stale = `${REPLY_TO}.nobody-holds-this`;
    expect(await failure((await channel(c)).assertQueue(stale))).toEqual({
      code: 404,
      message: `Operation failed: QueueDeclare; 404 (NOT-FOUND) with message "NOT_FOUND - no queue '${stale}' in vhost '/'"`,
    });
  });

  it('refuses an acking reply consumer, a second one, and replyTo without one (406)', async () => {
    const c = await t.connect();
    const text = (s: string) => ({
      code: 406,
      message: `Operation failed: BasicConsume; 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - ${s}"`,
    });
    expect(await failure((await channel(c)).consume(REPLY_TO, () => {}, { noAck: false }))).toEqual(
      text('reply consumer cannot acknowledge'),
    );
    const ch = await channel(c);
    await ch.consume(REPLY_TO, () => {}, { noAck: true });
    expect(await failure(ch.consume(REPLY_TO, () => {}, { noAck: true }))).toEqual(
      text('reply consumer already set'),
    );
    const lonely = await c.createChannel();
    const err = nextError(lonely);
    lonely.sendToQueue('anywhere', Buffer.from('x'), { replyTo: REPLY_TO });
    expect(await err).toEqual({
      code: 406,
      message:
        'Channel closed by server: 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - fast reply consumer does not exist"',
    });
  });
});
