// JoinGroup v2. Behavior: replies when the rebalance completes (every member rejoined, or the largest rebalance
// timeout passed and the missing members were evicted); only the leader's reply lists the members. A session timeout
// outside group.min/max.session.timeout.ms is INVALID_SESSION_TIMEOUT. Logic: state/groups.ts, state/group.ts.
import type { JoinGroupRequest, JoinGroupResponse } from '../protocol/apis/11-join-group';
import type { Handler } from './handler';

export const handleJoinGroup: Handler<JoinGroupRequest, JoinGroupResponse> = (
  { cluster, clientId, clientHost },
  req,
) => cluster.groups.join(req, clientId, clientHost);
