// Zigzag varints as record batches v2 use them for each record's fields (Kafka's ByteUtils.writeVarint and
// readVarlong): 32-bit for lengths, offset deltas and header counts, 64-bit for timestamp deltas.
export function zigzag(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0;
}

export function unzigzag(n: number): number {
  return (n >>> 1) ^ -(n & 1);
}

/** Appends the zigzag varint of `n` to `out`. */
export function writeVarint(out: number[], n: number): void {
  let v = zigzag(n);
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

/** Reads a zigzag varint at `offset`; returns the value and the offset after it, or throws on a truncated input. */
export function readVarint(buf: Uint8Array, offset: number): { value: number; next: number } {
  let v = 0;
  for (let shift = 0, i = offset; shift <= 28; shift += 7, i++) {
    if (i >= buf.length) throw new RangeError('truncated varint');
    const b = buf[i]!;
    v |= (b & 0x7f) << shift;
    if (!(b & 0x80)) return { value: unzigzag(v >>> 0), next: i + 1 };
  }
  throw new RangeError('varint longer than 5 bytes');
}

/** Reads a zigzag varlong (up to 10 bytes) at `offset`; returns the value and the offset after it. */
export function readVarlong(buf: Uint8Array, offset: number): { value: bigint; next: number } {
  let v = 0n;
  for (let shift = 0n, i = offset; shift <= 63n; shift += 7n, i++) {
    if (i >= buf.length) throw new RangeError('truncated varlong');
    const b = buf[i]!;
    v |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) return { value: (v >> 1n) ^ -(v & 1n), next: i + 1 };
  }
  throw new RangeError('varlong longer than 10 bytes');
}
