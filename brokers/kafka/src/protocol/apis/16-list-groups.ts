// ListGroups v1: () → throttle, err, [group, protocol_type].
import { defineApi } from '../api';

export type ListGroupsRequest = Record<string, never>;
export interface ListGroupsResponse {
  errorCode: number;
  groups: { groupId: string; protocolType: string }[];
}

export const ListGroups = defineApi<ListGroupsRequest, ListGroupsResponse>({
  key: 16,
  name: 'ListGroups',
  minVersion: 1,
  maxVersion: 1,
  decodeRequest: () => ({}),
  encodeResponse(w, res) {
    w.int32(0)
      .int16(res.errorCode)
      .array(res.groups, (w, g) => w.string(g.groupId).string(g.protocolType));
  },
});
