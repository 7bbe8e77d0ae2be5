// CreatePartitions v0: [topic, count, assignments?[[broker]]], timeout, validate_only → throttle, [topic, err,
// message?]. kafkajs admin.createPartitions; its empty assignment list goes out as null.
import { defineApi } from '../api';

export interface CreatePartitionsRequest {
  topics: { name: string; count: number; assignments: number[][] | null }[];
  timeoutMs: number;
  validateOnly: boolean;
}
export interface CreatePartitionsResponse {
  topics: { name: string; errorCode: number; errorMessage: string | null }[];
}

export const CreatePartitions = defineApi<CreatePartitionsRequest, CreatePartitionsResponse>({
  key: 37,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 0,
  decodeRequest: (r) => ({
    topics: r.array((r) => ({
      name: r.string(),
      count: r.int32(),
      assignments: r.nullableArray((r) => r.array((r) => r.int32())),
    })),
    timeoutMs: r.int32(),
    validateOnly: r.bool(),
  }),
  encodeResponse(w, res) {
    w.int32(0).array(res.topics, (w, t) =>
      w.string(t.name).int16(t.errorCode).nullableString(t.errorMessage),
    );
  },
});
