// Consuming with amqplib: ack/nack/reject with and without requeue (requeued messages keep their place and carry
// `redelivered`), unknown delivery tags, round-robin and prefetch (per consumer and global), basic.get, cancel,
// the server's cancel when a queue is deleted, and unacked messages requeued when a channel or connection closes.
import type { Channel, ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodies, channel, confirmChannel, nextError, type Target, take, target } from './target';

let t: Target;
beforeAll(async () => {
  t = await target();
});
afterAll(() => t.close());

async function filled(n: number, opts: { exclusive?: boolean } = { exclusive: false }) {
  const c = await t.connect();
  const pub = await confirmChannel(c);
  const q = (
    await pub.assertQueue('', { exclusive: opts.exclusive ?? false, autoDelete: false, durable: false })
  ).queue;
  for (let i = 1; i <= n; i++) pub.sendToQueue(q, Buffer.from(String(i)));
  await pub.waitForConfirms();
  return { c, q, pub };
}

/** A consumer that records deliveries and lets the test wait for the k-th. */
function recorder(ch: Channel) {
  const got: ConsumeMessage[] = [];
  const waiters: [number, () => void][] = [];
  return {
    got,
    onMessage(m: ConsumeMessage | null) {
      if (!m) return;
      got.push(m);
      for (const w of waiters.filter(([k]) => got.length >= k)) w[1]();
    },
    until(k: number) {
      return new Promise<void>((resolve) => (got.length >= k ? resolve() : waiters.push([k, resolve])));
    },
    ch,
  };
}

describe('acknowledgements', () => {
  it('requeues a nacked message at its old position, marked redelivered', async () => {
    const { c, q } = await filled(3);
    const ch = await channel(c);
    const m = await ch.get(q);
    expect(m && m.content.toString()).toBe('1');
    ch.nack(m as never, false, true);
    const all = await take(ch, q, 3, { noAck: true });
    expect(bodies(all)).toEqual(['1', '2', '3']);
    expect(all.map((x) => x.fields.redelivered)).toEqual([true, false, false]);
  });

  it('drops rejected messages without requeue, and acks several at once with multiple', async () => {
    const { c, q } = await filled(4);
    const ch = await channel(c);
    await ch.prefetch(4);
    const got = await take(ch, q, 4);
    ch.reject(got[0]!, false);
    ch.ack(got[2]!, true);
    ch.nack(got[3]!, false, true);
    // RabbitMQ settles acks asynchronously: wait for the requeued message rather than count at once.
    const [again] = await take(ch, q, 1, { noAck: true });
    expect([again!.content.toString(), again!.fields.redelivered]).toEqual(['4', true]);
    expect((await ch.checkQueue(q)).messageCount).toBe(0);
  });

  it('closes the channel with 406 for an unknown or twice-acked delivery tag', async () => {
    const { c, q } = await filled(1);
    const ch = await channel(c);
    const m = await ch.get(q);
    const err = nextError(ch);
    ch.ack(m as never);
    ch.ack(m as never);
    expect(await err).toEqual({
      code: 406,
      message: `Channel closed by server: 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - unknown delivery tag 1"`,
    });
  });

  it('requeues unacked messages when the channel closes, and when the connection closes', async () => {
    const { c, q } = await filled(3);
    const ch = await channel(c);
    await ch.prefetch(2);
    await take(ch, q, 2);
    await ch.close();
    const other = await t.connect();
    const ch2 = await channel(other);
    const [m] = await take(ch2, q, 1);
    expect([m!.content.toString(), m!.fields.redelivered]).toEqual(['1', true]);
    await other.close();
    const ch3 = await channel(c);
    // RabbitMQ requeues from a closed connection asynchronously: the set is certain, the interleaving is not.
    expect(bodies(await take(ch3, q, 3, { noAck: true })).sort()).toEqual(['1', '2', '3']);
  });
});

