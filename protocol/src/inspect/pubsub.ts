// Read-only view of an embedded Pub/Sub emulator (design.md §6). Names are full resource names.
import { z } from 'zod';

export const PubsubTopicView = z.object({
  name: z.string(),
  messageRetentionSeconds: z.number().nullable(),
  published: z.number().int(),
});

export const PubsubLeaseView = z.object({
  messageId: z.string(),
  ackId: z.string(),
  deadline: z.number(),
  deliveryAttempt: z.number().int(),
  orderingKey: z.string(),
});

export const PubsubSubscriptionView = z.object({
  name: z.string(),
  topic: z.string(),
  ackDeadlineSeconds: z.number().int(),
  filter: z.string(),
  enableMessageOrdering: z.boolean(),
  enableExactlyOnceDelivery: z.boolean(),
  pushEndpoint: z.string().nullable(),
  deadLetterTopic: z.string().nullable(),
  maxDeliveryAttempts: z.number().int().nullable(),
  backlog: z.number().int(),
  outstanding: z.array(PubsubLeaseView),
  deadLettered: z.number().int(),
  streams: z.number().int(),
});

export const PubsubSnapshot = z.object({
  broker: z.literal('pubsub'),
  topics: z.array(PubsubTopicView),
  subscriptions: z.array(PubsubSubscriptionView),
  snapshots: z.array(z.object({ name: z.string(), topic: z.string(), expireTime: z.number() })),
});
export type PubsubSnapshot = z.infer<typeof PubsubSnapshot>;
