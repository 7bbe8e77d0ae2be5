// The read-only view of one embedded Kafka instance (design.md §6): a JSON-safe snapshot in the shared protocol's
// KafkaSnapshot shape. Offsets go out as strings (int64 on the wire). The web views and graders read only this and the
// change events the cluster emits.
import type { KafkaSnapshot } from '@msgbook/protocol';
import type { Cluster } from './state/cluster';

export function snapshot(cluster: Cluster): KafkaSnapshot {
  return {
    broker: 'kafka',
    topics: [...cluster.topics.values()].map((t) => ({
      name: t.name,
      configs: { ...t.configs },
      partitions: t.partitions.map((p) => ({
        partition: p.partition,
        logStartOffset: String(p.logStart),
        highWatermark: String(p.highWatermark),
        lastStableOffset: String(p.lastStableOffset),
        bytes: p.bytes,
      })),
    })),
    groups: [],
    transactions: [],
  };
}
