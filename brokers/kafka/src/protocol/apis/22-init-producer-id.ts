// InitProducerId v0: transactional_id?, transaction_timeout_ms → throttle, err, producer_id, producer_epoch.
import { defineApi } from '../api';

export interface InitProducerIdRequest {
  transactionalId: string | null;
  transactionTimeoutMs: number;
}
export interface InitProducerIdResponse {
  errorCode: number;
  producerId: bigint;
  producerEpoch: number;
}

export const InitProducerId = defineApi<InitProducerIdRequest, InitProducerIdResponse>({
  key: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 0,
  decodeRequest: (r) => ({ transactionalId: r.nullableString(), transactionTimeoutMs: r.int32() }),
  encodeResponse(w, res) {
    w.int32(0).int16(res.errorCode).int64(res.producerId).int16(res.producerEpoch);
  },
});
