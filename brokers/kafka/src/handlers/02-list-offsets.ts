// ListOffsets v2. Behavior: -1 = the HW (the LSO under read_committed), -2 = the log start; another timestamp finds
// the first batch whose max timestamp reaches it. Gaps: timestamp lookups answer at batch granularity and report
// timestamp -1 (Kafka finds the record and reports its timestamp).
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
      const offset =
        p.timestamp === -1n
          ? req.isolationLevel === 1
            ? log.lastStableOffset
            : log.highWatermark
          : p.timestamp === -2n
            ? log.logStart
            : log.offsetForTimestamp(p.timestamp);
      return { partition: p.partition, errorCode: ErrorCode.NONE, timestamp: -1n, offset };
    }),
  })),
});
