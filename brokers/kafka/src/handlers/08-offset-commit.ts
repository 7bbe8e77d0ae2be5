// OffsetCommit v2. Behavior: the member and generation checks of Kafka's ClassicGroup.validateOffsetCommit, then
// every offset stored verbatim (sentinels too); the retention time is ignored. An unknown topic or partition is
// UNKNOWN_TOPIC_OR_PARTITION for that partition alone.
import type { OffsetCommitRequest, OffsetCommitResponse } from '../protocol/apis/08-offset-commit';
import { ErrorCode } from '../protocol/errors';
import type { Handler } from './handler';

export const handleOffsetCommit: Handler<OffsetCommitRequest, OffsetCommitResponse> = ({ cluster }, req) => {
  const errorCode = cluster.groups.validateCommit(req.groupId, req.memberId, req.generationId);
  return {
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        if (errorCode !== ErrorCode.NONE) return { partition: p.partition, errorCode };
        if (!cluster.partition(t.name, p.partition)) {
          return { partition: p.partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        }
        cluster.groups.commit(req.groupId, t.name, p.partition, { offset: p.offset, metadata: p.metadata });
        return { partition: p.partition, errorCode: ErrorCode.NONE };
      }),
    })),
  };
};
