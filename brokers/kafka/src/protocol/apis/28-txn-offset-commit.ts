// TxnOffsetCommit v0: transactional_id, group_id, producer_id, producer_epoch, [topic, [partition, offset,
// metadata?]] → throttle, [topic, [partition, err]]. No generation check before v3.
import { defineApi } from '../api';

export interface TxnOffsetCommitRequest {
  transactionalId: string;
  groupId: string;
  producerId: bigint;
  producerEpoch: number;
  topics: { name: string; partitions: { partition: number; offset: bigint; metadata: string | null }[] }[];
}
export interface TxnOffsetCommitResponse {
  topics: { name: string; partitions: { partition: number; errorCode: number }[] }[];
}

export const TxnOffsetCommit = defineApi<TxnOffsetCommitRequest, TxnOffsetCommitResponse>({
  key: 28,
  name: 'TxnOffsetCommit',
  minVersion: 0,
  maxVersion: 0,
  decodeRequest: (r) => ({
    transactionalId: r.string(),
    groupId: r.string(),
    producerId: r.int64(),
    producerEpoch: r.int16(),
    topics: r.array((r) => ({
      name: r.string(),
      partitions: r.array((r) => ({ partition: r.int32(), offset: r.int64(), metadata: r.nullableString() })),
    })),
  }),
  encodeResponse(w, res) {
    w.int32(0).array(res.topics, (w, t) =>
      w.string(t.name).array(t.partitions, (w, p) => w.int32(p.partition).int16(p.errorCode)),
    );
  },
});
