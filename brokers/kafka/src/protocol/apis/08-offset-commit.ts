// OffsetCommit v2: group, generation, member, retention, [topic, [partition, offset, metadata?]] → [topic,
// [partition, err]] (no throttle before v3). v2 is Kafka 4's floor.
import { defineApi } from '../api';

export interface OffsetCommitRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  retentionTimeMs: bigint;
  topics: { name: string; partitions: { partition: number; offset: bigint; metadata: string | null }[] }[];
}
export interface OffsetCommitResponse {
  topics: { name: string; partitions: { partition: number; errorCode: number }[] }[];
}

export const OffsetCommit = defineApi<OffsetCommitRequest, OffsetCommitResponse>({
  key: 8,
  name: 'OffsetCommit',
  minVersion: 2,
  maxVersion: 2,
  decodeRequest: (r) => ({
    groupId: r.string(),
    generationId: r.int32(),
    memberId: r.string(),
    retentionTimeMs: r.int64(),
    topics: r.array((r) => ({
      name: r.string(),
      partitions: r.array((r) => ({ partition: r.int32(), offset: r.int64(), metadata: r.nullableString() })),
    })),
  }),
  encodeResponse(w, res) {
    w.array(res.topics, (w, t) =>
      w.string(t.name).array(t.partitions, (w, p) => w.int32(p.partition).int16(p.errorCode)),
    );
  },
});
