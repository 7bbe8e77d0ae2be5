// AddOffsetsToTxn v0: transactional_id, producer_id, producer_epoch, group_id → throttle, err.
import { defineApi } from '../api';

export interface AddOffsetsToTxnRequest {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  groupId: string;
}
export interface AddOffsetsToTxnResponse {
  errorCode: number;
}

export const AddOffsetsToTxn = defineApi<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse>({
  key: 25,
  name: 'AddOffsetsToTxn',
  minVersion: 0,
  maxVersion: 0,
  decodeRequest: (r) => ({
    transactionalId: r.string(),
    producerId: r.int64(),
    producerEpoch: r.int16(),
    groupId: r.string(),
  }),
  encodeResponse(w, res) {
    w.int32(0).int16(res.errorCode);
  },
});
