// Round trips through amqplib's own codec, the oracle for our adapter: what amqplib (the client) encodes, we
// decode to the same fields; what we encode, amqplib decodes to the same method, properties and body.
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeContent, encodeMethod, encodeProps, idOf, readFrame, specName, splitId } from './codec';

const req = createRequire(import.meta.url);
const root = path.dirname(req.resolve('amqplib'));
const defs = req(path.join(root, 'lib/defs.js'));
const frame = req(path.join(root, 'lib/frame.js'));

function clientDecode(buf: Buffer) {
  const out = [];
  let rest = buf;
  for (let f; (f = frame.parseFrame(rest, 0)); rest = f.rest) out.push(frame.decodeFrame(f));
  expect(rest.length).toBe(0);
  return out;
}

describe('wire codec', () => {
  it('decodes client methods as amqplib encodes them', () => {
    const fields = {
      queue: 'orders',
      passive: false,
      durable: true,
      exclusive: false,
      autoDelete: true,
      nowait: false,
      arguments: { 'x-message-ttl': 1000, 'x-dead-letter-exchange': 'dlx' },
    };
    const bytes = defs.encodeMethod(defs.QueueDeclare, 3, { ...fields, ticket: 0 });
    const got = readFrame(Buffer.concat([bytes, Buffer.from([1, 2])]), 131072);
    expect(got?.rest).toEqual(Buffer.from([1, 2]));
    expect(got?.frame).toMatchObject({
      kind: 'method',
      channel: 3,
      method: { name: 'QueueDeclare', fields },
    });
  });

  it('waits for the rest of a partial frame and rejects oversized or unterminated ones', () => {
    const bytes = defs.encodeMethod(defs.BasicAck, 1, { deliveryTag: 5, multiple: true });
    expect(readFrame(bytes.subarray(0, bytes.length - 1), 131072)).toBeNull();
    expect(() => readFrame(bytes, 16)).toThrow('type 1, all octets = <<>>: {frame_too_large,13,8}');
    const broken = Buffer.from(bytes);
    broken[broken.length - 1] = 0;
    expect(() => readFrame(broken, 131072)).toThrow(
      /^type 1, all octets = <<0,60,0,80,.*>>: \{invalid_frame_end_marker,0\}$/,
    );
  });

  it('encodes server methods that amqplib decodes to the same fields', () => {
    const fields = {
      consumerTag: 'c1',
      deliveryTag: 2 ** 40,
      redelivered: true,
      exchange: 'x',
      routingKey: 'a.b',
    };
    const [decoded] = clientDecode(encodeMethod('BasicDeliver', 7, fields));
    expect(decoded).toEqual({ id: defs.BasicDeliver, channel: 7, fields });
  });

  it('splits content into body frames of frameMax - 8 bytes and keeps properties exactly', () => {
    const props = {
      contentType: 'text/plain',
      headers: { n: 1, s: 'x', nested: { a: [1, 'b'] }, at: { '!': 'timestamp', value: 1700000000 } },
      deliveryMode: 2,
      expiration: '500',
      timestamp: 1700000000,
    };
    const body = Buffer.alloc(10_000, 9);
    const frames = encodeContent(4, encodeProps(props), body, 4096);
    expect(frames.map((f) => f.length)).toEqual([expect.any(Number), 4096, 4096, 10_000 - 2 * 4088 + 8]);
    const [header, ...parts] = clientDecode(Buffer.concat(frames));
    expect(header.size).toBe(10_000);
    expect(header.fields).toEqual({ ...props, headers: { ...props.headers } });
    expect(Buffer.concat(parts.map((p: { content: Buffer }) => p.content)).equals(body)).toBe(true);
    expect(encodeContent(4, encodeProps({}), Buffer.alloc(0), 4096)).toHaveLength(1);
  });

  it('names methods the way RabbitMQ texts do', () => {
    expect(specName(idOf('QueueDeclare'))).toBe('queue.declare');
    expect(specName(idOf('BasicRecoverAsync'))).toBe('basic.recover-async');
    expect(splitId(idOf('BasicPublish'))).toEqual([60, 40]);
  });
});
