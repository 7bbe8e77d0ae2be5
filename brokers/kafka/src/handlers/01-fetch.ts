// Fetch v4. Behavior: whole stored batches from the one holding the fetch offset (the client drops earlier
// records), at least one whole batch even above the size limits; offset above the HW or below the log start is
// OFFSET_OUT_OF_RANGE; read_committed stops at the LSO and lists the aborted transactions in range, sorted by first
// offset; control batches and aborted data go out untouched (kafkajs filters them). The reply waits until min_bytes
// are there or max_wait passes; appends, transaction ends and topic deletion wake it. Gaps: no fetch sessions
// (v7+), no replica fetches.
import type { FetchPartitionResponse, FetchRequest, FetchResponse } from '../protocol/apis/01-fetch';
import { ErrorCode } from '../protocol/errors';
import type { Cluster } from '../state/cluster';
import type { PartitionLog } from '../state/log';
import type { Handler } from './handler';

export const handleFetch: Handler<FetchRequest, FetchResponse> = ({ cluster, onClose }, req) => {
  const first = collect(cluster, req);
  if (first.ready || req.maxWaitMs <= 0) return first.response;
  return (async () => {
    const deadline = cluster.clock.now() + req.maxWaitMs;
    let logs = first.logs;
    for (;;) {
      const how = await cluster.waitForChange(logs, Math.max(0, deadline - cluster.clock.now()), onClose);
      const next = collect(cluster, req);
      if (next.ready || how === 'timeout') return next.response;
      logs = next.logs;
    }
  })();
};

function collect(
  cluster: Cluster,
  req: FetchRequest,
): { response: FetchResponse; ready: boolean; logs: PartitionLog[] } {
  const readCommitted = req.isolationLevel === 1;
  const logs: PartitionLog[] = [];
  let total = 0;
  let failed = false;
  const topics = req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p): FetchPartitionResponse => {
      const log = cluster.partition(t.name, p.partition);
      if (!log) {
        failed = true;
        return empty(p.partition, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1n, -1n, null);
      }
      logs.push(log);
      const lso = log.lastStableOffset;
      if (p.fetchOffset < log.logStart || p.fetchOffset > log.highWatermark) {
        failed = true;
        return empty(p.partition, ErrorCode.OFFSET_OUT_OF_RANGE, log.highWatermark, lso, null);
      }
      const room = Math.min(p.partitionMaxBytes, req.maxBytes - total);
      const batches = log.read(p.fetchOffset, room, readCommitted ? lso : log.highWatermark, total === 0);
      const size = batches.reduce((n, b) => n + b.raw.length, 0);
      total += size;
      const last = batches.at(-1)?.last;
      return {
        partition: p.partition,
        errorCode: ErrorCode.NONE,
        highWatermark: log.highWatermark,
        lastStableOffset: lso,
        abortedTransactions:
          readCommitted && last !== undefined ? log.abortedBetween(p.fetchOffset, last) : null,
        records: batches.map((b) => b.raw),
      };
    }),
  }));
  return { response: { topics }, ready: failed || total >= req.minBytes, logs };
}

function empty(
  partition: number,
  errorCode: number,
  highWatermark: bigint,
  lastStableOffset: bigint,
  abortedTransactions: null,
): FetchPartitionResponse {
  return { partition, errorCode, highWatermark, lastStableOffset, abortedTransactions, records: [] };
}
