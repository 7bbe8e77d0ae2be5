// The delivery engine of one subscription: its unacked messages, their leases and the consumers (streams and waiting
// Pulls) they go to. Event-driven: publish, ack, nack, consumer changes and the one clock timer (next lease deadline,
// backoff end or retention end) call `schedule()`, and a pass runs once per turn of the event loop. Call only from the
// emulator's synchronous methods: a pass never awaits. Per-message work is O(log n): leases sit in a heap by deadline,
// backing-off messages in a heap by the end of their backoff, and deliverable messages of an unordered subscription in
// a heap by publish order, which a pass drains into few large batches (one consumer at a time, as the service does).
// An ordered subscription scans its unacked messages instead, since a key's order decides what may go.
import type { Clock, TimerHandle } from '@msgbook/broker-common';
import { IndexedHeap } from './heap';
import { hasRoom, type Consumer, type Delivery, type Lease, type Pending } from './lease';
import type { StoredMessage } from './topics';

export type { Consumer, Delivery, Lease, Pending } from './lease';

export interface PumpPolicy {
  ordering: boolean;
  /** Unacked messages older than this are dropped (message_retention_duration). */
  retentionMs: number;
  /** The oldest unacked messages are dropped while the backlog holds more bytes than this (limits.ts). */
  maxBacklogBytes: number;
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
  /** Whether anyone listens to the change stream: events are built only then. */
  listening(): boolean;
  /** A delivery, ack, nack or expiry, for the change stream. */
  changed(kind: string, detail: Record<string, unknown>): void;
}

/** One streaming response carries at most this many messages or bytes (the first message always fits). */
const MAX_BATCH_MESSAGES = 1000;
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

export class Pump {
  /** Unacked messages in publish order (Map keeps insertion order), plus acked ones `settle` keeps. */
  readonly pending = new Map<string, Pending>();
  /** Bytes of the messages in `pending`. */
  private pendingBytes = 0;
  /** Ordered subscriptions only: the pending messages of each non-empty ordering key, in publish order. */
  private readonly keys = new Map<string, Pending[]>();
  readonly byAckId = new Map<string, Pending>();
  readonly consumers: Consumer[] = [];
  private rr = 0;
  private readonly keyConsumer = new Map<string, Consumer>();
  /** Unordered subscriptions: messages deliverable now, oldest first. */
  private readonly ready = new IndexedHeap<Pending>((p) => p.msg.seq, 'readyIndex');
  /** Messages waiting for the end of their retry backoff. */
  private readonly waiting = new IndexedHeap<Pending>((p) => p.notBefore, 'waitIndex');
  /** Current leases by deadline (`Lease.at`). */
  private readonly leases = new IndexedHeap<Lease>((l) => l.at, 'heapIndex');
  private immediate: NodeJS.Immediate | null = null;
  private timer: { at: number; handle: TimerHandle } | null = null;
  private closed = false;

  constructor(
    private readonly host: PumpHost,
    private current: PumpPolicy,
  ) {}

  get policy(): PumpPolicy {
    return this.current;
  }

  /** A new policy (UpdateSubscription) may end or shorten backoffs: waiting messages are re-examined. */
  set policy(policy: PumpPolicy) {
    this.current = policy;
    this.schedule();
  }

