// The delivery engine of one subscription: its unacked messages, their leases and the consumers (streams and waiting
// Pulls) they go to. Event-driven: publish, ack, nack, consumer changes and the one clock timer (next lease deadline
// or backoff end) call `schedule()`, and a pass runs once per turn of the event loop. Call only from the emulator's
// synchronous methods: a pass never awaits. Gaps: exactly-once ack errors, retention of acked messages. TODO(#6)
import type { Clock, TimerHandle } from '@msgbook/broker-common';
import type { StoredMessage } from './topics';

export interface Lease {
  ackId: string;
  deadline: number;
  consumer: Consumer;
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

export interface PumpPolicy {
  ordering: boolean;
  /** Unacked messages older than this are dropped (message_retention_duration). */
  retentionMs: number;
  maxDeliveryAttempts: number | null;
  minBackoffMs: number | null;
  maxBackoffMs: number | null;
}

export interface PumpHost {
  clock: Clock;
  nextAckId(): string;
  /** A message whose last allowed delivery failed: the host publishes it to the dead-letter topic. */
  deadLetter(pending: Pending): void;
  /** A message left the subscription acknowledged (or dead-lettered): kept for Seek when acked messages are retained. */
  acked(msg: StoredMessage): void;
  /** A delivery, ack, nack or expiry, for the change stream. */
  changed(kind: string, detail: Record<string, unknown>): void;
}

export class Pump {
  /** Unacked messages in publish order (Map keeps insertion order), plus acked ones `settle` keeps. */
  readonly pending = new Map<string, Pending>();
  /** Ordered subscriptions only: the pending messages of each non-empty ordering key, in publish order. */
  private readonly keys = new Map<string, Pending[]>();
  readonly byAckId = new Map<string, Pending>();
  readonly consumers: Consumer[] = [];
  private rr = 0;
  private readonly keyConsumer = new Map<string, Consumer>();
  private immediate: NodeJS.Immediate | null = null;
  private timer: { at: number; handle: TimerHandle } | null = null;
  private closed = false;
  /** The earliest lease deadline, backoff end or retention end the last pass saw. */
  private due = -Infinity;

  constructor(
    private readonly host: PumpHost,
    private current: PumpPolicy,
  ) {}

  get policy(): PumpPolicy {
    return this.current;
  }

  /** A new policy (UpdateSubscription) may make messages due at once, so the next pass scans everything. */
  set policy(policy: PumpPolicy) {
    this.current = policy;
    this.due = -Infinity;
    this.schedule();
  }

  enqueue(msg: StoredMessage): void {
    const p: Pending = { msg, acked: false, deliveries: 0, failures: 0, notBefore: 0, lease: null };
    this.pending.set(msg.id, p);
    if (this.policy.ordering && msg.orderingKey) {
      const list = this.keys.get(msg.orderingKey);
      if (list) list.push(p);
      else this.keys.set(msg.orderingKey, [p]);
    }
    this.schedule();
  }

  attach(consumer: Consumer): void {
    this.consumers.push(consumer);
    this.schedule();
  }

  detach(consumer: Consumer): void {
    const i = this.consumers.indexOf(consumer);
    if (i >= 0) this.consumers.splice(i, 1);
    for (const [key, c] of this.keyConsumer) if (c === consumer) this.keyConsumer.delete(key);
  }

  /** Acks the leases these ids name; ids of past deliveries are ignored (the API says an ack "may succeed"). */
  ack(ackIds: string[]): void {
    for (const id of ackIds) {
      const p = this.byAckId.get(id);
      if (!p) continue;
      this.endLease(p);
      p.acked = true;
      this.settle(p);
      this.host.changed('message-acked', { messageId: p.msg.id, ackId: id });
    }
    this.schedule();
  }

  /** A new deadline for current leases; 0 is a nack. Stale ids are no-ops, so a late receipt modack cannot re-lease. */
  modifyDeadline(ackIds: string[], seconds: number): void {
    const now = this.host.clock.now();
    for (const id of ackIds) {
      const p = this.byAckId.get(id);
      if (!p?.lease) continue;
      if (seconds > 0) {
        p.lease.deadline = now + seconds * 1000;
      } else {
        this.host.changed('message-nacked', { messageId: p.msg.id, ackId: id });
        this.fail(p, now);
      }
    }
    this.schedule();
  }

