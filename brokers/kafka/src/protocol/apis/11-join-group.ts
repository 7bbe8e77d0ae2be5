// JoinGroup v2: group, session_timeout, rebalance_timeout, member, protocol_type, [name, metadata] → throttle, err,
// generation, protocol, leader, member, members[id, metadata] (the leader's reply only). v2 is Kafka 4's floor; v4+
// would add the MEMBER_ID_REQUIRED round trip and static membership.
import { defineApi } from '../api';

export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  protocolType: string;
  protocols: { name: string; metadata: Buffer }[];
}
export interface JoinGroupResponse {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  members: { memberId: string; metadata: Buffer }[];
}

export const JoinGroup = defineApi<JoinGroupRequest, JoinGroupResponse>({
  key: 11,
  name: 'JoinGroup',
  minVersion: 2,
  maxVersion: 2,
  decodeRequest: (r) => ({
    groupId: r.string(),
    sessionTimeoutMs: r.int32(),
    rebalanceTimeoutMs: r.int32(),
    memberId: r.string(),
    protocolType: r.string(),
    protocols: r.array((r) => ({ name: r.string(), metadata: Buffer.from(r.bytes()) })),
  }),
  encodeResponse(w, res) {
    w.int32(0)
      .int16(res.errorCode)
      .int32(res.generationId)
      .string(res.protocolName)
      .string(res.leader)
      .string(res.memberId)
      .array(res.members, (w, m) => w.string(m.memberId).bytes(m.metadata));
  },
});
