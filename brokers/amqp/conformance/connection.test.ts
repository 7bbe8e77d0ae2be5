// Connection-level behaviour with amqplib: handshake and capabilities, refused logins and vhosts, content split
// by a small frame size, a wrong protocol header, and the connection errors RabbitMQ raises (503, 530).
import { connect as rawConnect } from 'node:net';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channel, failure, nextError, type Target, target, uniq } from './target';

let t: Target;
beforeAll(async () => {
  t = await target();
});
afterAll(() => t.close());

describe('handshake', () => {
  it('advertises the capabilities amqplib relies on', async () => {
    const c = await t.connect();
    const caps = (c.connection as unknown as { serverProperties: { capabilities: Record<string, boolean> } })
      .serverProperties.capabilities;
    for (const cap of ['publisher_confirms', 'basic.nack', 'consumer_cancel_notify', 'connection.blocked']) {
      expect(caps[cap], cap).toBe(true);
    }
  });

  it('refuses a wrong password with 403 ACCESS_REFUSED', async () => {
    const url = t.url.replace('guest:guest', 'guest:wrong');
    const e = await failure(amqp.connect(url));
    expect(e.message).toBe(
      'Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused ' +
        'using authentication mechanism PLAIN. For details see the broker logfile."',
    );
  });

  it('refuses an unknown vhost with connection.close (amqplib does not show its text)', async () => {
    const e = await failure(amqp.connect(`${t.url}/nope`));
    expect(e.message).toBe('Expected ConnectionOpenOk; got <ConnectionClose channel:0>');
  });

  it('answers a wrong protocol header with its own and closes', async () => {
    const { hostname, port } = new URL(t.url);
    // RabbitMQ may reset the socket right after writing its header: 'close' follows 'error' either way.
    const got = await new Promise<Buffer>((resolve) => {
      const parts: Buffer[] = [];
      const s = rawConnect(Number(port), hostname, () => s.write('AMQP\x00\x00\x08\x00'));
      s.on('data', (d) => parts.push(d));
      s.on('error', () => {});
      s.on('close', () => resolve(Buffer.concat(parts)));
    });
    expect(got.toString('latin1')).toBe('AMQP\x00\x00\x09\x01');
  });
});

describe('content frames', () => {
  it('splits and reassembles bodies larger than a 4 KB frame, and empty ones', async () => {
    const c = await t.connect({ frameMax: 4096 });
    const ch = await channel(c);
    const q = uniq('frames');
    await ch.assertQueue(q, { exclusive: true });
    const big = Buffer.alloc(300_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
    ch.sendToQueue(q, big, { headers: { part: 'big' }, contentType: 'application/octet-stream' });
    ch.sendToQueue(q, Buffer.alloc(0), { messageId: 'empty' });
    const first = await getOne(ch, q);
    expect(first.content.equals(big)).toBe(true);
    expect(first.properties.headers).toEqual({ part: 'big' });
    expect(first.properties.contentType).toBe('application/octet-stream');
    const second = await getOne(ch, q);
    expect(second.content.length).toBe(0);
    expect(second.properties.messageId).toBe('empty');
  });
});

async function getOne(ch: amqp.Channel, q: string): Promise<amqp.GetMessage> {
  for (;;) {
    const m = await ch.get(q, { noAck: true });
    if (m) return m;
  }
}

describe('connection errors', () => {
  it('closes the connection with 503 for an unknown exchange type', async () => {
    const c = await t.connect();
    const ch = await channel(c);
    const closed = nextError(c);
    await failure(ch.assertExchange(uniq('x'), 'nonsense'));
    expect(await closed).toMatchObject({
      code: 503,
      message:
        'Connection closed: 503 (COMMAND-INVALID) with message "COMMAND_INVALID - unknown exchange type \'nonsense\'"',
    });
  });

  it('closes the connection with 530 when a consumer tag is reused on a channel', async () => {
    const c = await t.connect();
    const ch = await channel(c);
    const q = uniq('tags');
    await ch.assertQueue(q, { exclusive: true });
    await ch.consume(q, () => {}, { consumerTag: 'same' });
    const closed = nextError(c);
    await failure(ch.consume(q, () => {}, { consumerTag: 'same' }));
    expect(await closed).toMatchObject({
      code: 530,
      message:
        'Connection closed: 530 (NOT-ALLOWED) with message "NOT_ALLOWED - attempt to reuse consumer tag \'same\'"',
    });
  });

  it('keeps other connections working after one is closed by an error', async () => {
    const bad = await t.connect();
    const badCh = await channel(bad);
    const closed = nextError(bad);
    await failure(badCh.assertExchange(uniq('x'), 'nonsense'));
    await closed;
    const good = await t.connect();
    const ch = await channel(good);
    const q = await ch.assertQueue('', { exclusive: true });
    expect(q.queue).toMatch(/^amq\.gen-[A-Za-z0-9_-]{22}$/);
  });
});
