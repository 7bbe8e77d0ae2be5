// Metadata v4: topics?[name] (null = all), allow_auto_topic_creation → throttle, brokers[node, host, port, rack?],
// cluster_id?, controller_id, topics[err, name, internal, partitions[err, index, leader, replicas[], isr[]]].
// v1 is the floor kafkajs needs (controller id); v5 would add offline replicas, which one node never has.
import { defineApi } from '../api';

export interface MetadataRequest {
  topics: string[] | null;
  allowAutoTopicCreation: boolean;
}
export interface MetadataPartition {
  errorCode: number;
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}
export interface MetadataTopic {
  errorCode: number;
  name: string;
  internal: boolean;
  partitions: MetadataPartition[];
}
export interface MetadataResponse {
  brokers: { nodeId: number; host: string; port: number; rack: string | null }[];
  clusterId: string | null;
  controllerId: number;
  topics: MetadataTopic[];
}

export const Metadata = defineApi<MetadataRequest, MetadataResponse>({
  key: 3,
  name: 'Metadata',
  minVersion: 4,
  maxVersion: 4,
  decodeRequest: (r) => ({ topics: r.nullableArray((r) => r.string()), allowAutoTopicCreation: r.bool() }),
  encodeResponse(w, res) {
    w.int32(0)
      .array(res.brokers, (w, b) => w.int32(b.nodeId).string(b.host).int32(b.port).nullableString(b.rack))
      .nullableString(res.clusterId)
      .int32(res.controllerId)
      .array(res.topics, (w, t) =>
        w
          .int16(t.errorCode)
          .string(t.name)
          .bool(t.internal)
          .array(t.partitions, (w, p) =>
            w
              .int16(p.errorCode)
              .int32(p.partition)
              .int32(p.leader)
              .array(p.replicas, (w, n) => w.int32(n))
              .array(p.isr, (w, n) => w.int32(n)),
          ),
      );
  },
});
