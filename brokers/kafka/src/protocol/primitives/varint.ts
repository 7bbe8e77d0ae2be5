// Zigzag varints as record batches v2 use them for each record's fields (Kafka's ByteUtils.writeVarint).
// Only 32-bit values are needed: record lengths, deltas and header counts.
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
