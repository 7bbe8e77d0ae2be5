// EndTxn v0: transactional_id, producer_id, producer_epoch, committed → throttle, err.
import { defineApi } from '../api';

export interface EndTxnRequest {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  commit: boolean;
}
export interface EndTxnResponse {
  errorCode: number;
}

export const EndTxn = defineApi<EndTxnRequest, EndTxnResponse>({
  key: 26,
  name: 'EndTxn',
  minVersion: 0,
  maxVersion: 0,
  decodeRequest: (r) => ({
    transactionalId: r.string(),
    producerId: r.int64(),
    producerEpoch: r.int16(),
    commit: r.bool(),
  }),
  encodeResponse(w, res) {
    w.int32(0).int16(res.errorCode);
  },
});
