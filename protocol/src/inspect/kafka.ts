// Read-only view of an embedded Kafka broker (design.md §6). Offsets are strings: they are int64 on the wire.
import { z } from 'zod';

const Offset = z.string().regex(/^-?\d+$/);

export const KafkaPartitionView = z.object({
  partition: z.number().int(),
  logStartOffset: Offset,
  highWatermark: Offset,
  lastStableOffset: Offset,
  bytes: z.number().int(),
});

export const KafkaTopicView = z.object({
  name: z.string(),
  partitions: z.array(KafkaPartitionView),
  configs: z.record(z.string(), z.string()),
});

export const KafkaMemberView = z.object({
  memberId: z.string(),
  clientId: z.string(),
  clientHost: z.string(),
  /** topic → partitions, decoded from the consumer protocol's assignment when it is one. */
  assignment: z.record(z.string(), z.array(z.number().int())),
});

export const KafkaGroupView = z.object({
  groupId: z.string(),
  state: z.enum(['Empty', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead']),
  generation: z.number().int(),
  protocolType: z.string(),
  protocol: z.string(),
  leader: z.string(),
  members: z.array(KafkaMemberView),
  offsets: z.array(
    z.object({ topic: z.string(), partition: z.number().int(), committed: Offset, lag: z.number().int() }),
  ),
});

export const KafkaTransactionView = z.object({
  transactionalId: z.string(),
  producerId: Offset,
  epoch: z.number().int(),
  state: z.enum(['Empty', 'Ongoing', 'PrepareCommit', 'PrepareAbort', 'CompleteCommit', 'CompleteAbort']),
  partitions: z.array(z.object({ topic: z.string(), partition: z.number().int() })),
  groups: z.array(z.string()),
  timeoutMs: z.number().int(),
});

export const KafkaSnapshot = z.object({
  broker: z.literal('kafka'),
  topics: z.array(KafkaTopicView),
  groups: z.array(KafkaGroupView),
  transactions: z.array(KafkaTransactionView),
});
export type KafkaSnapshot = z.infer<typeof KafkaSnapshot>;
