// One partition's log: stored batches with their offsets, log start, high watermark, retention by bytes, and the
// fetch waiters an append wakes. One node, so the high watermark is the log end offset. Call only from the cluster
// owner's synchronous code. Timestamp lookups read the records of the batch they land in. Gaps: no time-based
// retention, no compaction, no segments (retention drops whole batches, as Kafka drops whole segments, never the
// active one).
import { recordTimes, type BatchHeader } from '../protocol/record-batch';

export interface StoredBatch {
  base: bigint;
  last: bigint;
  /** The client's bytes with baseOffset patched in. */
  raw: Buffer;
  header: BatchHeader;
}

export class PartitionLog {
  batches: StoredBatch[] = [];
  logStart = 0n;
  highWatermark = 0n;
  bytes = 0;
  /** First offset of each producer's open transaction here; the LSO is the smallest of them, or the HW. */
  readonly openTransactions = new Map<bigint, bigint>();
  /** Aborted transactions, from their first offset to their ABORT marker, for read_committed fetches. */
  aborted: { producerId: bigint; first: bigint; last: bigint }[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly retentionBytes: number,
  ) {}

  /**
   * Appends a validated batch (the caller hands `raw` over), returns its base offset and wakes fetch waiters. `raw`
   * is kept as it is when it fills nearly all of its memory (a large produce request's own bytes), else copied, so
   * a small batch never holds a whole socket chunk alive and retention counts what the log really keeps.
   */
  append(raw: Buffer, header: BatchHeader): StoredBatch {
    const base = this.highWatermark;
    const copy = raw.buffer.byteLength - raw.length <= raw.length >> 4 ? raw : Buffer.from(raw);
    copy.writeBigInt64BE(base, 0);
    const stored = { base, last: base + BigInt(header.lastOffsetDelta), raw: copy, header };
    this.batches.push(stored);
    this.highWatermark = stored.last + 1n;
    this.bytes += copy.length;
    this.retain();
    this.notify();
    return stored;
  }

  /** Drops the oldest batches while the log is over its retention, keeping the newest one. */
  private retain(): void {
    let drop = 0;
    while (this.bytes > this.retentionBytes && drop < this.batches.length - 1) {
      this.bytes -= this.batches[drop]!.raw.length;
      drop++;
    }
    if (drop === 0) return;
    this.batches.splice(0, drop);
    this.logStart = this.batches[0]!.base;
    this.aborted = this.aborted.filter((a) => a.last >= this.logStart);
  }

  get lastStableOffset(): bigint {
    let lso = this.highWatermark;
    for (const first of this.openTransactions.values()) if (first < lso) lso = first;
    return lso;
  }

  /** Aborted transactions overlapping [from, to], by first offset ascending (kafkajs consumes them from the front). */
  abortedBetween(from: bigint, to: bigint): { producerId: bigint; firstOffset: bigint }[] {
    return this.aborted
      .filter((a) => a.last >= from && a.first <= to)
      .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0))
      .map((a) => ({ producerId: a.producerId, firstOffset: a.first }));
  }

  /** Index of the batch holding `offset`, or of the first batch after it; batches.length when none. */
  indexOf(offset: bigint): number {
    let lo = 0;
    let hi = this.batches.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.batches[mid]!.last < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Whole batches from the one holding `offset`, below `upTo` (the HW, or the LSO under read_committed), until
   * `maxBytes` is passed; the first batch comes whole even when larger, or a consumer could never progress.
   */
  read(offset: bigint, maxBytes: number, upTo: bigint, allowOversized: boolean): StoredBatch[] {
    const out: StoredBatch[] = [];
    let size = 0;
    for (let i = this.indexOf(offset); i < this.batches.length; i++) {
      const b = this.batches[i]!;
      if (b.base >= upTo) break;
      if (size + b.raw.length > maxBytes && (out.length > 0 || !allowOversized)) break;
      out.push(b);
      size += b.raw.length;
    }
    return out;
  }

  /**
   * The first record at or after the log start whose timestamp reaches `ts`, with that timestamp, or null (Kafka's
   * FileRecords.searchForTimestamp: the first batch whose max timestamp reaches it, then its records in order).
   * Batches compressed with a codec the broker does not carry answer with their first offset and max timestamp.
   */
  offsetForTimestamp(ts: bigint): { offset: bigint; timestamp: bigint } | null {
    for (const b of this.batches) {
      if (b.header.maxTimestamp < ts) continue;
      const records = recordTimes(b.raw, b.header);
      if (!records) {
        return { offset: b.base > this.logStart ? b.base : this.logStart, timestamp: b.header.maxTimestamp };
      }
      for (const r of records) {
        const offset = b.base + BigInt(r.offsetDelta);
        const timestamp = b.header.firstTimestamp + r.timestampDelta;
        if (timestamp >= ts && offset >= this.logStart) return { offset, timestamp };
      }
    }
    return null;
  }

  onChange(fn: () => void): () => void {
    this.waiters.add(fn);
    return () => this.waiters.delete(fn);
  }

  notify(): void {
    for (const fn of [...this.waiters]) fn();
  }
}
