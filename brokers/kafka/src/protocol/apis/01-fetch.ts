// Fetch v4: replica, max_wait, min_bytes, max_bytes, isolation, [topic, [partition, offset, partition_max]] →
// throttle, [topic, [partition, err, high_watermark, last_stable_offset, aborted?[pid, first_offset], records?]].
// v4 is the floor at which kafkajs decodes record batches v2 and honours read_committed. The stored batches go
// into the reply by reference (`Writer.share`).
import { defineApi } from '../api';

export interface FetchRequest {
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: number;
  topics: {
    name: string;
    partitions: { partition: number; fetchOffset: bigint; partitionMaxBytes: number }[];
  }[];
}
export interface FetchPartitionResponse {
  partition: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  abortedTransactions: { producerId: bigint; firstOffset: bigint }[] | null;
  /** Whole stored batches, concatenated as they sit in the log; written by reference, never copied. */
  records: Buffer[];
}
export interface FetchResponse {
  topics: { name: string; partitions: FetchPartitionResponse[] }[];
}

export const Fetch = defineApi<FetchRequest, FetchResponse>({
  key: 1,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 4,
  decodeRequest: (r) => ({
    replicaId: r.int32(),
    maxWaitMs: r.int32(),
    minBytes: r.int32(),
    maxBytes: r.int32(),
    isolationLevel: r.int8(),
    topics: r.array((r) => ({
      name: r.string(),
      partitions: r.array((r) => ({
        partition: r.int32(),
        fetchOffset: r.int64(),
        partitionMaxBytes: r.int32(),
      })),
    })),
  }),
  encodeResponse(w, res) {
    w.int32(0).array(res.topics, (w, t) =>
      w.string(t.name).array(t.partitions, (w, p) => {
        w.int32(p.partition)
          .int16(p.errorCode)
          .int64(p.highWatermark)
          .int64(p.lastStableOffset)
          .nullableArray(p.abortedTransactions, (w, a) => w.int64(a.producerId).int64(a.firstOffset));
        w.int32(p.records.reduce((n, b) => n + b.length, 0));
        for (const b of p.records) w.share(b);
      }),
    );
  },
});
