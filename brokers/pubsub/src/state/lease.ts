// What the pump hands out and to whom: a Pending is one message of one subscription, a Lease one delivery of it with
// its ack id and deadline, a Consumer a stream, a waiting Pull or a push endpoint, with its server-side flow control.
import type { StoredMessage } from './topics';

export interface Lease {
  ackId: string;
  deadline: number;
  consumer: Consumer;
  pending: Pending;
  /**
   * Where the lease sits in the deadline heap: never after `deadline`. A modack that extends the deadline (every
   * receipt modack does) leaves it in place, and the pass that finds it due early moves it on; only a shortened
   * deadline moves it at once.
   */
  at: number;
  /** Position in the pump's deadline heap. */
  heapIndex: number;
}

/**
 * One (subscription, message) pair; `deliveries` counts the deliveries so far. `acked` is set only on an ordered
 * subscription, for a message acked while an earlier one of its key is unacked: it is redelivered if that one fails.
 */
export interface Pending {
  msg: StoredMessage;
  acked: boolean;
  deliveries: number;
  failures: number;
  notBefore: number;
  lease: Lease | null;
  /** Positions in the pump's ready and backoff heaps (-1: not in it). */
  readyIndex: number;
  waitIndex: number;
}

export interface Delivery {
  ackId: string;
  pending: Pending;
}

/** A stream or a waiting Pull. `maxMessages`/`maxBytes` 0 means no server-side limit. */
export interface Consumer {
  readonly id: string;
  readonly maxMessages: number;
  readonly maxBytes: number;
  ackDeadlineMs: number;
  outMessages: number;
  outBytes: number;
  /** Called at most once per pass with a non-empty batch. A Pull detaches itself inside. */
  deliver(batch: Delivery[]): void;
  /** Ends the consumer with a status (NOT_FOUND on delete, UNAVAILABLE on shutdown). */
  end(code: number, details: string): void;
}

/** Server-side flow control: a consumer takes a message while under both of its limits (the first always fits). */
export function hasRoom(c: Consumer, p: Pending): boolean {
  const limit = c.maxMessages > 0 ? c.maxMessages : Infinity;
  if (c.outMessages >= limit) return false;
  if (c.maxBytes > 0 && c.outMessages > 0 && c.outBytes + p.msg.bytes > c.maxBytes) return false;
  return true;
}
