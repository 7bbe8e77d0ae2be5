// ListOffsets v2: replica, isolation, [topic, [partition, timestamp]] → throttle, [topic, [partition, err,
// timestamp, offset]]. Timestamp -1 = latest (the LSO under read_committed), -2 = earliest.
import { defineApi } from '../api';

export interface ListOffsetsRequest {
  replicaId: number;
  isolationLevel: number;
  topics: { name: string; partitions: { partition: number; timestamp: bigint }[] }[];
}
export interface ListOffsetsResponse {
  topics: {
    name: string;
    partitions: { partition: number; errorCode: number; timestamp: bigint; offset: bigint }[];
  }[];
}

export const ListOffsets = defineApi<ListOffsetsRequest, ListOffsetsResponse>({
  key: 2,
  name: 'ListOffsets',
  minVersion: 2,
  maxVersion: 2,
  decodeRequest: (r) => ({
    replicaId: r.int32(),
    isolationLevel: r.int8(),
    topics: r.array((r) => ({
      name: r.string(),
      partitions: r.array((r) => ({ partition: r.int32(), timestamp: r.int64() })),
    })),
  }),
  encodeResponse(w, res) {
    w.int32(0).array(res.topics, (w, t) =>
      w
        .string(t.name)
        .array(t.partitions, (w, p) =>
          w.int32(p.partition).int16(p.errorCode).int64(p.timestamp).int64(p.offset),
        ),
    );
  },
});
