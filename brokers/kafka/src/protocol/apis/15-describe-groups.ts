// DescribeGroups v1: [group] → throttle, [err, group, state, protocol_type, protocol, members[id, client_id,
// client_host, metadata, assignment]].
import { defineApi } from '../api';

export interface DescribeGroupsRequest {
  groupIds: string[];
}
export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: { memberId: string; clientId: string; clientHost: string; metadata: Buffer; assignment: Buffer }[];
}
export interface DescribeGroupsResponse {
  groups: DescribedGroup[];
}

export const DescribeGroups = defineApi<DescribeGroupsRequest, DescribeGroupsResponse>({
  key: 15,
  name: 'DescribeGroups',
  minVersion: 1,
  maxVersion: 1,
  decodeRequest: (r) => ({ groupIds: r.array((r) => r.string()) }),
  encodeResponse(w, res) {
    w.int32(0).array(res.groups, (w, g) =>
      w
        .int16(g.errorCode)
        .string(g.groupId)
        .string(g.state)
        .string(g.protocolType)
        .string(g.protocol)
        .array(g.members, (w, m) =>
          w.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment),
        ),
    );
  },
});
