// DeleteGroups v0: [group] → throttle, [group, err]. Used by kafkajs admin.deleteGroups.
import { defineApi } from '../api';

export interface DeleteGroupsRequest {
  groupIds: string[];
}
export interface DeleteGroupsResponse {
  results: { groupId: string; errorCode: number }[];
}

export const DeleteGroups = defineApi<DeleteGroupsRequest, DeleteGroupsResponse>({
  key: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 0,
  decodeRequest: (r) => ({ groupIds: r.array((r) => r.string()) }),
  encodeResponse(w, res) {
    w.int32(0).array(res.results, (w, g) => w.string(g.groupId).int16(g.errorCode));
  },
});
