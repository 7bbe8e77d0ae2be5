// OffsetFetch v3: group, topics?[topic, [partition]] (null = every committed offset) → throttle, [topic,
// [partition, offset, metadata?, err]], err. kafkajs has no v0; v1 is its floor.
import { defineApi } from '../api';

export interface OffsetFetchRequest {
  groupId: string;
  topics: { name: string; partitions: number[] }[] | null;
}
export interface OffsetFetchResponse {
  topics: {
    name: string;
    partitions: { partition: number; offset: bigint; metadata: string | null; errorCode: number }[];
  }[];
  errorCode: number;
}

export const OffsetFetch = defineApi<OffsetFetchRequest, OffsetFetchResponse>({
  key: 9,
  name: 'OffsetFetch',
  minVersion: 3,
  maxVersion: 3,
  decodeRequest: (r) => ({
    groupId: r.string(),
    topics: r.nullableArray((r) => ({ name: r.string(), partitions: r.array((r) => r.int32()) })),
  }),
  encodeResponse(w, res) {
    w.int32(0)
      .array(res.topics, (w, t) =>
        w
          .string(t.name)
          .array(t.partitions, (w, p) =>
            w.int32(p.partition).int64(p.offset).nullableString(p.metadata).int16(p.errorCode),
          ),
      )
      .int16(res.errorCode);
  },
});
