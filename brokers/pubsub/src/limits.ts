// Limits of one emulator instance by profile (design.md §6). `full` (`msgbook brokers`) keeps what the API keeps: every
// message until its retention time ends, resources without count. `small` (one instance per sandbox session, many per
// workshop server) also bounds memory: each topic's retained log, each subscription's backlog and acked-message store,
// and each snapshot hold at most `retainedBytes`, dropping their oldest messages past it as retention would, and an
// instance holds a bounded number of topics, subscriptions and snapshots (RESOURCE_EXHAUSTED beyond, as the API
// answers a quota).
import type { BrokerStartOptions } from '@msgbook/broker-common';

export interface PubsubLimits {
  /** Message bytes (as quotas count them) one topic log, subscription backlog or snapshot keeps. */
  retainedBytes: number;
  topics: number;
  subscriptions: number;
  snapshots: number;
}

const MiB = 1024 * 1024;

export const PROFILES: Record<NonNullable<BrokerStartOptions['profile']>, PubsubLimits> = {
  full: { retainedBytes: Infinity, topics: Infinity, subscriptions: Infinity, snapshots: Infinity },
  small: { retainedBytes: 16 * MiB, topics: 100, subscriptions: 200, snapshots: 50 },
};

/** Drops from the front of `messages` (oldest first) until their bytes fit `limit`; returns the bytes kept. */
export function trimOldest<T extends { bytes: number }>(messages: T[], bytes: number, limit: number): number {
  let drop = 0;
  while (bytes > limit && drop < messages.length) bytes -= messages[drop++]!.bytes;
  if (drop > 0) messages.splice(0, drop);
  return bytes;
}
