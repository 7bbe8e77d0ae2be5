// CreateTopics v2: [name, num_partitions, replication_factor, assignments[partition, [broker]], configs[name,
// value?]], timeout, validate_only → throttle, [name, err, message?]. kafkajs sends -1/-1 for omitted counts.
import { defineApi } from '../api';

export interface CreatableTopic {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignments: { partition: number; brokers: number[] }[];
  configs: { name: string; value: string | null }[];
}
export interface CreateTopicsRequest {
  topics: CreatableTopic[];
  timeoutMs: number;
  validateOnly: boolean;
}
export interface CreateTopicsResponse {
  topics: { name: string; errorCode: number; errorMessage: string | null }[];
}

export const CreateTopics = defineApi<CreateTopicsRequest, CreateTopicsResponse>({
  key: 19,
  name: 'CreateTopics',
  minVersion: 2,
  maxVersion: 2,
  decodeRequest: (r) => ({
    topics: r.array((r) => ({
      name: r.string(),
      numPartitions: r.int32(),
      replicationFactor: r.int16(),
      assignments: r.array((r) => ({ partition: r.int32(), brokers: r.array((r) => r.int32()) })),
      configs: r.array((r) => ({ name: r.string(), value: r.nullableString() })),
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
