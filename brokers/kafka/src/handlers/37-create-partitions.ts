// CreatePartitions v0. Behavior: grows a topic to `count` partitions (never shrinks: INVALID_PARTITIONS); new
// partitions start empty, existing ones keep their data, so keys may now map elsewhere, as in Kafka. Unknown topic
// → UNKNOWN_TOPIC_OR_PARTITION. Gaps: assignments naming a broker other than 1 are INVALID_REPLICA_ASSIGNMENT.
import type {
  CreatePartitionsRequest,
  CreatePartitionsResponse,
} from '../protocol/apis/37-create-partitions';
import { ErrorCode } from '../protocol/errors';
import { MAX_PARTITIONS } from './19-create-topics';
import type { Handler } from './handler';

export const handleCreatePartitions: Handler<CreatePartitionsRequest, CreatePartitionsResponse> = (
  { cluster },
  req,
) => ({
  topics: req.topics.map((t) => {
    const fail = (errorCode: number, errorMessage: string | null) => ({
      name: t.name,
      errorCode,
      errorMessage,
    });
    const topic = cluster.topics.get(t.name);
    if (!topic) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${t.name}' does not exist.`);
    const current = topic.partitions.length;
    if (t.count <= current) {
      return fail(
        ErrorCode.INVALID_PARTITIONS,
        `Topic currently has ${current} partitions, which is higher than the requested ${t.count}.`,
      );
    }
    if (t.count > MAX_PARTITIONS) {
      return fail(
        ErrorCode.INVALID_PARTITIONS,
        `This broker allows at most ${MAX_PARTITIONS} partitions per topic.`,
      );
    }
    if (t.assignments?.some((a) => a.some((b) => b !== cluster.nodeId))) {
      return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Only broker 1 exists.');
    }
    if (!req.validateOnly) cluster.addPartitions(topic, t.count);
    return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
  }),
});
