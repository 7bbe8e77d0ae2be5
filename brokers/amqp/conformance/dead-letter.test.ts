// TTL, length limits and dead-lettering with amqplib, compared with RabbitMQ 3.10.8 down to the `x-death` header:
// reasons, counts, order (most recent first), routing keys, original-expiration and the x-first-death-* headers.
// Expiry uses the broker's real clock with TTLs of a few milliseconds; tests wait for the dead-lettered delivery.
import type { Channel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodies, channel, confirmChannel, type Target, take, target, uniq } from './target';

let t: Target;
beforeAll(async () => {
  t = await target();
});
afterAll(() => t.close());

/** x-death as amqplib decodes it, with each entry's time checked for plausibility and then set aside. */
function deaths(headers: Record<string, unknown> | undefined, since: number) {
  const list = (headers?.['x-death'] ?? []) as Record<string, unknown>[];
  return list.map(({ time, ...rest }) => {
    const ts = time as { '!': string; value: number };
    expect(ts['!']).toBe('timestamp');
    expect(ts.value).toBeGreaterThanOrEqual(Math.floor(since / 1000) - 1);
    expect(ts.value).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 1);
    return rest;
  });
}

function firstDeath(headers: Record<string, unknown> | undefined) {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([k]) => k.startsWith('x-first-death')));
}

async function dlq(ch: Channel): Promise<{ dlx: string; dlq: string }> {
  const dlx = uniq('dlx');
  await ch.assertExchange(dlx, 'fanout', { durable: false });
  const q = (await ch.assertQueue('', { exclusive: true })).queue;
  await ch.bindQueue(q, dlx, '');
  return { dlx, dlq: q };
}

describe('dead-lettering', () => {
  it('expired by queue TTL: x-death reason expired, exchange and routing keys of the original publish', async () => {
    const since = Date.now();
    const ch = await channel(await t.connect());
    const { dlx, dlq: dead } = await dlq(ch);
    const q = uniq('ttl');
    await ch.assertQueue(q, {
      exclusive: true,
      arguments: { 'x-message-ttl': 5, 'x-dead-letter-exchange': dlx },
    });
    ch.publish('', q, Buffer.from('late'), { CC: ['other'], headers: { keep: 'me' } });
    const [m] = await take(ch, dead, 1, { noAck: true });
    expect(m!.fields.exchange).toBe(dlx);
    expect(m!.fields.routingKey).toBe(q);
    expect(deaths(m!.properties.headers, since)).toEqual([
      { count: 1, reason: 'expired', queue: q, exchange: '', 'routing-keys': [q, 'other'] },
    ]);
    expect(firstDeath(m!.properties.headers)).toEqual({
      'x-first-death-exchange': '',
      'x-first-death-queue': q,
      'x-first-death-reason': 'expired',
    });
    expect(m!.properties.headers?.keep).toBe('me');
    expect(m!.properties.headers?.CC).toEqual(['other']);
  });

  it('expired by per-message expiration: original-expiration recorded, the property removed', async () => {
    const since = Date.now();
    const ch = await channel(await t.connect());
    const { dlx, dlq: dead } = await dlq(ch);
    const q = uniq('exp');
    await ch.assertQueue(q, { exclusive: true, arguments: { 'x-dead-letter-exchange': dlx } });
    ch.sendToQueue(q, Buffer.from('brief'), { expiration: '3' });
    const [m] = await take(ch, dead, 1, { noAck: true });
    expect(m!.properties.expiration).toBeUndefined();
    expect(deaths(m!.properties.headers, since)).toEqual([
      {
        count: 1,
        reason: 'expired',
        queue: q,
        exchange: '',
        'routing-keys': [q],
        'original-expiration': '3',
      },
    ]);
  });

  it('rejected with a dead-letter routing key; a second death in the same queue counts up and moves first', async () => {
    const since = Date.now();
    const ch = await channel(await t.connect());
    const work = uniq('work');
    const retry = uniq('retry');
    const parked = uniq('parked');
    // work --reject--> retry --expire--> work --reject--> retry ...; parked watches retry's arrivals via a 2nd hop.
    await ch.assertQueue(work, {
      exclusive: true,
      arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': retry },
    });
    await ch.assertQueue(retry, {
      exclusive: true,
      arguments: { 'x-message-ttl': 5, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': work },
    });
    await ch.assertQueue(parked, { exclusive: true });
    ch.sendToQueue(work, Buffer.from('poison'), { headers: { attempt: 0 } });
    const [first] = await take(ch, work, 1);
    ch.reject(first!, false);
    const [second] = await take(ch, work, 1);
    expect(second!.fields.routingKey).toBe(work);
    expect(deaths(second!.properties.headers, since)).toEqual([
      { count: 1, reason: 'expired', queue: retry, exchange: '', 'routing-keys': [retry] },
      { count: 1, reason: 'rejected', queue: work, exchange: '', 'routing-keys': [work] },
    ]);
    ch.reject(second!, false);
    const [third] = await take(ch, work, 1);
    ch.ack(third!);
    expect(deaths(third!.properties.headers, since)).toEqual([
      { count: 2, reason: 'expired', queue: retry, exchange: '', 'routing-keys': [retry] },
      { count: 2, reason: 'rejected', queue: work, exchange: '', 'routing-keys': [work] },
    ]);
    expect(firstDeath(third!.properties.headers)).toEqual({
      'x-first-death-exchange': '',
      'x-first-death-queue': work,
      'x-first-death-reason': 'rejected',
    });
    expect(third!.properties.headers?.attempt).toBe(0);
  });

  it('x-max-length drops (and dead-letters) from the head: maxlen', async () => {
    const since = Date.now();
    const c = await t.connect();
    const ch = await confirmChannel(c);
    const { dlx, dlq: dead } = await dlq(ch);
    const q = uniq('short');
    await ch.assertQueue(q, {
      exclusive: true,
      arguments: { 'x-max-length': 2, 'x-dead-letter-exchange': dlx },
    });
    for (const b of ['1', '2', '3', '4']) ch.sendToQueue(q, Buffer.from(b));
    await ch.waitForConfirms();
    const plain = await channel(c);
    expect(bodies(await take(plain, q, 2, { noAck: true }))).toEqual(['3', '4']);
    const dropped = await take(plain, dead, 2, { noAck: true });
    expect(bodies(dropped)).toEqual(['1', '2']);
    expect(deaths(dropped[0]!.properties.headers, since)).toEqual([
      { count: 1, reason: 'maxlen', queue: q, exchange: '', 'routing-keys': [q] },
    ]);
  });

  it('expiration 0 is delivered to a waiting consumer and otherwise expires at once', async () => {
    const c = await t.connect();
    const ch = await confirmChannel(c);
    const q = (await ch.assertQueue('', { exclusive: true })).queue;
    ch.sendToQueue(q, Buffer.from('now-or-never'), { expiration: '0' });
    await ch.waitForConfirms();
    expect((await ch.checkQueue(q)).messageCount).toBe(0);
    const consumer = await channel(c);
    const got = take(consumer, q, 1, { noAck: true });
    await consumer.prefetch(1);
    ch.sendToQueue(q, Buffer.from('caught'), { expiration: '0' });
    expect(bodies(await got)).toEqual(['caught']);
  });
});
