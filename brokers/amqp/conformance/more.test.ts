// Less common corners with amqplib: byte limits and reject-publish-dlx, exclusive consumers, auto-delete
// exchanges, queue.unbind, basic.recover, and x-expires on an unused queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { divergences, expected } from './divergences';
import { bodies, channel, confirmChannel, failure, type Target, take, target, uniq } from './target';

let t: Target;
beforeAll(async () => {
  t = await target();
});
afterAll(() => t.close());

describe('limits', () => {
  it('x-max-length-bytes drops from the head by body size', async () => {
    const ch = await confirmChannel(await t.connect());
    const q = (await ch.assertQueue('', { exclusive: true, arguments: { 'x-max-length-bytes': 10 } })).queue;
    for (const b of ['aaaa', 'bbbb', 'cccc']) ch.sendToQueue(q, Buffer.from(b));
    await ch.waitForConfirms();
    expect(bodies(await take(ch, q, 2, { noAck: true }))).toEqual(['bbbb', 'cccc']);
  });

  it('reject-publish-dlx nacks the refused message and dead-letters it as maxlen', async () => {
    const c = await t.connect();
    const ch = await confirmChannel(c);
    const dead = (await ch.assertQueue('', { exclusive: true })).queue;
    const q = (
      await ch.assertQueue('', {
        exclusive: true,
        arguments: {
          'x-max-length': 1,
          'x-overflow': 'reject-publish-dlx',
          'x-dead-letter-exchange': '',
          'x-dead-letter-routing-key': dead,
        },
      })
    ).queue;
    const outcomes = await Promise.all(
      ['kept', 'refused'].map(
        (b) =>
          new Promise((resolve) =>
            ch.sendToQueue(q, Buffer.from(b), {}, (err) => resolve(err ? 'nack' : 'ack')),
          ),
      ),
    );
    expect(outcomes).toEqual(['ack', 'nack']);
    const [m] = await take(ch, dead, 1, { noAck: true });
    expect(m!.content.toString()).toBe('refused');
    expect((m!.properties.headers?.['x-death'] as { reason: string }[])[0]?.reason).toBe('maxlen');
  });
});

describe('consumers', () => {
  it('an exclusive consumer keeps others out (403), and cannot join a queue that has consumers', async () => {
    const c = await t.connect();
    const ch = await channel(c);
    const q = (await ch.assertQueue('', { exclusive: true })).queue;
    await ch.consume(q, () => {}, { exclusive: true, consumerTag: 'only' });
    const refused = `ACCESS_REFUSED - queue '${q}' in vhost '/' in exclusive use`;
    expect(await failure((await channel(c)).consume(q, () => {}))).toEqual({
      code: 403,
      message: `Operation failed: BasicConsume; 403 (ACCESS-REFUSED) with message "${refused}"`,
    });
    await ch.cancel('only');
    await ch.consume(q, () => {}, { consumerTag: 'plain' });
    expect((await failure((await channel(c)).consume(q, () => {}, { exclusive: true }))).code).toBe(403);
  });

  it('basic.recover redelivers unacked messages, marked redelivered', async () => {
    const c = await t.connect();
    const ch = await confirmChannel(c);
    const q = (await ch.assertQueue('', { exclusive: true })).queue;
    ch.sendToQueue(q, Buffer.from('1'));
    await ch.waitForConfirms();
    const seen: boolean[] = [];
    await new Promise<void>((resolve) => {
      void ch.consume(q, (m) => {
        if (!m) return;
        seen.push(m.fields.redelivered);
        if (seen.length === 1) void ch.recover();
        else resolve();
      });
    });
    expect(seen).toEqual([false, true]);
  });
});

describe('topology lifecycle', () => {
  it('deletes an auto-delete exchange when its last binding goes; unbind of a missing binding is fine', async () => {
    const ch = await channel(await t.connect());
    const x = uniq('autox');
    await ch.assertExchange(x, 'direct', { autoDelete: true, durable: false });
    const q = (await ch.assertQueue('', { exclusive: true })).queue;
    await ch.bindQueue(q, x, 'a');
    await ch.bindQueue(q, x, 'b');
    await ch.unbindQueue(q, x, 'never-bound');
    await ch.unbindQueue(q, x, 'a');
    expect(await ch.checkExchange(x)).toEqual({});
    await ch.unbindQueue(q, x, 'b');
    expect((await failure(ch.checkExchange(x))).code).toBe(404);
  });

  it('unbinding stops routing', async () => {
    const ch = await confirmChannel(await t.connect());
    const q = (await ch.assertQueue('', { exclusive: true })).queue;
    await ch.bindQueue(q, 'amq.direct', q);
    ch.publish('amq.direct', q, Buffer.from('1'));
    await ch.waitForConfirms();
    await ch.unbindQueue(q, 'amq.direct', q);
    ch.publish('amq.direct', q, Buffer.from('2'));
    await ch.waitForConfirms();
    expect((await ch.checkQueue(q)).messageCount).toBe(1);
  });
});

describe('known gaps (divergences.ts)', () => {
  it(`queue types: ${divergences.queueTypes.embedded}`, async () => {
    const c = await t.connect();
    const name = uniq('quorum');
    const outcome = await failure(
      (await channel(c)).assertQueue(name, { durable: true, arguments: { 'x-queue-type': 'quorum' } }),
    );
    expect(outcome).toEqual(
      expected(
        divergences.queueTypes,
        { code: 0, message: 'no error' },
        {
          code: 406,
          message: `Operation failed: QueueDeclare; 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - invalid arg 'x-queue-type' for queue '${name}' in vhost '/': queue type quorum is not implemented by the embedded broker"`,
        },
      ),
    );
    if (outcome.code === 0) await (await channel(c)).deleteQueue(name);
  });

  it(`priorities: ${divergences.priorities.embedded}`, async () => {
    const ch = await confirmChannel(await t.connect());
    const q = (await ch.assertQueue('', { exclusive: true, arguments: { 'x-max-priority': 5 } })).queue;
    ch.sendToQueue(q, Buffer.from('low'), { priority: 1 });
    ch.sendToQueue(q, Buffer.from('high'), { priority: 5 });
    await ch.waitForConfirms();
    expect(bodies(await take(ch, q, 2, { noAck: true }))).toEqual(
      expected(divergences.priorities, ['high', 'low'], ['low', 'high']),
    );
  });
});
