// Read-only view of an embedded AMQP 0-9-1 broker (design.md §6).
import { z } from 'zod';

export const AmqpExchangeView = z.object({
  vhost: z.string(),
  name: z.string(),
  type: z.enum(['direct', 'fanout', 'topic', 'headers']),
  durable: z.boolean(),
  autoDelete: z.boolean(),
  internal: z.boolean(),
  arguments: z.record(z.string(), z.unknown()),
});

export const AmqpBindingView = z.object({
  vhost: z.string(),
  source: z.string(),
  destination: z.string(),
  destinationType: z.enum(['queue', 'exchange']),
  routingKey: z.string(),
  arguments: z.record(z.string(), z.unknown()),
});

export const AmqpConsumerView = z.object({
  consumerTag: z.string(),
  connection: z.string(),
  channel: z.number().int(),
  prefetch: z.number().int(),
  unacked: z.number().int(),
  noAck: z.boolean(),
  exclusive: z.boolean(),
});

export const AmqpQueueView = z.object({
  vhost: z.string(),
  name: z.string(),
  durable: z.boolean(),
  exclusive: z.boolean(),
  autoDelete: z.boolean(),
  arguments: z.record(z.string(), z.unknown()),
  ready: z.number().int(),
  unacked: z.number().int(),
  readyBytes: z.number().int(),
  consumers: z.array(AmqpConsumerView),
  deadLetterExchange: z.string().optional(),
  deadLetterRoutingKey: z.string().optional(),
});

export const AmqpSnapshot = z.object({
  broker: z.literal('amqp'),
  exchanges: z.array(AmqpExchangeView),
  bindings: z.array(AmqpBindingView),
  queues: z.array(AmqpQueueView),
  connections: z.array(z.object({ name: z.string(), channels: z.number().int(), blocked: z.boolean() })),
  memoryAlarm: z.boolean(),
  /** Message body bytes held by queues (ready and unacked), and the limit that raises the memory alarm. */
  memory: z.object({ used: z.number().int(), limit: z.number().int() }).optional(),
});
export type AmqpSnapshot = z.infer<typeof AmqpSnapshot>;
