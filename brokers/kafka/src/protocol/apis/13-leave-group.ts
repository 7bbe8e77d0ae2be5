// LeaveGroup v1: group, member → throttle, err. (v3+ batches members for static membership.)
import { defineApi } from '../api';

export interface LeaveGroupRequest {
  groupId: string;
  memberId: string;
}
export interface LeaveGroupResponse {
  errorCode: number;
}

export const LeaveGroup = defineApi<LeaveGroupRequest, LeaveGroupResponse>({
  key: 13,
  name: 'LeaveGroup',
  minVersion: 1,
  maxVersion: 1,
  decodeRequest: (r) => ({ groupId: r.string(), memberId: r.string() }),
  encodeResponse(w, res) {
    w.int32(0).int16(res.errorCode);
  },
});
