// DescribeGroups v1. Behavior: an unknown group is state Dead with no error (kafkajs setOffsets relies on it);
// member metadata and assignments are filled in only once the group is Stable, as Kafka does.
import type { DescribeGroupsRequest, DescribeGroupsResponse } from '../protocol/apis/15-describe-groups';
import type { Handler } from './handler';

export const handleDescribeGroups: Handler<DescribeGroupsRequest, DescribeGroupsResponse> = (
  { cluster },
  req,
) => ({
  groups: req.groupIds.map((id) => cluster.groups.describe(id)),
});