  /**
   * Seek: the subscription's unacked messages become exactly `messages` (in publish order), every lease ends and
   * every ack id handed out so far becomes stale.
   */
  reset(messages: StoredMessage[]): void {
    this.pending.clear();
    this.byAckId.clear();
    this.keys.clear();
    for (const c of this.consumers) {
      c.outMessages = 0;
      c.outBytes = 0;
    }
    for (const m of messages) this.enqueue(m);
    this.schedule();
  }

  /** Ends every consumer (subscription deleted or emulator stopping) and every timer. */
  close(code: number, details: string): void {
    this.closed = true;
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = null;
    this.timer?.handle.cancel();
    this.timer = null;
    for (const c of this.consumers.splice(0)) c.end(code, details);
  }

  schedule(): void {
    if (this.closed || this.immediate) return;
    this.immediate = setImmediate(() => {
      this.immediate = null;
      this.pass();
    });
  }

  /**
   * Forgets an acked message unless an earlier unacked message of its key could still bring it back; on an ordered
   * subscription, also the acked run that now heads its key.
   */
  private settle(p: Pending): void {
    const key = p.msg.orderingKey;
    const list = this.policy.ordering && key ? this.keys.get(key) : undefined;
    if (!list) {
      this.pending.delete(p.msg.id);
      this.host.acked(p.msg);
      return;
    }
    while (list[0]?.acked) {
      const head = list.shift()!;
      this.pending.delete(head.msg.id);
      this.host.acked(head.msg);
    }
    if (list.length === 0) this.keys.delete(key);
  }

  private endLease(p: Pending): void {
    if (!p.lease) return;
    const c = p.lease.consumer;
    c.outMessages = Math.max(0, c.outMessages - 1);
    c.outBytes = Math.max(0, c.outBytes - p.msg.bytes);
    this.byAckId.delete(p.lease.ackId);
    p.lease = null;
  }

  /** A nack or an expired lease: back off, or dead-letter after the last allowed attempt. */
  private fail(p: Pending, now: number): void {
    this.endLease(p);
    p.failures++;
    const max = this.policy.maxDeliveryAttempts;
    if (max !== null && p.deliveries >= max) {
      p.acked = true;
      this.settle(p);
      this.host.deadLetter(p);
      return;
    }
    const { minBackoffMs: min, maxBackoffMs: maxB } = this.policy;
    p.notBefore = min === null ? 0 : now + Math.min(Math.max(min * 2 ** (p.failures - 1), min), maxB ?? min);
    if (this.policy.ordering && p.msg.orderingKey) this.revokeLaterOfKey(p);
  }

  /**
   * Ordering: when a message of a key fails, every later message of that key, leased or even acked, is delivered again
   * after it (docs "ordering": "redelivery of a message triggers redelivery of all subsequent messages for that key").
   */
  private revokeLaterOfKey(failed: Pending): void {
    const list = this.keys.get(failed.msg.orderingKey) ?? [];
    for (const q of list.slice(list.indexOf(failed) + 1)) {
      this.endLease(q);
      q.acked = false;
    }
  }

  private pass(): void {
    if (this.closed) return;
    const now = this.host.clock.now();
    // Nothing can have fallen due before the earliest time the last pass saw: leases are only made in a pass, and
    // everything else only moves deadlines later. So the scan runs only when the timer's moment has come.
    if (this.due <= now) this.expire(now);
    const batches = new Map<Consumer, Delivery[]>();
    if (this.consumers.length > 0) this.assign(now, batches);
    for (const [consumer, batch] of batches) consumer.deliver(batch);
    this.armTimer(now);
  }

