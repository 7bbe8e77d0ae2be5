// Producer ids and idempotence: pid allocation and the per-partition sequence window (kfake txns.go
// pushAndValidate). A new epoch starts at sequence 0; a batch repeating one of the last five is answered with its
// original offset and not appended again (never DUPLICATE_SEQUENCE_NUMBER, which kafkajs treats as fatal); a gap is
// OUT_OF_ORDER_SEQUENCE_NUMBER and an older epoch INVALID_PRODUCER_EPOCH, both without appending (kafkajs rolls its
// sequence back). Transactional batches are checked by the transaction coordinator first.
import { ErrorCode } from '../protocol/errors';
import type { BatchHeader } from '../protocol/record-batch';
import type { PartitionLog } from './log';

interface SequenceWindow {
  epoch: number;
  nextSeq: number;
  recent: { firstSeq: number; lastSeq: number; base: bigint }[];
}

const WINDOW = 5;

export interface AppendResult {
  errorCode: number;
  baseOffset: bigint;
}

export class Producers {
  private nextId = 0n;
  /** The current epoch of every pid handed out, for fencing. */
  readonly epochs = new Map<bigint, number>();
  private readonly windows = new WeakMap<PartitionLog, Map<bigint, SequenceWindow>>();
  /** Set by the transaction coordinator: vets a transactional batch before it is appended. */
  transactionCheck: (log: PartitionLog, header: BatchHeader, transactionalId: string | null) => number = () =>
    ErrorCode.INVALID_TXN_STATE;
  /** Set by the transaction coordinator: told of every transactional batch appended. */
  onTransactionalAppend: (log: PartitionLog, header: BatchHeader, base: bigint) => void = () => {};

  allocate(): { producerId: bigint; epoch: number } {
    const producerId = this.nextId++;
    this.epochs.set(producerId, 0);
    return { producerId, epoch: 0 };
  }

  bumpEpoch(producerId: bigint): number {
    const epoch = (this.epochs.get(producerId) ?? -1) + 1;
    this.epochs.set(producerId, epoch);
    return epoch;
  }

  append(log: PartitionLog, raw: Buffer, header: BatchHeader, transactionalId: string | null): AppendResult {
    const pid = header.producerId;
    if (pid < 0n) {
      if (header.transactional) return { errorCode: ErrorCode.INVALID_RECORD, baseOffset: -1n };
      return { errorCode: ErrorCode.NONE, baseOffset: log.append(raw, header).base };
    }
    const current = this.epochs.get(pid);
    if (current !== undefined && header.producerEpoch < current) {
      return { errorCode: ErrorCode.INVALID_PRODUCER_EPOCH, baseOffset: -1n };
    }
    if (header.transactional) {
      const errorCode = this.transactionCheck(log, header, transactionalId);
      if (errorCode !== ErrorCode.NONE) return { errorCode, baseOffset: -1n };
    }
    let byPid = this.windows.get(log);
    if (!byPid) this.windows.set(log, (byPid = new Map()));
    const window = byPid.get(pid);
    const firstSeq = header.baseSequence;
    const lastSeq = firstSeq + header.lastOffsetDelta;
    if (window && window.epoch === header.producerEpoch) {
      const dup = window.recent.find((r) => r.firstSeq === firstSeq && r.lastSeq === lastSeq);
      if (dup) return { errorCode: ErrorCode.NONE, baseOffset: dup.base };
      if (firstSeq !== window.nextSeq)
        return { errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, baseOffset: -1n };
    } else if (window && window.epoch > header.producerEpoch) {
      return { errorCode: ErrorCode.INVALID_PRODUCER_EPOCH, baseOffset: -1n };
    } else if (firstSeq !== 0) {
      return { errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, baseOffset: -1n };
    }
    const base = log.append(raw, header).base;
    const next =
      window && window.epoch === header.producerEpoch
        ? window
        : { epoch: header.producerEpoch, nextSeq: 0, recent: [] };
    next.nextSeq = lastSeq + 1;
    next.recent.push({ firstSeq, lastSeq, base });
    if (next.recent.length > WINDOW) next.recent.shift();
    byPid.set(pid, next);
    if (header.transactional) this.onTransactionalAppend(log, header, base);
    return { errorCode: ErrorCode.NONE, baseOffset: base };
  }
}
