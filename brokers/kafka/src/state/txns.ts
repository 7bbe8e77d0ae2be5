// The transaction coordinator (model: kfake txns.go, KIP-98): transactional ids with their producer id and epoch,
// the partitions and groups of the open transaction, staged offsets, control markers, the LSO and aborted index of
// each partition, and the transaction timeout. InitProducerId on a known id aborts an open transaction at once and
// bumps the epoch, which fences the old producer (INVALID_PRODUCER_EPOCH). Call only from the cluster owner.
// Gaps: no CONCURRENT_TRANSACTIONS (markers are written synchronously), no epoch overflow to a new producer id.
import type { TimerHandle } from '@msgbook/broker-common';
import { ErrorCode } from '../protocol/errors';
import { controlBatch, readBatchHeader, type BatchHeader } from '../protocol/record-batch';
import type { Cluster } from './cluster';
import type { CommittedOffset } from './group';
import type { PartitionLog } from './log';

export type TxnState = 'Empty' | 'Ongoing' | 'CompleteCommit' | 'CompleteAbort';

export interface Transaction {
  id: string;
  producerId: bigint;
  epoch: number;
  timeoutMs: number;
  state: TxnState;
  partitions: Set<PartitionLog>;
  groups: Set<string>;
  /** group → "topic\0partition" → offset, applied on commit. */
  pendingOffsets: Map<string, Map<string, { topic: string; partition: number; value: CommittedOffset }>>;
  timer?: TimerHandle;
}

/** transaction.max.timeout.ms default. */
export const MAX_TRANSACTION_TIMEOUT_MS = 900_000;

export class TransactionCoordinator {
  readonly txns = new Map<string, Transaction>();

  constructor(private readonly cluster: Cluster) {
    cluster.producers.transactionCheck = (log, header, id) => this.checkBatch(log, header, id);
    cluster.producers.onTransactionalAppend = (log, header, base) => {
      if (!log.openTransactions.has(header.producerId)) log.openTransactions.set(header.producerId, base);
    };
  }

  initProducerId(
    id: string | null,
    timeoutMs: number,
  ): { errorCode: number; producerId: bigint; producerEpoch: number } {
    if (id === null) {
      const { producerId, epoch } = this.cluster.producers.allocate();
      return { errorCode: ErrorCode.NONE, producerId, producerEpoch: epoch };
    }
    if (timeoutMs <= 0 || timeoutMs > MAX_TRANSACTION_TIMEOUT_MS) {
      return { errorCode: ErrorCode.INVALID_TRANSACTION_TIMEOUT, producerId: -1n, producerEpoch: -1 };
    }
    let txn = this.txns.get(id);
    if (!txn) {
      const { producerId, epoch } = this.cluster.producers.allocate();
      txn = {
        id,
        producerId,
        epoch,
        timeoutMs,
        state: 'Empty',
        partitions: new Set(),
        groups: new Set(),
        pendingOffsets: new Map(),
      };
      this.txns.set(id, txn);
    } else {
      // As Kafka: the open transaction is aborted under a bumped epoch (fencing its producer), and the new producer
      // gets the epoch after that, so an InitProducerId that had to abort moves the epoch by two.
      if (txn.state === 'Ongoing') {
        txn.epoch = this.cluster.producers.bumpEpoch(txn.producerId);
        this.complete(txn, false, 'fenced by a new producer');
      }
      txn.epoch = this.cluster.producers.bumpEpoch(txn.producerId);
      txn.timeoutMs = timeoutMs;
    }
    this.cluster.emit('producer-initialized', id, { producerId: String(txn.producerId), epoch: txn.epoch });
    return { errorCode: ErrorCode.NONE, producerId: txn.producerId, producerEpoch: txn.epoch };
  }

