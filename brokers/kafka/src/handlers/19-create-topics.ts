// CreateTopics v2. Behavior: -1 partitions / replication factor mean the broker defaults (kafkajs sends -1 when
// omitted); a replication factor above the one broker gives INVALID_REPLICATION_FACTOR, as a one-node Kafka does;
// validate_only checks without creating. Gaps: manual replica assignments are accepted only for broker 1; configs
// are stored verbatim and only retention.bytes has an effect; at most MAX_PARTITIONS partitions per topic.
import type { CreateTopicsRequest, CreateTopicsResponse } from '../protocol/apis/19-create-topics';
import { ErrorCode } from '../protocol/errors';
import { Cluster } from '../state/cluster';
import type { Handler } from './handler';

/** Not a Kafka limit: one process holds every partition in memory, so a garbled count must not allocate millions. */
export const MAX_PARTITIONS = 1000;

export const handleCreateTopics: Handler<CreateTopicsRequest, CreateTopicsResponse> = ({ cluster }, req) => {
  const seen = new Set<string>();
  const topics = req.topics.map((t) => {
    const fail = (errorCode: number, errorMessage: string) => ({ name: t.name, errorCode, errorMessage });
    if (seen.has(t.name)) return fail(ErrorCode.INVALID_REQUEST, `Duplicate topic name ${t.name}`);
    seen.add(t.name);
    const partitions =
      t.assignments.length > 0
        ? t.assignments.length
        : t.numPartitions === -1
          ? cluster.config.defaultPartitions
          : t.numPartitions;
    const replication =
      t.assignments.length > 0
        ? (t.assignments[0]?.brokers.length ?? 0)
        : t.replicationFactor === -1
          ? 1
          : t.replicationFactor;
    if (partitions <= 0)
      return fail(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
    if (replication <= 0) {
      return fail(
        ErrorCode.INVALID_REPLICATION_FACTOR,
        'Replication factor must be larger than 0, or -1 to use the default value.',
      );
    }
    if (replication > 1 || t.assignments.some((a) => a.brokers.some((b) => b !== cluster.nodeId))) {
      return fail(
        ErrorCode.INVALID_REPLICATION_FACTOR,
        `Unable to replicate the partition ${replication} time(s): The target replication factor of ${replication} cannot be reached because only 1 broker(s) are registered.`,
      );
    }
    const problem = Cluster.topicNameProblem(t.name);
    if (problem) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, problem);
    if (cluster.topics.has(t.name))
      return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
    if (req.validateOnly) return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
    const configs: Record<string, string> = {};
    for (const c of t.configs) if (c.value !== null) configs[c.name] = c.value;
    const { errorCode, message } = cluster.createTopic(t.name, partitions, configs);
    return { name: t.name, errorCode, errorMessage: message };
  });
  return { topics };
};
