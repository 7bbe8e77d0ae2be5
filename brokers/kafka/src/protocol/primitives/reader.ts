// Reads Kafka's non-flexible primitives (big-endian ints, i16-length strings, i32-length bytes and arrays) from one
// request body. Every read checks bounds and throws a MalformedRequest, which closes the connection as Kafka does.
export class MalformedRequest extends Error {}

export class Reader {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private take(n: number): number {
    if (n < 0 || this.pos + n > this.buf.length) throw new MalformedRequest(`need ${n} bytes at ${this.pos}`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.take(1));
  }
  int16(): number {
    return this.buf.readInt16BE(this.take(2));
  }
  int32(): number {
    return this.buf.readInt32BE(this.take(4));
  }
  int64(): bigint {
    return this.buf.readBigInt64BE(this.take(8));
  }
  bool(): boolean {
    return this.int8() !== 0;
  }

  nullableString(): string | null {
    const len = this.int16();
    if (len === -1) return null;
    if (len < 0) throw new MalformedRequest(`string length ${len}`);
    const at = this.take(len);
    return this.buf.toString('utf8', at, at + len);
  }
  string(): string {
    const s = this.nullableString();
    if (s === null) throw new MalformedRequest('null where a string is required');
    return s;
  }

  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len === -1) return null;
    if (len < 0) throw new MalformedRequest(`bytes length ${len}`);
    const at = this.take(len);
    return this.buf.subarray(at, at + len);
  }
  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }

  /** An array; null (-1) reads as null. A count larger than the bytes left is garbage, not a huge allocation. */
  nullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n === -1) return null;
    if (n < 0 || n > this.remaining) throw new MalformedRequest(`array count ${n}`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
  array<T>(item: (r: Reader) => T): T[] {
    return this.nullableArray(item) ?? [];
  }

  /** Requests must be consumed exactly: trailing bytes mean the wrong schema or a garbled frame. */
  end(): void {
    if (this.remaining !== 0) throw new MalformedRequest(`${this.remaining} trailing bytes`);
  }
}
