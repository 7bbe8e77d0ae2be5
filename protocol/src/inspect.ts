// The one shape every embedded broker's introspection takes (design.md §6): a snapshot per broker kind and a
// stream of change events. The web app's broker views and the graders read all three alike.
import { z } from 'zod';
import { BrokerKind } from './common';
import { KafkaSnapshot } from './inspect/kafka';
import { AmqpSnapshot } from './inspect/amqp';
import { PubsubSnapshot } from './inspect/pubsub';

export * from './inspect/kafka';
export * from './inspect/amqp';
export * from './inspect/pubsub';

export const BrokerSnapshot = z.discriminatedUnion('broker', [KafkaSnapshot, AmqpSnapshot, PubsubSnapshot]);
export type BrokerSnapshot = z.infer<typeof BrokerSnapshot>;

/**
 * A change in a broker's state. `kind` names what happened in the broker's own terms (`topic-created`,
 * `group-rebalanced`, `message-dead-lettered` …); `subject` is the resource it happened to; `detail` is a small,
 * JSON-safe object for display. A consumer that needs exact state reads a fresh snapshot.
 */
export const BrokerEvent = z.object({
  broker: BrokerKind,
  at: z.number(),
  kind: z.string().regex(/^[a-z]+(-[a-z]+)*$/),
  subject: z.string(),
  detail: z.record(z.string(), z.unknown()).default({}),
});
export type BrokerEvent = z.infer<typeof BrokerEvent>;
