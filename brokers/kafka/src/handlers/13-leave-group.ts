// LeaveGroup v1. Behavior: removes the member at once and rebalances the rest; an unknown member is
// UNKNOWN_MEMBER_ID.
import type { LeaveGroupRequest, LeaveGroupResponse } from '../protocol/apis/13-leave-group';
import type { Handler } from './handler';

export const handleLeaveGroup: Handler<LeaveGroupRequest, LeaveGroupResponse> = ({ cluster }, req) => ({
  errorCode: cluster.groups.leave(req.groupId, req.memberId),
});
