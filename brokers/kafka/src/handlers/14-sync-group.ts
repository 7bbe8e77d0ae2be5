// SyncGroup v1. Behavior: followers wait until the leader sends the assignments, then everyone gets theirs and the
// group is Stable; a member without an assignment gets empty bytes. UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, and
// REBALANCE_IN_PROGRESS while a new rebalance is being prepared.
import type { SyncGroupRequest, SyncGroupResponse } from '../protocol/apis/14-sync-group';
import type { Handler } from './handler';

export const handleSyncGroup: Handler<SyncGroupRequest, SyncGroupResponse> = ({ cluster }, req) =>
  cluster.groups.sync(req.groupId, req.memberId, req.generationId, req.assignments);
