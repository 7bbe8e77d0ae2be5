// The read-only view of one embedded Kafka instance (design.md §6): a JSON-safe snapshot in the shared protocol's
// KafkaSnapshot shape, built on demand from the cluster owner's state. Offsets go out as strings (int64 on the wire).
// Assignments are decoded from the consumer protocol (version, [topic, [partition]], user data) when they are one.
// Lag is the high watermark minus the committed offset (0 for sentinels such as -1).
import type { KafkaSnapshot } from '@msgbook/protocol';
import { Reader } from './protocol/primitives/reader';
import type { Cluster } from './state/cluster';
import type { Group } from './state/group';
import type { Transaction } from './state/txns';

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
    groups: [...cluster.groups.groups.values()].map((g) => groupView(cluster, g)),
    transactions: [...cluster.txns.txns.values()].map(transactionView),
  };
}

function groupView(cluster: Cluster, g: Group): KafkaSnapshot['groups'][number] {
  const offsets: KafkaSnapshot['groups'][number]['offsets'] = [];
  for (const [topic, parts] of g.offsets) {
    for (const [partition, c] of parts) {
      const hw = cluster.partition(topic, partition)?.highWatermark;
      const lag = hw !== undefined && c.offset >= 0n && hw > c.offset ? Number(hw - c.offset) : 0;
      offsets.push({ topic, partition, committed: String(c.offset), lag });
    }
  }
  return {
    groupId: g.id,
    state: g.state,
    generation: g.generation,
    protocolType: g.protocolType,
    protocol: g.protocol,
    leader: g.leader,
    members: [...g.members.values()].map((m) => ({
      memberId: m.id,
      clientId: m.clientId,
      clientHost: m.clientHost,
      assignment: g.protocolType === 'consumer' ? decodeAssignment(m.assignment) : {},
    })),
    offsets,
  };
}

function transactionView(t: Transaction): KafkaSnapshot['transactions'][number] {
  return {
    transactionalId: t.id,
    producerId: String(t.producerId),
    epoch: t.epoch,
    state: t.state,
    partitions: [...t.partitions].map((p) => ({ topic: p.topic, partition: p.partition })),
    groups: [...t.groups],
    timeoutMs: t.timeoutMs,
  };
}

/** The consumer protocol's MemberAssignment; anything else (or nothing yet) shows as no partitions. */
export function decodeAssignment(buf: Buffer): Record<string, number[]> {
  if (buf.length === 0) return {};
  try {
    const r = new Reader(buf);
    r.int16();
    const out: Record<string, number[]> = {};
    for (const t of r.array((r) => ({ topic: r.string(), partitions: r.array((r) => r.int32()) }))) {
      out[t.topic] = t.partitions;
    }
    return out;
  } catch {
    return {};
  }
}
