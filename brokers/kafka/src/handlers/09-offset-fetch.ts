// OffsetFetch v3. Behavior: null topics = every committed offset of the group; a partition without a commit (or an
// unknown group) answers offset -1 with empty metadata and no error.
import type { OffsetFetchRequest, OffsetFetchResponse } from '../protocol/apis/09-offset-fetch';
import { ErrorCode } from '../protocol/errors';
import type { Handler } from './handler';

export const handleOffsetFetch: Handler<OffsetFetchRequest, OffsetFetchResponse> = ({ cluster }, req) => {
  const wanted =
    req.topics ??
    [...(cluster.groups.groups.get(req.groupId)?.offsets ?? new Map<string, Map<number, unknown>>())].map(
      ([name, parts]) => ({
        name,
        partitions: [...parts.keys()],
      }),
    );
  return {
    errorCode: ErrorCode.NONE,
    topics: wanted.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((partition) => {
        const c = cluster.groups.committed(req.groupId, t.name, partition);
        return {
          partition,
          offset: c?.offset ?? -1n,
          metadata: c ? c.metadata : '',
          errorCode: ErrorCode.NONE,
        };
      }),
    })),
  };
};
