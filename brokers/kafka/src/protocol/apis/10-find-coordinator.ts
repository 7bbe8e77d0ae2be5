// FindCoordinator v1: key, key_type (0 group, 1 transaction) → throttle, err, message?, node, host, port.
import { defineApi } from '../api';

export interface FindCoordinatorRequest {
  key: string;
  keyType: number;
}
export interface FindCoordinatorResponse {
  errorCode: number;
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
}

export const FindCoordinator = defineApi<FindCoordinatorRequest, FindCoordinatorResponse>({
  key: 10,
  name: 'FindCoordinator',
  minVersion: 1,
  maxVersion: 1,
  decodeRequest: (r) => ({ key: r.string(), keyType: r.int8() }),
  encodeResponse(w, res) {
    w.int32(0)
      .int16(res.errorCode)
      .nullableString(res.errorMessage)
      .int32(res.nodeId)
      .string(res.host)
      .int32(res.port);
  },
});
