// SyncGroup v1: group, generation, member, [member, assignment] (the leader's only) → throttle, err, assignment.
import { defineApi } from '../api';

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  assignments: { memberId: string; assignment: Buffer }[];
}
export interface SyncGroupResponse {
  errorCode: number;
  assignment: Buffer;
}

export const SyncGroup = defineApi<SyncGroupRequest, SyncGroupResponse>({
  key: 14,
  name: 'SyncGroup',
  minVersion: 1,
  maxVersion: 1,
  decodeRequest: (r) => ({
    groupId: r.string(),
    generationId: r.int32(),
    memberId: r.string(),
    assignments: r.array((r) => ({ memberId: r.string(), assignment: Buffer.from(r.bytes()) })),
  }),
  encodeResponse(w, res) {
    w.int32(0).int16(res.errorCode).bytes(res.assignment);
  },
});
