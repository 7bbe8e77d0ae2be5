// Metadata v4. Behavior: null topics = all; an unknown topic is auto-created only when both the request and the
// broker allow it (auto-creation is off by default, as in the project's real Kafka), else UNKNOWN_TOPIC_OR_PARTITION
// with no partitions. One node: it is every partition's leader, the only replica and ISR, and the controller.
import type { MetadataRequest, MetadataResponse, MetadataTopic } from '../protocol/apis/03-metadata';
import { ErrorCode } from '../protocol/errors';
import type { Handler } from './handler';

export const handleMetadata: Handler<MetadataRequest, MetadataResponse> = ({ cluster }, req) => {
  const names = req.topics ?? [...cluster.topics.keys()];
  const topics: MetadataTopic[] = names.map((name) => {
    let topic = cluster.topics.get(name);
    if (!topic && req.allowAutoTopicCreation && cluster.config.autoCreateTopics) {
      const created = cluster.createTopic(name, cluster.config.defaultPartitions);
      if (created.errorCode !== ErrorCode.NONE) {
        return { errorCode: created.errorCode, name, internal: false, partitions: [] };
      }
      topic = cluster.topics.get(name);
    }
    if (!topic)
      return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, internal: false, partitions: [] };
    return {
      errorCode: ErrorCode.NONE,
      name,
      internal: false,
      partitions: topic.partitions.map((p) => ({
        errorCode: ErrorCode.NONE,
        partition: p.partition,
        leader: cluster.nodeId,
        replicas: [cluster.nodeId],
        isr: [cluster.nodeId],
      })),
    };
  });
  return {
    brokers: [{ nodeId: cluster.nodeId, host: cluster.host, port: cluster.port, rack: null }],
    clusterId: cluster.clusterId,
    controllerId: cluster.nodeId,
    topics,
  };
};