  private expire(now: number): void {
    for (const p of [...this.pending.values()]) {
      if (p.msg.publishTime + this.policy.retentionMs <= now) {
        this.endLease(p);
        this.pending.delete(p.msg.id);
        const list = this.keys.get(p.msg.orderingKey);
        if (list?.includes(p)) list.splice(list.indexOf(p), 1);
        this.host.changed('message-expired', { messageId: p.msg.id });
        continue;
      }
      if (p.lease && p.lease.deadline <= now) {
        this.host.changed('lease-expired', { messageId: p.msg.id, ackId: p.lease.ackId });
        this.fail(p, now);
      }
    }
  }

  private assign(now: number, batches: Map<Consumer, Delivery[]>): void {
    // Keys with a leased message wait for it; a key stalled in this pass stays stalled so its order holds.
    const stalled = new Set<string>();
    if (this.policy.ordering)
      for (const p of this.pending.values()) if (p.lease && p.msg.orderingKey) stalled.add(p.msg.orderingKey);
    const keyed = new Map<string, Consumer>();
    for (const p of this.pending.values()) {
      if (p.lease || p.acked) continue;
      if (!this.policy.ordering && !this.consumers.some((c) => hasRoom(c, p))) break;
      const key = this.policy.ordering ? p.msg.orderingKey : '';
      if (key && stalled.has(key)) continue;
      let consumer: Consumer | undefined;
      if (p.notBefore <= now) {
        consumer = key ? (keyed.get(key) ?? this.pick(p, this.keyConsumer.get(key))) : this.pick(p);
        if (consumer && key && !hasRoom(consumer, p)) consumer = undefined;
      }
      if (!consumer) {
        if (key) stalled.add(key);
        continue;
      }
      if (key) {
        keyed.set(key, consumer);
        this.keyConsumer.set(key, consumer);
      }
      this.lease(p, consumer, now, batches);
    }
  }

  /** Round-robin over consumers with room, starting after the last one served; `preferred` first if it has room. */
  private pick(p: Pending, preferred?: Consumer): Consumer | undefined {
    if (preferred && this.consumers.includes(preferred) && hasRoom(preferred, p)) return preferred;
    const n = this.consumers.length;
    for (let i = 0; i < n; i++) {
      const c = this.consumers[(this.rr + i) % n]!;
      if (hasRoom(c, p)) {
        this.rr = (this.rr + i + 1) % n;
        return c;
      }
    }
    return undefined;
  }

  private lease(p: Pending, consumer: Consumer, now: number, batches: Map<Consumer, Delivery[]>): void {
    const ackId = this.host.nextAckId();
    p.deliveries++;
    p.lease = { ackId, deadline: now + consumer.ackDeadlineMs, consumer };
    consumer.outMessages++;
    consumer.outBytes += p.msg.bytes;
    this.byAckId.set(ackId, p);
    let batch = batches.get(consumer);
    if (!batch) batches.set(consumer, (batch = []));
    batch.push({ ackId, pending: p });
    this.host.changed('message-delivered', { messageId: p.msg.id, ackId, attempt: p.deliveries });
  }

  private armTimer(now: number): void {
    let next = Infinity;
    for (const p of this.pending.values()) {
      next = Math.min(next, p.msg.publishTime + this.policy.retentionMs);
      if (p.lease) next = Math.min(next, p.lease.deadline);
      else if (!p.acked && p.notBefore > now) next = Math.min(next, p.notBefore);
    }
    this.due = next;
    if (this.timer && this.timer.at === next) return;
    this.timer?.handle.cancel();
    this.timer = null;
    if (next === Infinity) return;
    const at = next;
    this.timer = {
      at,
      handle: this.host.clock.setTimeout(
        () => {
          if (this.timer?.at === at) this.timer = null;
          this.schedule();
        },
        Math.max(0, at - now),
      ),
    };
  }
}

/** Server-side flow control: a consumer takes a message while under both of its limits (the first always fits). */
function hasRoom(c: Consumer, p: Pending): boolean {
  const limit = c.maxMessages > 0 ? c.maxMessages : Infinity;
  if (c.outMessages >= limit) return false;
  if (c.maxBytes > 0 && c.outMessages > 0 && c.outBytes + p.msg.bytes > c.maxBytes) return false;
  return true;
}
