// Heartbeat v1. Behavior: refreshes the session; REBALANCE_IN_PROGRESS while the group prepares a rebalance (the
// session is refreshed all the same), UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION as SyncGroup.
import type { HeartbeatRequest, HeartbeatResponse } from '../protocol/apis/12-heartbeat';
import type { Handler } from './handler';

export const handleHeartbeat: Handler<HeartbeatRequest, HeartbeatResponse> = ({ cluster }, req) => ({
  errorCode: cluster.groups.heartbeat(req.groupId, req.memberId, req.generationId),
});
