// FindCoordinator v1. Behavior: one node coordinates every group and transactional id; key types other than 0
// (group) and 1 (transaction) are INVALID_REQUEST.
import type { FindCoordinatorRequest, FindCoordinatorResponse } from '../protocol/apis/10-find-coordinator';
import { ErrorCode } from '../protocol/errors';
import type { Handler } from './handler';

export const handleFindCoordinator: Handler<FindCoordinatorRequest, FindCoordinatorResponse> = (
  { cluster },
  req,
) =>
  req.keyType === 0 || req.keyType === 1
    ? {
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        nodeId: cluster.nodeId,
        host: cluster.host,
        port: cluster.port,
      }
    : { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: null, nodeId: -1, host: '', port: -1 };
