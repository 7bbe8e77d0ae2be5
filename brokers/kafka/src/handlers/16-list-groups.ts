// ListGroups v1. Behavior: every group the coordinator knows, offsets-only (Empty) groups included.
import type { ListGroupsRequest, ListGroupsResponse } from '../protocol/apis/16-list-groups';
import { ErrorCode } from '../protocol/errors';
import type { Handler } from './handler';

export const handleListGroups: Handler<ListGroupsRequest, ListGroupsResponse> = ({ cluster }) => ({
  errorCode: ErrorCode.NONE,
  groups: [...cluster.groups.groups.values()].map((g) => ({ groupId: g.id, protocolType: g.protocolType })),
});
