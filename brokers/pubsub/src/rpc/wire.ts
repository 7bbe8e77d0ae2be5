// Hand-written protobuf encoding of the hot path: a PubsubMessage is encoded once, when first delivered, and shared by
// every subscription and redelivery; a StreamingPullResponse or PullResponse is then the concatenation of its
// ReceivedMessages (ack id, the cached message bytes, delivery attempt) with no object building in between. The
// services' serialisers pass such a Buffer through as is (protos.ts); wire.test.ts decodes the result with the
// client's own proto definitions. Field numbers: google/pubsub/v1/pubsub.proto.
import type { StoredMessage } from '../state/topics';

/** Encoded lengths of a varint. */
function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

class Writer {
  readonly buf: Buffer;
  pos = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  varint(n: number): void {
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.pos++] = n;
  }

  /** A length-delimited field whose payload is already bytes. */
  bytes(tag: number, b: Buffer): void {
    this.buf[this.pos++] = tag;
    this.varint(b.length);
    this.pos += b.copy(this.buf, this.pos);
  }

  /** A length-delimited field whose payload is a string of `len` UTF-8 bytes. */
  string(tag: number, s: string, len: number): void {
    this.buf[this.pos++] = tag;
    this.varint(len);
    this.pos += this.buf.write(s, this.pos, len, 'utf8');
  }
}

function stringField(len: number): number {
  return 1 + varintSize(len) + len;
}

/** google.pubsub.v1.PubsubMessage: data 1, attributes 2 (map entries), message_id 3, publish_time 4, ordering_key 5. */
export function encodeMessage(m: StoredMessage): Buffer {
  const seconds = Math.floor(m.publishTime / 1000);
  const nanos = Math.round((m.publishTime - seconds * 1000) * 1e6);
  const timestampLen = 1 + varintSize(seconds) + (nanos ? 1 + varintSize(nanos) : 0);
  const idLen = Buffer.byteLength(m.id);
  const keyLen = Buffer.byteLength(m.orderingKey);
  const entries: { k: string; v: string; kl: number; vl: number; len: number }[] = [];
  let size = (m.data.length ? 1 + varintSize(m.data.length) + m.data.length : 0) + stringField(idLen);
  size += 1 + varintSize(timestampLen) + timestampLen + (keyLen ? stringField(keyLen) : 0);
  for (const k in m.attributes) {
    const v = m.attributes[k]!;
    const kl = Buffer.byteLength(k);
    const vl = Buffer.byteLength(v);
    const len = (kl ? stringField(kl) : 0) + (vl ? stringField(vl) : 0);
    entries.push({ k, v, kl, vl, len });
    size += 1 + varintSize(len) + len;
  }
  const w = new Writer(size);
  if (m.data.length) w.bytes(0x0a, m.data);
  for (const e of entries) {
    w.buf[w.pos++] = 0x12;
    w.varint(e.len);
    if (e.kl) w.string(0x0a, e.k, e.kl);
    if (e.vl) w.string(0x12, e.v, e.vl);
  }
  w.string(0x1a, m.id, idLen);
  w.buf[w.pos++] = 0x22;
  w.varint(timestampLen);
  w.buf[w.pos++] = 0x08;
  w.varint(seconds);
  if (nanos) {
    w.buf[w.pos++] = 0x10;
    w.varint(nanos);
  }
  if (keyLen) w.string(0x2a, m.orderingKey, keyLen);
  return w.buf;
}

export interface OutgoingMessage {
  ackId: string;
  message: Buffer;
  deliveryAttempt: number;
}

/**
 * StreamingPullResponse (received_messages 1, subscription_properties 4 {exactly_once 1, ordering 2}) or, without
 * properties, PullResponse (received_messages 1): both share the repeated ReceivedMessage field
 * {ack_id 1, message 2, delivery_attempt 3}.
 */
export function encodeReceived(
  batch: OutgoingMessage[],
  properties?: { exactlyOnce: boolean; ordering: boolean },
): Buffer {
  let size = 0;
  const lens: number[] = [];
  for (const r of batch) {
    const idLen = Buffer.byteLength(r.ackId);
    let len = stringField(idLen) + 1 + varintSize(r.message.length) + r.message.length;
    if (r.deliveryAttempt) len += 1 + varintSize(r.deliveryAttempt);
    lens.push(len);
    size += 1 + varintSize(len) + len;
  }
  const propsLen = properties ? (properties.exactlyOnce ? 2 : 0) + (properties.ordering ? 2 : 0) : -1;
  if (properties) size += 2 + propsLen;
  const w = new Writer(size);
  batch.forEach((r, i) => {
    w.buf[w.pos++] = 0x0a;
    w.varint(lens[i]!);
    w.string(0x0a, r.ackId, Buffer.byteLength(r.ackId));
    w.bytes(0x12, r.message);
    if (r.deliveryAttempt) {
      w.buf[w.pos++] = 0x18;
      w.varint(r.deliveryAttempt);
    }
  });
  if (properties) {
    w.buf[w.pos++] = 0x22;
    w.buf[w.pos++] = propsLen;
    if (properties.exactlyOnce) w.buf.writeUInt16BE(0x0801, (w.pos += 2) - 2);
    if (properties.ordering) w.buf.writeUInt16BE(0x1001, (w.pos += 2) - 2);
  }
  return w.buf;
}
