// ApiVersions v0-v2: empty request → error, [key, min, max], throttle (v1+). kafkajs tries v2, then v1, then v0.
// A newer client asking v3+ (flexible header) gets a v0-shaped reply with UNSUPPORTED_VERSION: server/connection.ts
// does that before decoding, as Kafka does.
import { defineApi } from '../api';

export type ApiVersionsRequest = Record<string, never>;
export interface ApiVersionsResponse {
  errorCode: number;
  apis: { key: number; min: number; max: number }[];
  throttleTimeMs: number;
}

export const ApiVersions = defineApi<ApiVersionsRequest, ApiVersionsResponse>({
  key: 18,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 2,
  decodeRequest: () => ({}),
  encodeResponse(w, res, version) {
    w.int16(res.errorCode).array(res.apis, (w, a) => w.int16(a.key).int16(a.min).int16(a.max));
    if (version >= 1) w.int32(res.throttleTimeMs);
  },
});
