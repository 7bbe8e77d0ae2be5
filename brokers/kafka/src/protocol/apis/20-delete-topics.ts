// DeleteTopics v1: [name], timeout → throttle, [name, err].
import { defineApi } from '../api';

export interface DeleteTopicsRequest {
  names: string[];
  timeoutMs: number;
}
export interface DeleteTopicsResponse {
  topics: { name: string; errorCode: number }[];
}

export const DeleteTopics = defineApi<DeleteTopicsRequest, DeleteTopicsResponse>({
  key: 20,
  name: 'DeleteTopics',
  minVersion: 1,
  maxVersion: 1,
  decodeRequest: (r) => ({ names: r.array((r) => r.string()), timeoutMs: r.int32() }),
  encodeResponse(w, res) {
    w.int32(0).array(res.topics, (w, t) => w.string(t.name).int16(t.errorCode));
  },
});