  enqueue(msg: StoredMessage): void {
    const p: Pending = {
      msg,
      acked: false,
      deliveries: 0,
      failures: 0,
      notBefore: 0,
      lease: null,
      readyIndex: -1,
      waitIndex: -1,
    };
    this.pending.set(msg.id, p);
    this.pendingBytes += msg.bytes;
    if (this.policy.ordering && msg.orderingKey) {
      const list = this.keys.get(msg.orderingKey);
      if (list) list.push(p);
      else this.keys.set(msg.orderingKey, [p]);
    }
    this.available(p, 0);
    for (const oldest of this.pending.values()) {
      if (this.pendingBytes <= this.policy.maxBacklogBytes || oldest === p) break;
      this.drop(oldest, 'limit');
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
    const listening = this.host.listening();
    for (const id of ackIds) {
      const p = this.byAckId.get(id);
      if (!p) continue;
      this.endLease(p);
      p.acked = true;
      this.settle(p);
      if (listening) this.host.changed('message-acked', { messageId: p.msg.id, ackId: id });
    }
    this.schedule();
  }

  /** A new deadline for current leases; 0 is a nack. Stale ids are no-ops, so a late receipt modack cannot re-lease. */
  modifyDeadline(ackIds: string[], seconds: number): void {
    const now = this.host.clock.now();
    for (const id of ackIds) {
      const p = this.byAckId.get(id);
      const lease = p?.lease;
      if (!p || !lease) continue;
      if (seconds > 0) {
        lease.deadline = now + seconds * 1000;
        if (lease.deadline < lease.at) {
          lease.at = lease.deadline;
          this.leases.upsert(lease);
        }
      } else {
        if (this.host.listening()) this.host.changed('message-nacked', { messageId: p.msg.id, ackId: id });
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
    this.clearAll();
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
    this.clearAll();
    for (const c of this.consumers.splice(0)) c.end(code, details);
  }

  schedule(): void {
    if (this.closed || this.immediate) return;
    this.immediate = setImmediate(() => {
      this.immediate = null;
      this.pass();
    });
  }

  private clearAll(): void {
    this.pending.clear();
    this.pendingBytes = 0;
    this.byAckId.clear();
    this.keys.clear();
    this.ready.clear();
    this.waiting.clear();
    this.leases.clear();
  }

  /** An unleased, unacked message: deliverable now, or once its backoff ends. */
  private available(p: Pending, now: number): void {
    if (p.notBefore > now) this.waiting.upsert(p);
    else if (!this.policy.ordering) this.ready.upsert(p);
  }

  /**
   * Forgets an acked message unless an earlier unacked message of its key could still bring it back; on an ordered
   * subscription, also the acked run that now heads its key.
   */
  private settle(p: Pending): void {
    const key = p.msg.orderingKey;
    const list = this.policy.ordering && key ? this.keys.get(key) : undefined;
    if (!list) {
      this.forget(p);
      this.host.acked(p.msg);
      return;
    }
    while (list[0]?.acked) {
      const head = list.shift()!;
      this.forget(head);
      this.host.acked(head.msg);
    }
    if (list.length === 0) this.keys.delete(key);
  }

  private forget(p: Pending): void {
    if (this.pending.delete(p.msg.id)) this.pendingBytes -= p.msg.bytes;
  }

  /** Drops an unacked message unacknowledged: its retention ended, or the backlog is over its byte limit. */
  private drop(p: Pending, reason: 'retention' | 'limit'): void {
    this.endLease(p);
    this.ready.remove(p);
    this.waiting.remove(p);
    this.forget(p);
    const list = this.keys.get(p.msg.orderingKey);
    if (list?.includes(p)) list.splice(list.indexOf(p), 1);
    if (list?.length === 0) this.keys.delete(p.msg.orderingKey);
    if (this.host.listening()) this.host.changed('message-expired', { messageId: p.msg.id, reason });
  }

  private endLease(p: Pending): void {
    const lease = p.lease;
    if (!lease) return;
    const c = lease.consumer;
    c.outMessages = Math.max(0, c.outMessages - 1);
    c.outBytes = Math.max(0, c.outBytes - p.msg.bytes);
    this.byAckId.delete(lease.ackId);
    this.leases.remove(lease);
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
    this.available(p, now);
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
    this.expire(now);
    const batches = new Map<Consumer, Delivery[]>();
    if (this.consumers.length > 0) {
      if (this.policy.ordering) this.assignOrdered(now, batches);
      else this.assignUnordered(now, batches);
    }
    for (const [consumer, batch] of batches) consumer.deliver(batch);
    // A batch hit its size cap while a consumer still has room: the rest goes in the next pass.
    const next = this.ready.peek();
    if (next && this.consumers.some((c) => hasRoom(c, next))) this.schedule();
    this.armTimer(now);
  }

  /** Retention ends, lease deadlines and backoff ends that have come, each found at the head of its structure. */
  private expire(now: number): void {
    const listening = this.host.listening();
    for (const p of this.pending.values()) {
      if (p.msg.publishTime + this.policy.retentionMs > now) break;
      this.drop(p, 'retention');
    }
    for (let lease = this.leases.peek(); lease && lease.at <= now; lease = this.leases.peek()) {
      if (lease.deadline > now) {
        lease.at = lease.deadline;
        this.leases.upsert(lease);
        continue;
      }
      if (listening)
        this.host.changed('lease-expired', { messageId: lease.pending.msg.id, ackId: lease.ackId });
      this.fail(lease.pending, now);
    }
    for (let p = this.waiting.peek(); p && p.notBefore <= now; p = this.waiting.peek()) {
      this.waiting.pop();
      this.available(p, now);
    }
  }

  /** Drains the ready heap, oldest first, one consumer at a time so that each gets few, large batches. */
  private assignUnordered(now: number, batches: Map<Consumer, Delivery[]>): void {
    const n = this.consumers.length;
    for (let i = 0; i < n && this.ready.size > 0; i++) {
      const c = this.consumers[(this.rr + i) % n]!;
      let batch: Delivery[] | undefined;
      let bytes = 0;
      for (let p = this.ready.peek(); p && hasRoom(c, p); p = this.ready.peek()) {
        if (batch && (batch.length >= MAX_BATCH_MESSAGES || bytes + p.msg.bytes > MAX_BATCH_BYTES)) break;
        this.ready.pop();
        if (!batch) batches.set(c, (batch = []));
        this.lease(p, c, now, batch);
        bytes += p.msg.bytes;
      }
    }
    this.rr = (this.rr + 1) % n;
  }

  private assignOrdered(now: number, batches: Map<Consumer, Delivery[]>): void {
    // Keys with a leased message wait for it; a key stalled in this pass stays stalled so its order holds.
    const stalled = new Set<string>();
    for (const p of this.pending.values()) if (p.lease && p.msg.orderingKey) stalled.add(p.msg.orderingKey);
    const keyed = new Map<string, Consumer>();
    for (const p of this.pending.values()) {
      if (p.lease || p.acked) continue;
      const key = p.msg.orderingKey;
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
      let batch = batches.get(consumer);
      if (!batch) batches.set(consumer, (batch = []));
      this.lease(p, consumer, now, batch);
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

  private lease(p: Pending, consumer: Consumer, now: number, batch: Delivery[]): void {
    const ackId = this.host.nextAckId();
    p.deliveries++;
    const deadline = now + consumer.ackDeadlineMs;
    const lease: Lease = { ackId, deadline, consumer, pending: p, at: deadline, heapIndex: -1 };
    p.lease = lease;
    this.leases.upsert(lease);
    consumer.outMessages++;
    consumer.outBytes += p.msg.bytes;
    this.byAckId.set(ackId, p);
    batch.push({ ackId, pending: p });
    if (this.host.listening()) {
      this.host.changed('message-delivered', { messageId: p.msg.id, ackId, attempt: p.deliveries });
    }
  }

  /** One clock timer, for the earliest of: the oldest message's retention end, a lease deadline, a backoff end. */
  private armTimer(now: number): void {
    let next = Infinity;
    const oldest = this.pending.values().next();
    if (!oldest.done) next = oldest.value.msg.publishTime + this.policy.retentionMs;
    const lease = this.leases.peek();
    if (lease) next = Math.min(next, lease.at);
    const waiting = this.waiting.peek();
    if (waiting) next = Math.min(next, waiting.notBefore);
    // A timer due no later than `next` can stay: firing early costs one pass, which re-arms it.
    if (this.timer && this.timer.at <= next) return;
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
