// The AMQP 0-9-1 wire format, borrowed from amqplib 2.3.1's generated `lib/defs.js` and `lib/frame.js` (pinned
// exactly in package.json; internal files, so a round-trip test guards every upgrade). This adapter is the only
// place that touches them: it turns frames into a typed union by method name and encodes server methods.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Props } from './types';
import type { ClientMethods, ServerMethods } from './types';

export type { Props, ClientMethods, ServerMethods } from './types';

interface AmqpDefs {
  encodeMethod(id: number, channel: number, fields: object): Buffer;
  encodeProperties(id: number, channel: number, size: number, fields: object): Buffer;
  decode(id: number, buf: Buffer): Record<string, unknown>;
  info(id: number): { name: string } | undefined;
  [name: string]: unknown;
}
interface AmqpFrame {
  PROTOCOL_HEADER: string;
  HEARTBEAT_BUF: Buffer;
  makeBodyFrame(channel: number, payload: Buffer): Buffer;
}

// amqplib's `exports` map hides lib/; absolute paths are not subject to it.
const req = createRequire(import.meta.url);
const root = path.dirname(req.resolve('amqplib'));
const defs = req(path.join(root, 'lib/defs.js')) as AmqpDefs;
const frameLib = req(path.join(root, 'lib/frame.js')) as AmqpFrame;

export const PROTOCOL_HEADER = Buffer.from(frameLib.PROTOCOL_HEADER, 'latin1');
export const HEARTBEAT_BUF = frameLib.HEARTBEAT_BUF;
/** Bytes a frame adds around its payload (type, channel, size, frame-end). */
export const FRAME_OVERHEAD = 8;

const FRAME_METHOD = 1;
const FRAME_HEADER = 2;
const FRAME_BODY = 3;
const FRAME_HEARTBEAT = 8;

export type MethodName = keyof ClientMethods;
export type Method = { [K in MethodName]: { name: K; id: number; fields: ClientMethods[K] } }[MethodName];

export type Frame =
  | { kind: 'method'; channel: number; method: Method }
  | { kind: 'unknown-method'; channel: number; id: number }
  | { kind: 'header'; channel: number; classId: number; bodySize: number; props: Props; raw: Buffer }
  | { kind: 'body'; channel: number; content: Buffer }
  | { kind: 'heartbeat'; channel: number };

const clientNames = [
  'ConnectionStartOk',
  'ConnectionSecureOk',
  'ConnectionTuneOk',
  'ConnectionOpen',
  'ConnectionClose',
  'ConnectionCloseOk',
  'ConnectionUpdateSecret',
  'ChannelOpen',
  'ChannelFlow',
  'ChannelFlowOk',
  'ChannelClose',
  'ChannelCloseOk',
  'AccessRequest',
  'ExchangeDeclare',
  'ExchangeDelete',
  'ExchangeBind',
  'ExchangeUnbind',
  'QueueDeclare',
  'QueueBind',
  'QueueUnbind',
  'QueuePurge',
  'QueueDelete',
  'BasicQos',
  'BasicConsume',
  'BasicCancel',
  'BasicPublish',
  'BasicGet',
  'BasicAck',
  'BasicReject',
  'BasicNack',
  'BasicRecover',
  'BasicRecoverAsync',
  'ConfirmSelect',
  'TxSelect',
  'TxCommit',
  'TxRollback',
] as const satisfies readonly MethodName[];

const nameById = new Map<number, MethodName>(clientNames.map((n) => [methodId(n), n]));

function methodId(name: string): number {
  const id = defs[name];
  if (typeof id !== 'number') throw new Error(`amqplib defs has no method ${name}`);
  return id;
}

/** `[classId, methodId]` of a method id, as connection.close and channel.close report them. */
export function splitId(id: number): [number, number] {
  return [id >>> 16, id & 0xffff];
}

export function idOf(name: MethodName | keyof ServerMethods): number {
  return methodId(name);
}

/** Spec name of a method id (`queue.declare`), for "expected X, got Y" texts. */
export function specName(id: number): string {
  const info = defs.info(id);
  if (!info) return `method ${id}`;
  const words = info.name.split(/(?=[A-Z])/).map((w) => w.toLowerCase());
  return `${words[0]}.${words.slice(1).join('-')}`;
}

/**
 * A frame the broker cannot read. `text` follows RabbitMQ 3.10.8's FRAME_ERROR texts (observed), Erlang terms
 * included, so a learner comparing the two brokers sees the same words; `methodId` is set when the frame was a
 * method whose arguments did not decode.
 */
