// Bad input at the frame level, through a scripted peer: every case answers as RabbitMQ 3.10.8 did when the same
// bytes were sent to it (recorded with this peer against a real node), and the broker keeps serving a well-behaved
// amqplib client throughout. Ends with a bounded, seeded fuzz of mutated frames.
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { divergences } from '../conformance/divergences';
import { AmqpBroker } from '../src/broker';
import { ScriptedPeer } from './scripted-peer';

let broker: AmqpBroker;
let bystander: amqp.ChannelModel;
let port: number;

beforeAll(async () => {
  broker = await AmqpBroker.start();
  port = broker.address.port;
  bystander = await amqp.connect(`amqp://guest:guest@127.0.0.1:${port}`);
});
afterAll(async () => {
  await bystander.close();
  await broker.stop();
});

/** The bystander still declares, publishes and gets a message back. */
async function bystanderWorks(): Promise<void> {
  const ch = await bystander.createConfirmChannel();
  const q = (await ch.assertQueue('', { exclusive: true })).queue;
  ch.sendToQueue(q, Buffer.from('still here'));
  await ch.waitForConfirms();
  const m = await ch.get(q, { noAck: true });
  expect(m && m.content.toString()).toBe('still here');
  await ch.close();
}

async function openChannel(p: ScriptedPeer, ch = 1): Promise<void> {
  p.method('ChannelOpen', ch, { outOfBand: '' });
  await p.expect('ChannelOpenOk');
}

const closeWith = (replyCode: number, replyText: string, classId: number, methodId: number) => ({
  type: 'method',
  channel: 0,
  name: 'ConnectionClose',
  fields: { replyCode, replyText, classId, methodId },
});

const publish = { exchange: '', routingKey: 'q', mandatory: false, immediate: false };

const cases: [string, (p: ScriptedPeer) => Promise<void> | void, object][] = [
  [
    'a method on a channel never opened',
    (p) => p.method('QueueDeclare', 5, { queue: 'x', arguments: {} }),
    closeWith(504, "CHANNEL_ERROR - expected 'channel.open'", 50, 10),
  ],
  [
    'channel.open twice',
    async (p) => {
      await openChannel(p);
      p.method('ChannelOpen', 1, { outOfBand: '' });
    },
    closeWith(504, "CHANNEL_ERROR - second 'channel.open' seen", 20, 10),
  ],
  [
    'a body frame without a publish',
    async (p) => {
      await openChannel(p);
      p.body(1, Buffer.from('hi'));
    },
    closeWith(505, 'UNEXPECTED_FRAME - expected method frame, got non method frame instead', 0, 0),
  ],
  [
    'a content header without a publish',
    async (p) => {
      await openChannel(p);
      p.header(1, 2);
    },
    closeWith(505, 'UNEXPECTED_FRAME - expected method frame, got non method frame instead', 0, 0),
  ],
  [
    'a method where the content header belongs',
    async (p) => {
      await openChannel(p);
      p.method('BasicPublish', 1, publish);
      p.method('BasicQos', 1, { prefetchSize: 0, prefetchCount: 1, global: false });
    },
    closeWith(
      505,
      'UNEXPECTED_FRAME - expected content header for class 60, got non content header frame instead',
      60,
      40,
    ),
  ],
  [
    'a frame over frame_max',
    async (p) => {
      await openChannel(p);
      p.method('BasicPublish', 1, publish);
      p.header(1, 300000);
      p.body(1, Buffer.alloc(200000));
    },
    closeWith(501, 'FRAME_ERROR - type 3, all octets = <<>>: {frame_too_large,200000,131064}', 0, 0),
  ],
  [
    'a frame without its frame-end octet',
    (p) => p.write(Buffer.from([1, 0, 0, 0, 0, 0, 4, 0, 20, 0, 10, 0])),
    closeWith(501, 'FRAME_ERROR - type 1, all octets = <<0,20,0,10>>: {invalid_frame_end_marker,0}', 0, 0),
  ],
  [
    'an unknown frame type',
    (p) => p.write(Buffer.from([9, 0, 0, 0, 0, 0, 0, 0xce])),
    closeWith(501, 'FRAME_ERROR - type 9, all octets = <<>>: unknown_frame', 0, 0),
  ],
  [
    'truncated method arguments',
    async (p) => {
      await openChannel(p);
      p.write(Buffer.from([1, 0, 1, 0, 0, 0, 6, 0, 50, 0, 10, 0, 0, 0xce]));
    },
    closeWith(501, 'FRAME_ERROR - cannot decode <<0,0>>', 50, 10),
  ],
  [
    'channel.close on channel 0',
    (p) => p.method('ChannelClose', 0, { replyCode: 200, replyText: '', classId: 0, methodId: 0 }),
    closeWith(504, 'CHANNEL_ERROR - unexpected method in connection state running', 20, 40),
  ],
  [
    'basic.qos with a prefetch size',
    async (p) => {
      await openChannel(p);
      p.method('BasicQos', 1, { prefetchSize: 1000, prefetchCount: 1, global: false });
    },
    closeWith(540, 'NOT_IMPLEMENTED - prefetch_size!=0 (1000)', 60, 10),
  ],
  [
    'a heartbeat on a channel other than 0',
    (p) => p.write(Buffer.from([8, 0, 1, 0, 0, 0, 0, 0xce])),
    closeWith(505, 'UNEXPECTED_FRAME - type 8, all octets = <<>>', 0, 0),
  ],
  [
    'channel.flow active=false',
    async (p) => {
      await openChannel(p);
      p.method('ChannelFlow', 1, { active: false });
    },
    closeWith(540, 'NOT_IMPLEMENTED - active=false', 20, 20),
  ],
  [
    'tx.select after confirm.select',
    async (p) => {
      await openChannel(p);
      p.method('ConfirmSelect', 1, { nowait: false });
      await p.expect('ConfirmSelectOk');
      p.method('TxSelect', 1, {});
    },
    {
      type: 'method',
      channel: 1,
      name: 'ChannelClose',
      fields: {
        replyCode: 406,
        replyText: 'PRECONDITION_FAILED - cannot switch from confirm to tx mode',
        classId: 90,
        methodId: 10,
      },
    },
  ],
];

