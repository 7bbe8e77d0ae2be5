// DeleteGroups v0. Behavior: only an Empty group can go (NON_EMPTY_GROUP otherwise), with its committed offsets;
// an unknown group is GROUP_ID_NOT_FOUND.
import type { DeleteGroupsRequest, DeleteGroupsResponse } from '../protocol/apis/42-delete-groups';
import type { Handler } from './handler';

export const handleDeleteGroups: Handler<DeleteGroupsRequest, DeleteGroupsResponse> = ({ cluster }, req) => ({
  results: req.groupIds.map((groupId) => ({ groupId, errorCode: cluster.groups.delete(groupId) })),
});