describe('dispatch', () => {
  it('round-robins across consumers on one queue', async () => {
    const { c, q } = await filled(0);
    const chs = [await channel(c), await channel(c), await channel(c)];
    const recs = chs.map(recorder);
    for (const [i, r] of recs.entries())
      await r.ch.consume(q, (m) => r.onMessage(m), { noAck: true, consumerTag: `c${i}` });
    const pub = await confirmChannel(c);
    for (let i = 1; i <= 6; i++) pub.sendToQueue(q, Buffer.from(String(i)));
    await Promise.all(recs.map((r) => r.until(2)));
    expect(recs.map((r) => bodies(r.got))).toEqual([
      ['1', '4'],
      ['2', '5'],
      ['3', '6'],
    ]);
  });

  it('prefetch(1) gives fair dispatch: a busy consumer gets nothing more until it acks', async () => {
    const { c, q } = await filled(0);
    const slow = recorder(await channel(c));
    const fast = recorder(await channel(c));
    await slow.ch.prefetch(1);
    await fast.ch.prefetch(1);
    await slow.ch.consume(q, (m) => slow.onMessage(m));
    await fast.ch.consume(q, (m) => {
      fast.onMessage(m);
      if (m) fast.ch.ack(m);
    });
    const pub = await confirmChannel(c);
    for (let i = 1; i <= 6; i++) pub.sendToQueue(q, Buffer.from(String(i)));
    await fast.until(5);
    expect(bodies(slow.got)).toEqual(['1']);
    expect(bodies(fast.got)).toEqual(['2', '3', '4', '5', '6']);
  });

  it('prefetch per consumer (global=false) vs one limit for the channel (global=true)', async () => {
    for (const [global, expected] of [
      [false, [2, 2]],
      [true, [2, 0]],
    ] as const) {
      const { c, q } = await filled(6);
      const ch = await channel(c);
      await ch.prefetch(2, global);
      const a = recorder(ch);
      const b = recorder(ch);
      await ch.consume(q, (m) => a.onMessage(m), { consumerTag: 'a' });
      await a.until(2);
      await ch.consume(q, (m) => b.onMessage(m), { consumerTag: 'b' });
      // A round trip on the same channel: deliveries sent before the qos-ok have arrived by then.
      await ch.prefetch(2, global);
      expect([a.got.length, b.got.length]).toEqual(expected);
      expect((await ch.checkQueue(q)).messageCount).toBe(6 - expected[0] - expected[1]);
    }
  });

  it('basic.get reports the messages left, and false on an empty queue', async () => {
    const { c, q } = await filled(2);
    const ch = await channel(c);
    const first = await ch.get(q, { noAck: true });
    expect(first && [first.content.toString(), first.fields.messageCount]).toEqual(['1', 1]);
    const second = await ch.get(q, { noAck: true });
    expect(second && second.fields.messageCount).toBe(0);
    expect(await ch.get(q)).toBe(false);
  });
});

describe('cancel', () => {
  it('stops deliveries after cancel; unknown tags are answered too', async () => {
    const { c, q } = await filled(0);
    const ch = await channel(c);
    const r = recorder(ch);
    const { consumerTag } = await ch.consume(q, (m) => r.onMessage(m), { noAck: true });
    expect(consumerTag).toMatch(/^amq\.ctag-[A-Za-z0-9_-]{22}$/);
    expect(await ch.cancel(consumerTag)).toEqual({ consumerTag });
    expect(await ch.cancel('never-existed')).toEqual({ consumerTag: 'never-existed' });
    const pub = await confirmChannel(c);
    pub.sendToQueue(q, Buffer.from('x'));
    await pub.waitForConfirms();
    expect((await ch.checkQueue(q)).messageCount).toBe(1);
    expect(r.got).toEqual([]);
  });

  it('tells consumers when their queue is deleted (amqplib calls back with null)', async () => {
    const { c, q } = await filled(0);
    const ch = await channel(c);
    const cancelled = new Promise<null>((resolve) => {
      void ch.consume(q, (m) => m === null && resolve(m));
    });
    await (await channel(c)).deleteQueue(q);
    expect(await cancelled).toBeNull();
  });
});

describe('single active consumer', () => {
  it('sends everything to the first consumer, and to the next once it is cancelled', async () => {
    const c = await t.connect();
    const pub = await confirmChannel(c);
    const q = (
      await pub.assertQueue('', { exclusive: true, arguments: { 'x-single-active-consumer': true } })
    ).queue;
    const first = recorder(await channel(c));
    const second = recorder(await channel(c));
    await first.ch.consume(q, (m) => first.onMessage(m), { noAck: true, consumerTag: 'first' });
    await second.ch.consume(q, (m) => second.onMessage(m), { noAck: true, consumerTag: 'second' });
    for (const b of ['1', '2', '3']) pub.sendToQueue(q, Buffer.from(b));
    await first.until(3);
    await first.ch.cancel('first');
    for (const b of ['4', '5']) pub.sendToQueue(q, Buffer.from(b));
    await second.until(2);
    expect([bodies(first.got), bodies(second.got)]).toEqual([
      ['1', '2', '3'],
      ['4', '5'],
    ]);
  });
});
