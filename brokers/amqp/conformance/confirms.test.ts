// Publisher confirms and mandatory publishing with amqplib: acks for routed and unroutable messages, basic.return
// (312 NO_ROUTE) before the ack, nacks from a full `reject-publish` queue, and expiration values RabbitMQ refuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmChannel, nextError, type Target, target, uniq } from './target';

let t: Target;
beforeAll(async () => {
  t = await target();
});
afterAll(() => t.close());

/** Publishes and resolves with the confirm outcome: 'ack' or the error amqplib reports for a nack. */
function confirmOf(publish: (cb: (err: unknown) => void) => void): Promise<string> {
  return new Promise((resolve) =>
    publish((err) => resolve(err ? String((err as Error).message ?? err) : 'ack')),
  );
}

describe('publisher confirms', () => {
  it('acks routed and unroutable messages alike, in publish order', async () => {
    const ch = await confirmChannel(await t.connect());
    const q = (await ch.assertQueue('', { exclusive: true })).queue;
    const order: string[] = [];
    const a = confirmOf((cb) => ch.sendToQueue(q, Buffer.from('1'), {}, (e) => (order.push('1'), cb(e))));
    const b = confirmOf((cb) =>
      ch.publish('amq.direct', uniq('nobody'), Buffer.from('2'), {}, (e) => (order.push('2'), cb(e))),
    );
    expect(await Promise.all([a, b])).toEqual(['ack', 'ack']);
    expect(order).toEqual(['1', '2']);
  });

  it('returns a mandatory unroutable message (312 NO_ROUTE) before acking it', async () => {
    const ch = await confirmChannel(await t.connect());
    const events: string[] = [];
    const returned = new Promise<{ fields: unknown; props: unknown; body: string }>((resolve) =>
      ch.once('return', (m) => {
        events.push('return');
        resolve({ fields: m.fields, props: m.properties.headers, body: m.content.toString() });
      }),
    );
    const key = uniq('nowhere');
    const acked = confirmOf((cb) =>
      ch.publish('amq.direct', key, Buffer.from('lost'), { mandatory: true, headers: { h: 1 } }, (e) => {
        events.push('ack');
        cb(e);
      }),
    );
    expect(await acked).toBe('ack');
    expect(await returned).toEqual({
      fields: { replyCode: 312, replyText: 'NO_ROUTE', exchange: 'amq.direct', routingKey: key },
      props: { h: 1 },
      body: 'lost',
    });
    expect(events).toEqual(['return', 'ack']);
  });

  it('nacks what a full reject-publish queue refuses, and keeps what it held', async () => {
    const ch = await confirmChannel(await t.connect());
    const q = (
      await ch.assertQueue('', {
        exclusive: true,
        arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' },
      })
    ).queue;
    const results = await Promise.all(
      ['1', '2'].map((b) => confirmOf((cb) => ch.sendToQueue(q, Buffer.from(b), {}, cb))),
    );
    expect(results).toEqual(['ack', 'message nacked']);
    const m = await ch.get(q, { noAck: true });
    expect(m && m.content.toString()).toBe('1');
  });

  it('closes the channel with 406 for an expiration that is not a non-negative integer', async () => {
    const c = await t.connect();
    for (const [exp, reason] of [
      ['abc', 'no_integer'],
      ['-1', '{value_negative,-1}'],
    ]) {
      const ch = await c.createChannel();
      const err = nextError(ch);
      ch.sendToQueue(uniq('any'), Buffer.from('x'), { expiration: exp });
      expect(await err).toEqual({
        code: 406,
        message: `Channel closed by server: 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - invalid expiration '${exp}': ${reason}"`,
      });
    }
  });
});
