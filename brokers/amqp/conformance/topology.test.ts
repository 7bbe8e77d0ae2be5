// Exchanges and queues: declare, redeclare, passive checks, delete, exclusivity, reserved names and the default
// exchange, with RabbitMQ 3.10.8's codes and texts compared exactly (amqplib wraps them in its own sentence).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channel, failure, type Target, target, uniq } from './target';

let t: Target;
beforeAll(async () => {
  t = await target();
});
afterAll(() => t.close());

const rpcFailed = (op: string, code: number, name: string, text: string) =>
  `Operation failed: ${op}; ${code} (${name}) with message "${text}"`;

describe('queues', () => {
  it('names a server-named queue amq.gen-… and counts its messages and consumers', async () => {
    const c = await t.connect();
    const ch = await channel(c);
    const q = await ch.assertQueue('', { exclusive: true });
    expect(q.queue).toMatch(/^amq\.gen-[A-Za-z0-9_-]{22}$/);
    ch.sendToQueue(q.queue, Buffer.from('a'));
    ch.sendToQueue(q.queue, Buffer.from('b'));
    await ch.consume(q.queue, () => {}, { noAck: false, consumerTag: 'held' });
    await ch.cancel('held');
    const again = await ch.checkQueue(q.queue);
    expect(again).toEqual({ queue: q.queue, messageCount: 0, consumerCount: 0 });
  });

  it('reports 404 for a passive declare of a missing queue', async () => {
    const ch = await channel(await t.connect());
    const name = uniq('missing');
    expect(await failure(ch.checkQueue(name))).toEqual({
      code: 404,
      message: rpcFailed('QueueDeclare', 404, 'NOT-FOUND', `NOT_FOUND - no queue '${name}' in vhost '/'`),
    });
  });

  it('reports 406 for a redeclare with a different argument or flag', async () => {
    const c = await t.connect();
    const name = uniq('ttl');
    const ch = await channel(c);
    await ch.assertQueue(name, { arguments: { 'x-message-ttl': 1000 }, autoDelete: true });
    expect(
      await failure(ch.assertQueue(name, { arguments: { 'x-message-ttl': 2000 }, autoDelete: true })),
    ).toEqual({
      code: 406,
      message: rpcFailed(
        'QueueDeclare',
        406,
        'PRECONDITION-FAILED',
        `PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue '${name}' in vhost '/': received '2000' but current is '1000'`,
      ),
    });
    const ch2 = await channel(c);
    expect(
      await failure(
        ch2.assertQueue(name, { durable: false, arguments: { 'x-message-ttl': 1000 }, autoDelete: true }),
      ),
    ).toEqual({
      code: 406,
      message: rpcFailed(
        'QueueDeclare',
        406,
        'PRECONDITION-FAILED',
        `PRECONDITION_FAILED - inequivalent arg 'durable' for queue '${name}' in vhost '/': received 'false' but current is 'true'`,
      ),
    });
    const ch3 = await channel(c);
    expect(await failure(ch3.assertQueue(name, { autoDelete: true }))).toEqual({
      code: 406,
      message: rpcFailed(
        'QueueDeclare',
        406,
        'PRECONDITION-FAILED',
        `PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue '${name}' in vhost '/': received none but current is the value '1000' of type 'short'`,
      ),
    });
    await (await channel(c)).deleteQueue(name);
  });

  it('accepts and ignores unknown x- arguments (there is no x-max-retries)', async () => {
    const c = await t.connect();
    const ch = await channel(c);
    const name = uniq('myth');
    await ch.assertQueue(name, { exclusive: true, arguments: { 'x-max-retries': 3 } });
    const again = await ch.assertQueue(name, { exclusive: true, arguments: { 'x-max-retries': 5 } });
    expect(again.queue).toBe(name);
  });

  it('rejects invalid arguments with 406', async () => {
    const c = await t.connect();
    const name = uniq('bad');
    const cases: [Record<string, unknown>, string][] = [
      [
        { 'x-message-ttl': -1 },
        `invalid arg 'x-message-ttl' for queue '${name}' in vhost '/': {value_negative,-1}`,
      ],
      [
        { 'x-message-ttl': 'soon' },
        `invalid arg 'x-message-ttl' for queue '${name}' in vhost '/': "expected integer, got longstr"`,
      ],
      [
        { 'x-max-length': -2 },
        `invalid arg 'x-max-length' for queue '${name}' in vhost '/': {value_negative,-2}`,
      ],
      [{ 'x-expires': 0 }, `invalid arg 'x-expires' for queue '${name}' in vhost '/': {value_zero,0}`],
      [
        { 'x-overflow': 'sideways' },
        `invalid arg 'x-overflow' for queue '${name}' in vhost '/': invalid_overflow`,
      ],
      [
        { 'x-overflow': 5 },
        `invalid arg 'x-overflow' for queue '${name}' in vhost '/': {unacceptable_type,byte}`,
      ],
      [
        { 'x-dead-letter-exchange': 5 },
        `invalid type 'byte' for arg 'x-dead-letter-exchange' in queue '${name}' in vhost '/'`,
      ],
      [
        { 'x-dead-letter-routing-key': 'k' },
        `invalid arg 'x-dead-letter-routing-key' for queue '${name}' in vhost '/': routing_key_but_no_dlx_defined`,
      ],
      [
        { 'x-max-length': 1.5 },
        `invalid arg 'x-max-length' for queue '${name}' in vhost '/': "expected integer, got double"`,
      ],
      [
        { 'x-delivery-limit': 3 },
        `invalid arg 'x-delivery-limit' for queue '${name}' in vhost '/' of queue type rabbit_classic_queue`,
      ],
    ];
    for (const [args, text] of cases) {
      const ch = await channel(c);
      const e = await failure(ch.assertQueue(name, { exclusive: true, arguments: args }));
      expect(e).toEqual({
        code: 406,
        message: rpcFailed('QueueDeclare', 406, 'PRECONDITION-FAILED', `PRECONDITION_FAILED - ${text}`),
      });
    }
  });

  it('refuses reserved amq.* names with 403', async () => {
    const ch = await channel(await t.connect());
    expect(await failure(ch.assertQueue('amq.mine'))).toEqual({
      code: 403,
      message: rpcFailed(
        'QueueDeclare',
        403,
        'ACCESS-REFUSED',
        "ACCESS_REFUSED - queue name 'amq.mine' contains reserved prefix 'amq.*'",
      ),
    });
  });

  it('locks an exclusive queue to its connection (405) and deletes it when that connection closes', async () => {
    const owner = await t.connect();
    const other = await t.connect();
    const name = uniq('excl');
    await (await channel(owner)).assertQueue(name, { exclusive: true });
    const locked = rpcFailed(
      'QueueDeclare',
      405,
      'RESOURCE-LOCKED',
      `RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '${name}' in vhost '/'. It could be originally declared on another connection or the exclusive property value does not match that of the original declaration.`,
    );
    expect(await failure((await channel(other)).checkQueue(name))).toEqual({ code: 405, message: locked });
    expect(await failure((await channel(other)).assertQueue(name, { exclusive: true }))).toEqual({
      code: 405,
      message: locked,
    });
    expect(await failure((await channel(owner)).assertQueue(name, { exclusive: false }))).toEqual({
      code: 405,
      message: locked,
    });
    // Publishing into it from elsewhere is allowed.
    const pub = await await other.createConfirmChannel();
    pub.sendToQueue(name, Buffer.from('x'));
    await pub.waitForConfirms();
    expect((await (await channel(owner)).checkQueue(name)).messageCount).toBe(1);
    await owner.close();
    expect((await failure((await channel(other)).checkQueue(name))).code).toBe(404);
  });

  it('deletes an auto-delete queue when its last consumer goes, not before it had one', async () => {
    const c = await t.connect();
    const ch = await channel(c);
    const name = uniq('auto');
    await ch.assertQueue(name, { autoDelete: true, durable: false });
    expect((await ch.checkQueue(name)).queue).toBe(name);
    await ch.consume(name, () => {}, { consumerTag: 'a' });
    await ch.consume(name, () => {}, { consumerTag: 'b' });
    await ch.cancel('a');
    expect((await ch.checkQueue(name)).consumerCount).toBe(1);
    await ch.cancel('b');
    expect((await failure(ch.checkQueue(name))).code).toBe(404);
  });

  it('deletes with ifEmpty / ifUnused checks (406), and a missing queue without error', async () => {
    const c = await t.connect();
    const name = uniq('del');
    const ch = await channel(c);
    await ch.assertQueue(name, { exclusive: true });
    const pub = await c.createConfirmChannel();
    pub.sendToQueue(name, Buffer.from('x'));
    await pub.waitForConfirms();
    expect(await failure(ch.deleteQueue(name, { ifEmpty: true }))).toEqual({
      code: 406,
      message: rpcFailed(
        'QueueDelete',
        406,
        'PRECONDITION-FAILED',
        `PRECONDITION_FAILED - queue '${name}' in vhost '/' not empty`,
      ),
    });
    const ch2 = await channel(c);
    await ch2.consume(name, () => {}, { consumerTag: 'busy', noAck: false });
    const ch3 = await channel(c);
    expect(await failure(ch3.deleteQueue(name, { ifUnused: true }))).toEqual({
      code: 406,
      message: rpcFailed(
        'QueueDelete',
        406,
        'PRECONDITION-FAILED',
        `PRECONDITION_FAILED - queue '${name}' in vhost '/' in use`,
      ),
    });
    await ch2.close();
    const ch4 = await channel(c);
    expect(await ch4.deleteQueue(name)).toEqual({ messageCount: 1 });
    expect(await ch4.deleteQueue(uniq('never'))).toEqual({ messageCount: 0 });
  });

  it('purges ready messages and reports how many', async () => {
    const c = await t.connect();
    const ch = await c.createConfirmChannel();
    const q = await ch.assertQueue('', { exclusive: true });
    for (const b of ['1', '2', '3']) ch.sendToQueue(q.queue, Buffer.from(b));
    await ch.waitForConfirms();
    expect(await ch.purgeQueue(q.queue)).toEqual({ messageCount: 3 });
  });
});

