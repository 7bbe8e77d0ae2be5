// Small shared building blocks for the schemas of every boundary (websocket, broker host IPC, content, results).
import { z } from 'zod';

/** Identifiers chosen by clients: short, printable, no path separators. */
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only');

export const BrokerKind = z.enum(['kafka', 'amqp', 'pubsub']);
export type BrokerKind = z.infer<typeof BrokerKind>;

/** Where learner code sends its broker traffic (design.md §2). */
export const Target = z.enum(['embedded', 'real']);
export type Target = z.infer<typeof Target>;

/** The endpoints injected into learner code (design.md §2). */
export const Endpoints = z.object({
  KAFKA_BROKERS: z.string(),
  AMQP_URL: z.string(),
  PUBSUB_EMULATOR_HOST: z.string(),
  PUBSUB_PROJECT_ID: z.string(),
});
export type Endpoints = z.infer<typeof Endpoints>;

/** Slugs of chapters and exercises: `NN-slug`. */
export const Slug = z.string().regex(/^\d\d-[a-z0-9]+(?:-[a-z0-9]+)*$/, 'NN-slug, e.g. 01-sync-async');