describe('bad input', () => {
  for (const [label, script, expected] of cases) {
    it(`answers ${label} as RabbitMQ does`, async () => {
      const p = await ScriptedPeer.open(port);
      await script(p);
      expect(await p.next()).toEqual(expected);
      p.close();
      await bystanderWorks();
    });
  }

  it('drops the socket, as RabbitMQ does, on an unknown method id', async () => {
    const p = await ScriptedPeer.open(port);
    await openChannel(p);
    p.write(Buffer.from([1, 0, 1, 0, 0, 0, 4, 0, 99, 0, 1, 0xce]));
    expect(await p.next()).toBeNull();
    await bystanderWorks();
  });

  it('ignores methods on a channel it closed until close-ok, then lets it reopen', async () => {
    const p = await ScriptedPeer.open(port);
    await openChannel(p);
    p.method('QueueDeclare', 1, { queue: 'nope-404', passive: true, arguments: {} });
    expect((await p.expect('ChannelClose')).fields).toMatchObject({ replyCode: 404 });
    p.method('QueueDeclare', 1, { queue: 'ignored', arguments: {} });
    p.method('ChannelCloseOk', 1, {});
    await openChannel(p);
    expect(broker.snapshot().queues.map((q) => q.name)).not.toContain('ignored');
    p.close();
  });

  it(`diverges knowingly: ${divergences.txNotImplemented.embedded}`, async () => {
    const p = await ScriptedPeer.open(port);
    await openChannel(p);
    p.method('TxSelect', 1, {});
    expect(await p.next()).toEqual(closeWith(540, 'NOT_IMPLEMENTED - tx.select', 90, 10));
    p.close();
  });

  it(`diverges knowingly: ${divergences.bodyOverrun.embedded}`, async () => {
    const p = await ScriptedPeer.open(port);
    await openChannel(p);
    p.method('BasicPublish', 1, publish);
    p.header(1, 2);
    p.body(1, Buffer.alloc(5));
    expect(await p.next()).toEqual(
      closeWith(501, 'FRAME_ERROR - content body exceeds declared size 2', 0, 0),
    );
    p.close();
  });
});

describe('fuzz', () => {
  it('survives 300 connections of mutated frames and keeps serving', async () => {
    // A fixed seed keeps failures reproducible; the frames start valid so mutations reach the decoders.
    let seed = 0x5eed;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const valid = () => {
      const p: Buffer[] = [];
      const fake = { write: (b: Buffer) => p.push(b) } as unknown as ScriptedPeer;
      ScriptedPeer.prototype.method.call(fake, 'QueueDeclare', 1, {
        queue: 'fz',
        arguments: { 'x-message-ttl': 5 },
      });
      ScriptedPeer.prototype.method.call(fake, 'BasicPublish', 1, publish);
      ScriptedPeer.prototype.header.call(fake, 1, 3, { headers: { a: [1, 'x'] }, expiration: '10' });
      ScriptedPeer.prototype.body.call(fake, 1, Buffer.from('abc'));
      ScriptedPeer.prototype.method.call(fake, 'BasicGet', 1, { queue: 'fz', noAck: false });
      return Buffer.concat(p);
    };
    for (let i = 0; i < 300; i++) {
      const p = await ScriptedPeer.open(port);
      await openChannel(p);
      const bytes = valid();
      for (let k = 1 + rand(4); k > 0; k--) bytes[rand(bytes.length)] = rand(256);
      p.write(bytes.subarray(0, bytes.length - rand(3)));
      p.socket.end();
      await p.closed;
    }
    await bystanderWorks();
  });
});
