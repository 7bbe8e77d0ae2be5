// Heartbeat v1: group, generation, member → throttle, err.
import { defineApi } from '../api';

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
}
export interface HeartbeatResponse {
  errorCode: number;
}

export const Heartbeat = defineApi<HeartbeatRequest, HeartbeatResponse>({
  key: 12,
  name: 'Heartbeat',
  minVersion: 1,
  maxVersion: 1,
  decodeRequest: (r) => ({ groupId: r.string(), generationId: r.int32(), memberId: r.string() }),
  encodeResponse(w, res) {
    w.int32(0).int16(res.errorCode);
  },
});
