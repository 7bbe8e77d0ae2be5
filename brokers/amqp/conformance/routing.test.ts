// Routing with amqplib: default, direct, fanout, topic (the observed '*'/'#' matrix), headers (all/any, void
// values, x- keys), exchange-to-exchange bindings, alternate-exchange, CC/BCC. Each message is confirmed before
// the queues are read, so "not routed" is an observation, not a timeout.
import type { ConfirmChannel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmChannel, failure, type Target, target, uniq } from './target';

let t: Target;
let ch: ConfirmChannel;
beforeAll(async () => {
  t = await target();
  ch = await confirmChannel(await t.connect());
});
afterAll(() => t.close());

async function queues(n: number): Promise<string[]> {
  const names = [];
  for (let i = 0; i < n; i++) names.push((await ch.assertQueue('', { exclusive: true })).queue);
  return names;
}

async function exchange(type: string, args: Record<string, unknown> = {}): Promise<string> {
  const x = uniq(type);
  await ch.assertExchange(x, type, { durable: false, autoDelete: false, arguments: args });
  return x;
}

/** Ready counts per queue after everything published so far is confirmed. */
async function counts(names: string[]): Promise<number[]> {
  await ch.waitForConfirms();
  return Promise.all(names.map(async (q) => (await ch.checkQueue(q)).messageCount));
}

describe('routing', () => {
  it('default exchange: by queue name', async () => {
    const [a, b] = await queues(2);
    ch.publish('', a!, Buffer.from('1'));
    ch.publish('', 'no-such-queue', Buffer.from('2'));
    expect(await counts([a!, b!])).toEqual([1, 0]);
  });

  it('direct: key equals binding key, one message per queue even with two matching bindings', async () => {
    const x = await exchange('direct');
    const [a, b] = await queues(2);
    await ch.bindQueue(a!, x, 'red');
    await ch.bindQueue(a!, x, 'green');
    await ch.bindQueue(b!, x, 'green');
    ch.publish(x, 'red', Buffer.from('1'));
    ch.publish(x, 'green', Buffer.from('2'));
    ch.publish(x, 'blue', Buffer.from('3'));
    expect(await counts([a!, b!])).toEqual([2, 1]);
  });

  it('fanout: every bound queue, whatever the key', async () => {
    const x = await exchange('fanout');
    const [a, b, c] = await queues(3);
    await ch.bindQueue(a!, x, '');
    await ch.bindQueue(b!, x, 'ignored');
    ch.publish(x, 'anything', Buffer.from('1'));
    expect(await counts([a!, b!, c!])).toEqual([1, 1, 0]);
  });

  it('topic: the observed * and # matrix, empty words included', async () => {
    const x = await exchange('topic');
    const patterns = ['a.#', '#.a', '*', '*.*', '#', '*.#', 'a.*.c', '#.b.#', ''];
    const keys = ['a', '', 'a.', '.a', 'a..c', 'b', 'x.b.y'];
    const qs = await queues(patterns.length);
    for (let i = 0; i < patterns.length; i++) await ch.bindQueue(qs[i]!, x, patterns[i]!);
    const seen: Record<string, string[]> = {};
    for (const k of keys) {
      await ch.purgeQueue(qs[0]!);
      for (const q of qs) await ch.purgeQueue(q);
      ch.publish(x, k, Buffer.from(k));
      const n = await counts(qs);
      seen[k] = patterns.filter((_, i) => n[i] === 1);
    }
    expect(seen).toEqual({
      a: ['a.#', '#.a', '*', '#', '*.#'],
      '': ['#', ''],
      'a.': ['a.#', '*.*', '#', '*.#'],
      '.a': ['#.a', '*.*', '#', '*.#'],
      'a..c': ['a.#', '#', '*.#', 'a.*.c'],
      b: ['*', '#', '*.#', '#.b.#'],
      'x.b.y': ['#', '*.#', '#.b.#'],
    });
  });

  it('headers: x-match all and any, void values, x- keys ignored, strings never equal numbers', async () => {
    const x = await exchange('headers');
    const [all, any, present, str] = await queues(4);
    await ch.bindQueue(all!, x, '', { 'x-match': 'all', kind: 'order', region: 'eu' });
    await ch.bindQueue(any!, x, '', { 'x-match': 'any', kind: 'order', region: 'eu' });
    await ch.bindQueue(present!, x, '', { prio: null });
    await ch.bindQueue(str!, x, '', { n: '1' });
    ch.publish(x, '', Buffer.from('1'), { headers: { kind: 'order', region: 'eu' } });
    ch.publish(x, '', Buffer.from('2'), { headers: { kind: 'order', region: 'us', prio: 5 } });
    ch.publish(x, '', Buffer.from('3'), { headers: { n: 1 } });
    expect(await counts([all!, any!, present!, str!])).toEqual([1, 2, 1, 0]);
  });

  it('headers: an unknown x-match mode fails the bind with 406', async () => {
    const x = await exchange('headers');
    const c = await t.connect();
    const other = await c.createChannel();
    other.on('error', () => {});
    const q = (await other.assertQueue('', { exclusive: true })).queue;
    const e = await failure(other.bindQueue(q, x, '', { 'x-match': 'some' }));
    expect(e.code).toBe(406);
    expect(e.message).toBe(
      'Operation failed: QueueBind; 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - Invalid ' +
        'x-match field value <<"some">>; expected all, any, all-with-x, or any-with-x"',
    );
  });

  it('exchange-to-exchange bindings route through, and an alternate exchange catches the unroutable', async () => {
    const upstream = await exchange('topic');
    const downstream = await exchange('direct');
    const alt = await exchange('fanout');
    const withAlt = await exchange('direct', { 'alternate-exchange': alt });
    const [q, caught] = await queues(2);
    await ch.bindExchange(downstream, upstream, 'orders.*');
    await ch.bindQueue(q!, downstream, 'orders.new');
    await ch.bindQueue(caught!, alt, '');
    await ch.bindQueue(q!, withAlt, 'known');
    ch.publish(upstream, 'orders.new', Buffer.from('1'));
    ch.publish(upstream, 'orders.old', Buffer.from('2'));
    ch.publish(withAlt, 'known', Buffer.from('3'));
    ch.publish(withAlt, 'unknown', Buffer.from('4'));
    expect(await counts([q!, caught!])).toEqual([2, 1]);
    await ch.unbindExchange(downstream, upstream, 'orders.*');
    ch.publish(upstream, 'orders.new', Buffer.from('5'));
    expect(await counts([q!, caught!])).toEqual([2, 1]);
  });

  it('CC adds routing keys and stays on the message; BCC routes too but is stripped', async () => {
    const x = await exchange('direct');
    const [a, b, c] = await queues(3);
    await ch.bindQueue(a!, x, 'a');
    await ch.bindQueue(b!, x, 'b');
    await ch.bindQueue(c!, x, 'c');
    ch.publish(x, 'a', Buffer.from('1'), { CC: ['b'], BCC: ['c'] });
    expect(await counts([a!, b!, c!])).toEqual([1, 1, 1]);
    const m = await ch.get(c!, { noAck: true });
    expect(m && m.properties.headers).toEqual({ CC: ['b'] });
    expect(m && m.fields.routingKey).toBe('a');
  });
});