  /** The checks every transactional request starts with: known id, its producer id, its current epoch. */
  private find(id: string, producerId: bigint, epoch: number): Transaction | number {
    const txn = this.txns.get(id);
    if (!txn || txn.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (epoch !== txn.epoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    return txn;
  }

  private begin(txn: Transaction): void {
    if (txn.state === 'Ongoing') return;
    txn.state = 'Ongoing';
    txn.timer = this.cluster.setTimer(() => {
      txn.timer = undefined;
      if (txn.state !== 'Ongoing') return;
      // Kafka fences the timed-out producer first and writes the ABORT markers under the new epoch.
      txn.epoch = this.cluster.producers.bumpEpoch(txn.producerId);
      this.complete(txn, false, 'timed out');
    }, txn.timeoutMs);
    this.cluster.emit('transaction-started', txn.id, {
      producerId: String(txn.producerId),
      epoch: txn.epoch,
    });
  }

  addPartitions(
    id: string,
    producerId: bigint,
    epoch: number,
    topics: { name: string; partitions: number[] }[],
  ) {
    const txn = this.find(id, producerId, epoch);
    const logs = topics.map((t) => ({
      name: t.name,
      logs: t.partitions.map((p) => [p, this.cluster.partition(t.name, p)] as const),
    }));
    const unknown = logs.some((t) => t.logs.some(([, log]) => !log));
    const answer = (code: (log: PartitionLog | undefined) => number) =>
      logs.map((t) => ({
        name: t.name,
        partitions: t.logs.map(([partition, log]) => ({ partition, errorCode: code(log) })),
      }));
    if (typeof txn === 'number') return answer(() => txn);
    // As Kafka: one bad partition fails the request; the others are reported as not attempted.
    if (unknown)
      return answer((log) =>
        log ? ErrorCode.OPERATION_NOT_ATTEMPTED : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      );
    for (const t of logs) for (const [, log] of t.logs) txn.partitions.add(log!);
    this.begin(txn);
    return answer(() => ErrorCode.NONE);
  }

  addOffsets(id: string, producerId: bigint, epoch: number, groupId: string): number {
    const txn = this.find(id, producerId, epoch);
    if (typeof txn === 'number') return txn;
    txn.groups.add(groupId);
    this.begin(txn);
    return ErrorCode.NONE;
  }

  /** Stages offsets until the transaction commits; OffsetFetch keeps answering the old ones meanwhile. */
  stageOffsets(
    id: string,
    groupId: string,
    producerId: bigint,
    epoch: number,
    topic: string,
    partition: number,
    value: CommittedOffset,
  ): number {
    const txn = this.find(id, producerId, epoch);
    if (typeof txn === 'number') return txn;
    if (txn.state !== 'Ongoing' || !txn.groups.has(groupId)) return ErrorCode.INVALID_TXN_STATE;
    if (!this.cluster.partition(topic, partition)) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    let staged = txn.pendingOffsets.get(groupId);
    if (!staged) txn.pendingOffsets.set(groupId, (staged = new Map()));
    staged.set(`${topic}\0${partition}`, { topic, partition, value });
    return ErrorCode.NONE;
  }

  endTxn(id: string, producerId: bigint, epoch: number, commit: boolean): number {
    const txn = this.find(id, producerId, epoch);
    if (typeof txn === 'number') return txn;
    if (txn.state !== 'Ongoing') {
      // A retried EndTxn of the transaction that just ended succeeds again; anything else is out of order.
      return txn.state === (commit ? 'CompleteCommit' : 'CompleteAbort')
        ? ErrorCode.NONE
        : ErrorCode.INVALID_TXN_STATE;
    }
    this.complete(txn, commit, commit ? 'committed' : 'aborted');
    return ErrorCode.NONE;
  }

  /** Writes the markers, updates LSOs and aborted indexes, applies staged offsets on commit. */
  private complete(txn: Transaction, commit: boolean, reason: string): void {
    txn.timer?.cancel();
    txn.timer = undefined;
    for (const log of txn.partitions) {
      const raw = controlBatch({
        baseOffset: 0n,
        timestamp: BigInt(this.cluster.clock.now()),
        producerId: txn.producerId,
        producerEpoch: txn.epoch,
        commit,
      });
      const first = log.openTransactions.get(txn.producerId);
      log.openTransactions.delete(txn.producerId);
      const marker = log.append(raw, readBatchHeader(raw) as BatchHeader);
      if (!commit && first !== undefined)
        log.aborted.push({ producerId: txn.producerId, first, last: marker.base });
    }
    if (commit) {
      for (const [groupId, staged] of txn.pendingOffsets) {
        for (const { topic, partition, value } of staged.values())
          this.cluster.groups.commit(groupId, topic, partition, value);
      }
    }
    txn.state = commit ? 'CompleteCommit' : 'CompleteAbort';
    txn.partitions = new Set();
    txn.groups = new Set();
    txn.pendingOffsets = new Map();
    this.cluster.emit(commit ? 'transaction-committed' : 'transaction-aborted', txn.id, { reason });
  }

  /** Vets a transactional batch in Produce: its id, producer id and epoch, and a partition added to the txn. */
  private checkBatch(log: PartitionLog, header: BatchHeader, id: string | null): number {
    if (id === null) return ErrorCode.INVALID_TXN_STATE;
    const txn = this.find(id, header.producerId, header.producerEpoch);
    if (typeof txn === 'number') return txn;
    return txn.state === 'Ongoing' && txn.partitions.has(log) ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE;
  }

  stop(): void {
    for (const t of this.txns.values()) t.timer?.cancel();
  }
}
