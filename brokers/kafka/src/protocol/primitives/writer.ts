// Writes Kafka's non-flexible primitives into a growable buffer. Chainable, knows no API; `frame()` prefixes the
// i32 size that every message on the wire carries. `share()` puts a large buffer (a stored record batch) in the
// message by reference, and `frameParts()` hands the message out as a list of buffers for one vectored socket write,
// so a Fetch reply never copies the batches it carries.
export class Writer {
  private buf: Buffer;
  private pos = 0;
  /** Finished pieces in wire order: slices of earlier own bytes (never rewritten) and shared buffers. */
  private parts: Buffer[] = [];
  /** Where the own bytes not yet in `parts` start. */
  private partFrom = 0;
  private sharedBytes = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  /** Reserves `n` bytes and returns where they start; callers must read `this.buf` only after, as it may move. */
  private room(n: number): number {
    if (this.pos + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
      this.buf.copy(next, 0, 0, this.pos);
      this.buf = next;
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  int8(v: number): this {
    const at = this.room(1);
    this.buf.writeInt8(v, at);
    return this;
  }
  int16(v: number): this {
    const at = this.room(2);
    this.buf.writeInt16BE(v, at);
    return this;
  }
  int32(v: number): this {
    const at = this.room(4);
    this.buf.writeInt32BE(v, at);
    return this;
  }
  int64(v: bigint): this {
    const at = this.room(8);
    this.buf.writeBigInt64BE(v, at);
    return this;
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  nullableString(s: string | null): this {
    if (s === null) return this.int16(-1);
    const len = Buffer.byteLength(s);
    this.int16(len);
    const at = this.room(len);
    this.buf.write(s, at, 'utf8');
    return this;
  }
  string(s: string): this {
    return this.nullableString(s);
  }

  nullableBytes(b: Uint8Array | null): this {
    if (b === null) return this.int32(-1);
    this.int32(b.length);
    return this.raw(b);
  }
  bytes(b: Uint8Array): this {
    return this.nullableBytes(b);
  }

  raw(b: Uint8Array): this {
    const at = this.room(b.length);
    this.buf.set(b, at);
    return this;
  }

  /** Appends `b` by reference: the caller must not change it until the message is written out. */
  share(b: Buffer): this {
    if (b.length < SHARE_MIN) return this.raw(b);
    if (this.pos > this.partFrom) this.parts.push(this.buf.subarray(this.partFrom, this.pos));
    this.parts.push(b);
    this.partFrom = this.pos;
    this.sharedBytes += b.length;
    return this;
  }

  nullableArray<T>(items: readonly T[] | null, item: (w: this, v: T) => void): this {
    if (items === null) return this.int32(-1);
    this.int32(items.length);
    for (const v of items) item(this, v);
    return this;
  }
  array<T>(items: readonly T[], item: (w: this, v: T) => void): this {
    return this.nullableArray(items, item);
  }

  get length(): number {
    return this.pos + this.sharedBytes;
  }

  /** The bytes written so far (a view, valid until the next write, unless shared buffers make it a copy). */
  toBuffer(): Buffer {
    if (this.sharedBytes === 0) return this.buf.subarray(0, this.pos);
    return Buffer.concat([...this.parts, this.buf.subarray(this.partFrom, this.pos)]);
  }

  /** The bytes written so far behind their i32 size, as one wire message. */
  frame(): Buffer {
    if (this.sharedBytes > 0) return Buffer.concat(this.frameParts());
    const out = Buffer.allocUnsafe(4 + this.pos);
    out.writeInt32BE(this.pos, 0);
    this.buf.copy(out, 4, 0, this.pos);
    return out;
  }

  /** The same message as `frame()`, as buffers to write in order; shared buffers go out as they are. */
  frameParts(): Buffer[] {
    if (this.sharedBytes === 0) return [this.frame()];
    const size = Buffer.allocUnsafe(4);
    size.writeInt32BE(this.length, 0);
    const out = [size, ...this.parts];
    if (this.pos > this.partFrom) out.push(this.buf.subarray(this.partFrom, this.pos));
    return out;
  }
}

/** Below this a shared buffer is copied: a separate write costs more than copying a few hundred bytes. */
const SHARE_MIN = 1024;