describe('exchanges', () => {
  it('redeclares a system exchange with its own type, refuses a new amq.* one and a different type', async () => {
    const c = await t.connect();
    await (await channel(c)).assertExchange('amq.direct', 'direct');
    expect(await failure((await channel(c)).assertExchange('amq.mine', 'direct'))).toEqual({
      code: 403,
      message: rpcFailed(
        'ExchangeDeclare',
        403,
        'ACCESS-REFUSED',
        "ACCESS_REFUSED - exchange name 'amq.mine' contains reserved prefix 'amq.*'",
      ),
    });
    expect(await failure((await channel(c)).assertExchange('amq.direct', 'fanout'))).toEqual({
      code: 406,
      message: rpcFailed(
        'ExchangeDeclare',
        406,
        'PRECONDITION-FAILED',
        "PRECONDITION_FAILED - inequivalent arg 'type' for exchange 'amq.direct' in vhost '/': received 'fanout' but current is 'direct'",
      ),
    });
  });

  it('reports 404 for a passive declare of a missing exchange and for binding to one', async () => {
    const c = await t.connect();
    const name = uniq('nox');
    expect(await failure((await channel(c)).checkExchange(name))).toEqual({
      code: 404,
      message: rpcFailed(
        'ExchangeDeclare',
        404,
        'NOT-FOUND',
        `NOT_FOUND - no exchange '${name}' in vhost '/'`,
      ),
    });
    const ch = await channel(c);
    const q = await ch.assertQueue('', { exclusive: true });
    expect(await failure(ch.bindQueue(q.queue, name, 'k'))).toEqual({
      code: 404,
      message: rpcFailed('QueueBind', 404, 'NOT-FOUND', `NOT_FOUND - no exchange '${name}' in vhost '/'`),
    });
  });

  it('forbids binding to the default exchange and deleting system exchanges (403)', async () => {
    const c = await t.connect();
    const ch = await channel(c);
    const q = await ch.assertQueue('', { exclusive: true });
    expect(await failure(ch.bindQueue(q.queue, '', 'k'))).toEqual({
      code: 403,
      message: rpcFailed(
        'QueueBind',
        403,
        'ACCESS-REFUSED',
        'ACCESS_REFUSED - operation not permitted on the default exchange',
      ),
    });
    expect(await failure((await channel(c)).deleteExchange('amq.fanout'))).toEqual({
      code: 403,
      message: rpcFailed(
        'ExchangeDelete',
        403,
        'ACCESS-REFUSED',
        "ACCESS_REFUSED - deletion of system exchange 'amq.fanout' in vhost '/' not allowed",
      ),
    });
  });

  it('deletes with ifUnused (406 while bound), and a missing exchange without error', async () => {
    const c = await t.connect();
    const ch = await channel(c);
    const x = uniq('x');
    await ch.assertExchange(x, 'fanout', { durable: false });
    const q = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(q.queue, x, '');
    expect(await failure(ch.deleteExchange(x, { ifUnused: true }))).toEqual({
      code: 406,
      message: rpcFailed(
        'ExchangeDelete',
        406,
        'PRECONDITION-FAILED',
        `PRECONDITION_FAILED - exchange '${x}' in vhost '/' in use`,
      ),
    });
    const ch2 = await channel(c);
    await ch2.deleteExchange(x);
    await ch2.deleteExchange(x);
    expect((await failure(ch2.checkExchange(x))).code).toBe(404);
  });

  it('closes the channel with 404 when publishing to a missing exchange', async () => {
    const c = await t.connect();
    const ch = await c.createChannel();
    const x = uniq('gone');
    const err = new Promise<Error>((resolve) => ch.once('error', resolve));
    ch.publish(x, 'k', Buffer.from('x'));
    expect((await err).message).toBe(
      `Channel closed by server: 404 (NOT-FOUND) with message "NOT_FOUND - no exchange '${x}' in vhost '/'"`,
    );
  });
});

describe('long names', () => {
  it('cuts a reply text longer than a shortstr to 252 bytes and "..."', async () => {
    const owner = await t.connect();
    const name = `${uniq('long')}-${'q'.repeat(230)}`;
    await (await channel(owner)).assertQueue(name, { exclusive: true });
    const e = await failure((await channel(await t.connect())).checkQueue(name));
    const text = `RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '${name}' in vhost '/'. It could be originally declared on another connection or the exclusive property value does not match that of the original declaration.`;
    expect(e).toEqual({
      code: 405,
      message: rpcFailed('QueueDeclare', 405, 'RESOURCE-LOCKED', `${text.slice(0, 252)}...`),
    });
  });
});