export class FrameError extends Error {
  constructor(
    readonly text: string,
    readonly methodId = 0,
  ) {
    super(text);
  }
}

const octets = (b: Buffer) => `<<${[...b].join(',')}>>`;

/**
 * Takes one frame off the front of `buf`, or returns null when more bytes are needed. Throws FrameError for a
 * payload over `frameMax - 8`, a missing frame-end octet, an unknown frame type or undecodable arguments.
 * Buffers in the result are views into `buf`: copy before keeping.
 */
export function readFrame(buf: Buffer, frameMax: number): { frame: Frame; rest: Buffer } | null {
  if (buf.length < 7) return null;
  const type = buf.readUInt8(0);
  const channel = buf.readUInt16BE(1);
  const size = buf.readUInt32BE(3);
  const limit = frameMax - FRAME_OVERHEAD;
  if (frameMax > 0 && size > limit)
    throw new FrameError(`type ${type}, all octets = <<>>: {frame_too_large,${size},${limit}}`);
  if (buf.length < size + FRAME_OVERHEAD) return null;
  const payload = buf.subarray(7, 7 + size);
  const end = buf.readUInt8(7 + size);
  if (end !== 0xce)
    throw new FrameError(`type ${type}, all octets = ${octets(payload)}: {invalid_frame_end_marker,${end}}`);
  if (type !== FRAME_METHOD && type !== FRAME_HEADER && type !== FRAME_BODY && type !== FRAME_HEARTBEAT) {
    throw new FrameError(`type ${type}, all octets = ${octets(payload)}: unknown_frame`);
  }
  return { frame: decodePayload(type, channel, payload), rest: buf.subarray(size + FRAME_OVERHEAD) };
}

function decodePayload(type: number, channel: number, payload: Buffer): Frame {
  switch (type) {
    case FRAME_METHOD: {
      if (payload.length < 4) throw new FrameError(`cannot decode ${octets(payload)}`);
      const id = payload.readUInt32BE(0);
      const name = nameById.get(id);
      if (!name) return { kind: 'unknown-method', channel, id };
      const args = payload.subarray(4);
      let fields;
      try {
        fields = defs.decode(id, args);
      } catch {
        throw new FrameError(`cannot decode ${octets(args)}`, id);
      }
      return { kind: 'method', channel, method: { name, id, fields } as unknown as Method };
    }
    case FRAME_HEADER: {
      if (payload.length < 14) throw new FrameError(`cannot decode ${octets(payload)}`);
      const classId = payload.readUInt16BE(0);
      const bodySize = Number(payload.readBigUInt64BE(4));
      const raw = payload.subarray(12);
      let props: Props = {};
      try {
        if (classId === 60) props = defs.decode(60, raw) as Props;
      } catch {
        throw new FrameError(`cannot decode ${octets(raw)}`);
      }
      return { kind: 'header', channel, classId, bodySize, props, raw };
    }
    case FRAME_BODY:
      return { kind: 'body', channel, content: payload };
    default:
      return { kind: 'heartbeat', channel };
  }
}

export function encodeMethod<K extends keyof ServerMethods>(
  name: K,
  channel: number,
  fields: ServerMethods[K],
): Buffer {
  return defs.encodeMethod(methodId(name), channel, fields);
}

/** The flags-and-fields bytes of a content header, as a header frame carries them after class, weight and size. */
export function encodeProps(props: Props): Buffer {
  const frame = defs.encodeProperties(60, 0, 0, props);
  return Buffer.from(frame.subarray(7 + 12, frame.length - 1));
}

export function decodeProps(raw: Buffer): Props {
  return defs.decode(60, raw) as Props;
}

/** Header frame plus body frames of at most `frameMax - 8` bytes each; an empty body gets no body frame. */
export function encodeContent(channel: number, rawProps: Buffer, body: Buffer, frameMax: number): Buffer[] {
  const header = Buffer.allocUnsafe(7 + 12 + rawProps.length + 1);
  header.writeUInt8(FRAME_HEADER, 0);
  header.writeUInt16BE(channel, 1);
  header.writeUInt32BE(12 + rawProps.length, 3);
  header.writeUInt16BE(60, 7);
  header.writeUInt16BE(0, 9);
  header.writeBigUInt64BE(BigInt(body.length), 11);
  rawProps.copy(header, 19);
  header.writeUInt8(0xce, header.length - 1);
  const out: Buffer[] = [header];
  const chunk = frameMax > 0 ? frameMax - FRAME_OVERHEAD : body.length;
  for (let at = 0; at < body.length; at += chunk)
    out.push(frameLib.makeBodyFrame(channel, body.subarray(at, at + chunk)));
  return out;
}
