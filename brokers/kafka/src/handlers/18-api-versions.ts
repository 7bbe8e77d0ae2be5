// ApiVersions v0-2. Behavior: lists every API in the registry with min=max (kafkajs picks min(its max, ours)),
// so ApiVersions is built from the codecs that exist, as kfake's regKey does.
import type { ApiVersionsRequest, ApiVersionsResponse } from '../protocol/apis/18-api-versions';
import { ErrorCode } from '../protocol/errors';
import { apis } from '../protocol/registry';
import type { Handler } from './handler';

export const handleApiVersions: Handler<ApiVersionsRequest, ApiVersionsResponse> = () => ({
  errorCode: ErrorCode.NONE,
  apis: apis.map((a) => ({ key: a.key, min: a.minVersion, max: a.maxVersion })),
  throttleTimeMs: 0,
});
