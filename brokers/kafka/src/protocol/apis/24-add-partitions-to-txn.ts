// AddPartitionsToTxn v0: transactional_id, producer_id, producer_epoch, [topic, [partition]] → throttle, [topic,
// [partition, err]].
import { defineApi } from '../api';

export interface AddPartitionsToTxnRequest {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  topics: { name: string; partitions: number[] }[];
}
export interface AddPartitionsToTxnResponse {
  topics: { name: string; partitions: { partition: number; errorCode: number }[] }[];
}

export const AddPartitionsToTxn = defineApi<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>({
  key: 24,
  name: 'AddPartitionsToTxn',
  minVersion: 0,
  maxVersion: 0,
  decodeRequest: (r) => ({
    transactionalId: r.string(),
    producerId: r.int64(),
    producerEpoch: r.int16(),
    topics: r.array((r) => ({ name: r.string(), partitions: r.array((r) => r.int32()) })),
  }),
  encodeResponse(w, res) {
    w.int32(0).array(res.topics, (w, t) =>
      w.string(t.name).array(t.partitions, (w, p) => w.int32(p.partition).int16(p.errorCode)),
    );
  },
});
