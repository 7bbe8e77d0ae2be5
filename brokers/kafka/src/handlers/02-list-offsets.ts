// ListOffsets v2. Behavior: -1 = the HW (the LSO under read_committed), -2 = the log start, both with timestamp -1;
// another timestamp finds the first record reaching it and reports that record's offset and timestamp, or -1 and -1
// when none does (or, under read_committed, when it is not below the LSO), as Kafka's Partition.fetchOffsetForTimestamp.
// Gaps: records compressed with snappy, lz4 or zstd are found at batch granularity.
import type { ListOffsetsRequest, ListOffsetsResponse } from '../protocol/apis/02-list-offsets';
import { ErrorCode } from '../protocol/errors';
import type { Handler } from './handler';

export const handleListOffsets: Handler<ListOffsetsRequest, ListOffsetsResponse> = ({ cluster }, req) => ({
  topics: req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => {
      const log = cluster.partition(t.name, p.partition);
      if (!log)
        return {
          partition: p.partition,
          errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          timestamp: -1n,
          offset: -1n,
        };
      const answer = (offset: bigint, timestamp = -1n) => ({
        partition: p.partition,
        errorCode: ErrorCode.NONE,
        timestamp,
        offset,
      });
      if (p.timestamp === -1n)
        return answer(req.isolationLevel === 1 ? log.lastStableOffset : log.highWatermark);
      if (p.timestamp === -2n) return answer(log.logStart);
      const found = log.offsetForTimestamp(p.timestamp);
      if (!found || (req.isolationLevel === 1 && found.offset >= log.lastStableOffset)) return answer(-1n);
      return answer(found.offset, found.timestamp);
    }),
  })),
});
