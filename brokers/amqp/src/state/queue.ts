// One classic queue: ready messages in publish order, its consumers, and the rules RabbitMQ 3.10 applies to them:
// round-robin over consumers with room (prefetch is the channel's business) or one single active consumer,
// requeue into the original position, TTL and overflow at the head only, dead-lettering through the host.
// Gaps: priorities, lazy mode and quorum/stream queue types.
import type { Clock, TimerHandle } from '@msgbook/broker-common';
import type { Props, Table } from '../wire/types';
import type { QueueArgs } from './queue-args';

/** A published message, shared by every queue it was routed to. Buffers here are owned copies. */
export interface Message {
  exchange: string;
  routingKey: string;
  /** The routing key and any CC keys, as `x-death` records them. */
  routingKeys: string[];
  props: Props;
  /** Encoded properties (flags and fields): sent as-is unless the broker must change a header. */
  rawProps: Buffer;
  body: Buffer;
}

/** A message's life in one queue. */
export interface QueuedMessage {
  msg: Message;
  seq: number;
  redelivered: boolean;
  expiresAt: number | undefined;
}

export type DeadLetterReason = 'rejected' | 'expired' | 'maxlen';

/** The channel side of a consumer: it decides whether there is room (prefetch, socket) and writes deliveries. */
export interface ConsumerSink {
  canDeliver(c: Consumer): boolean;
  deliver(c: Consumer, m: QueuedMessage): void;
  /** The queue went away under the consumer: the channel sends basic.cancel. */
  cancelledByServer(c: Consumer): void;
}

export interface Consumer {
  readonly tag: string;
  readonly queue: Queue;
  readonly noAck: boolean;
  readonly exclusive: boolean;
  readonly sink: ConsumerSink;
  /** Per-consumer prefetch; 0 is unlimited. */
  readonly prefetch: number;
  unacked: number;
}

/** What a queue needs from the vhost that holds it. */
export interface QueueHost {
  readonly clock: Clock;
  deadLetter(queue: Queue, m: QueuedMessage, reason: DeadLetterReason): void;
  autoDelete(queue: Queue): void;
  /** Body bytes held by queues (ready or unacked) went up or down by `delta`: the memory alarm's measure. */
  held(delta: number): void;
  /** Ready or unacked counts changed (coalesced by the host into one event per queue and turn). */
  countsChanged(queue: Queue): void;
}

/** Ready messages in seq order: O(1) push and shift, ordered insert for requeues. */
class ReadyList {
  private items: QueuedMessage[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  peek(): QueuedMessage | undefined {
    return this.items[this.head];
  }
  push(m: QueuedMessage): void {
    this.items.push(m);
  }
  shift(): QueuedMessage | undefined {
    const m = this.items[this.head];
    if (!m) return undefined;
    this.items[this.head++] = undefined as unknown as QueuedMessage;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return m;
  }
  insertBySeq(m: QueuedMessage): void {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.seq < m.seq) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.head && this.head > 0) this.items[--this.head] = m;
    else this.items.splice(lo, 0, m);
  }
  clear(): QueuedMessage[] {
    const all = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return all;
  }
  *[Symbol.iterator](): Iterator<QueuedMessage> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i]!;
  }
}

export class Queue {
  readonly ready = new ReadyList();
  readyBytes = 0;
  unacked = 0;
  consumers: Consumer[] = [];
  deleted = false;
  private hadConsumer = false;
  private nextSeq = 1;
  private pumping = false;
  private expiryTimer: TimerHandle | undefined;
  private expiryAt = 0;
  private unusedTimer: TimerHandle | undefined;
  private readonly singleActive: boolean;

  constructor(
    readonly name: string,
    readonly durable: boolean,
    readonly autoDelete: boolean,
    /** Connection id of the owner of an exclusive queue. */
    readonly owner: string | undefined,
    readonly args: Table,
    readonly limits: QueueArgs,
    private readonly host: QueueHost,
  ) {
    this.singleActive = args['x-single-active-consumer'] === true;
    this.touch();
  }

  /**
   * x-expires: the queue is deleted once it has gone unused (no consumers, no basic.get, no redeclare) for that
   * long. Every use restarts the countdown; a consumer stops it until the last one leaves.
   */
  touch(): void {
    this.unusedTimer?.cancel();
    this.unusedTimer = undefined;
    const ms = this.limits.expires;
    if (ms === undefined || this.deleted || this.consumers.length > 0) return;
    this.unusedTimer = this.host.clock.setTimeout(() => this.host.autoDelete(this), ms);
  }

  /** Takes a routed message. Returns false when `reject-publish` refuses it (the publisher gets a nack). */
  publish(msg: Message): boolean {
    const { maxLength, maxLengthBytes, overflow } = this.limits;
    const overLimit =
      (maxLength !== undefined && this.ready.length + 1 > maxLength) ||
      (maxLengthBytes !== undefined && this.readyBytes + msg.body.length > maxLengthBytes);
    if (overLimit && overflow !== 'drop-head') {
      if (overflow === 'reject-publish-dlx') this.host.deadLetter(this, this.wrap(msg), 'maxlen');
      return false;
    }
    const m = this.wrap(msg);
    this.ready.push(m);
    this.readyBytes += msg.body.length;
    this.host.held(msg.body.length);
    this.host.countsChanged(this);
    this.pump();
    this.dropHeadOverLimit();
    this.expireHead();
    return true;
  }

  private wrap(msg: Message): QueuedMessage {
    const now = this.host.clock.now();
    let ttl = this.limits.messageTtl;
    const exp = msg.props.expiration;
    if (exp !== undefined) ttl = Math.min(ttl ?? Infinity, Number(exp));
    return {
      msg,
      seq: this.nextSeq++,
      redelivered: false,
      expiresAt: ttl === undefined ? undefined : now + ttl,
    };
  }

  private dropHeadOverLimit(): void {
    const { maxLength, maxLengthBytes } = this.limits;
    while (
      this.ready.length > 0 &&
      ((maxLength !== undefined && this.ready.length > maxLength) ||
        (maxLengthBytes !== undefined && this.readyBytes > maxLengthBytes))
    ) {
      this.drop(this.take()!, 'maxlen');
    }
  }

  /** A ready message leaves for good, to its dead-letter exchange if it has one. */
  private drop(m: QueuedMessage, reason: DeadLetterReason): void {
    this.host.held(-m.msg.body.length);
    this.host.deadLetter(this, m, reason);
  }

  private take(): QueuedMessage | undefined {
    const m = this.ready.shift();
    if (m) {
      this.readyBytes -= m.msg.body.length;
      this.host.countsChanged(this);
    }
    return m;
  }

  /**
   * Removes expired messages at the head (only there, as RabbitMQ does) and arms the timer for the next one.
   * `dueNow` says whether a message expiring this very millisecond counts as expired: not while a consumer is
   * waiting for it (RabbitMQ delivers `expiration: '0'` to a waiting consumer), yes once delivery was tried.
   */
  expireHead(dueNow = true): void {
    const now = this.host.clock.now();
    const expired = (at: number | undefined) => at !== undefined && (at < now || (dueNow && at === now));
    for (let m = this.ready.peek(); m && expired(m.expiresAt); m = this.ready.peek()) {
      this.drop(this.take()!, 'expired');
    }
    const next = this.ready.peek()?.expiresAt;
    if (next === undefined || this.deleted) {
      this.expiryTimer?.cancel();
      this.expiryTimer = undefined;
    } else if (!this.expiryTimer || this.expiryAt !== next) {
      this.expiryTimer?.cancel();
      this.expiryAt = next;
      this.expiryTimer = this.host.clock.setTimeout(() => {
        this.expiryTimer = undefined;
        this.expireHead();
      }, next - now);
    }
  }

  /** Hands ready messages to consumers with room, rotating so that each delivery goes to the next in line. */
  pump(): void {
    if (this.pumping || this.deleted) return;
    this.pumping = true;
    try {
      while (this.ready.length > 0 && this.consumers.length > 0) {
        this.expireHead(false);
        if (this.ready.length === 0) break;
        let c: Consumer | undefined;
        if (this.singleActive) {
          // x-single-active-consumer: the earliest registered consumer gets everything; no rotation.
          c = this.consumers[0];
          if (!c || !c.sink.canDeliver(c)) break;
        } else {
          const i = this.consumers.findIndex((x) => x.sink.canDeliver(x));
          if (i < 0) break;
          c = this.consumers[i]!;
          this.consumers.splice(i, 1);
          this.consumers.push(c);
        }
        const m = this.take()!;
        if (!c.noAck) this.unacked++;
        else this.host.held(-m.msg.body.length);
        c.sink.deliver(c, m);
      }
    } finally {
      this.pumping = false;
    }
  }

  /** basic.get: the head message, or undefined. Unless `noAck`, it becomes unacked. */
  get(noAck: boolean): QueuedMessage | undefined {
    this.touch();
    this.expireHead();
    const m = this.take();
    if (m && noAck) this.host.held(-m.msg.body.length);
    else if (m) this.unacked++;
    this.expireHead();
    return m;
  }

  /** Puts messages back where they were, marked redelivered (nack/reject with requeue, channel close). */
  requeue(ms: QueuedMessage[]): void {
    this.unacked -= ms.length;
    this.host.countsChanged(this);
    if (this.deleted) {
      for (const m of ms) this.host.held(-m.msg.body.length);
      return;
    }
    for (const m of ms) {
      m.redelivered = true;
      this.ready.insertBySeq(m);
      this.readyBytes += m.msg.body.length;
    }
    this.pump();
    this.expireHead();
  }

  /** An unacked message leaves for good: acked, or rejected without requeue. */
  settled(m: QueuedMessage): void {
    this.unacked--;
    this.host.held(-m.msg.body.length);
    this.host.countsChanged(this);
  }

  addConsumer(c: Consumer): void {
    this.consumers.push(c);
    this.hadConsumer = true;
    this.touch();
    this.pump();
  }

  removeConsumer(c: Consumer): void {
    const i = this.consumers.indexOf(c);
    if (i < 0) return;
    this.consumers.splice(i, 1);
    if (this.autoDelete && this.hadConsumer && this.consumers.length === 0) this.host.autoDelete(this);
    else this.touch();
  }

  purge(): number {
    const n = this.ready.length;
    this.host.held(-this.readyBytes);
    this.ready.clear();
    this.readyBytes = 0;
    this.host.countsChanged(this);
    this.expireHead();
    return n;
  }

  /** Marks the queue deleted and tells its consumers. Returns the number of ready messages dropped. */
  destroy(): number {
    const n = this.purge();
    this.deleted = true;
    this.expiryTimer?.cancel();
    this.unusedTimer?.cancel();
    const consumers = this.consumers;
    this.consumers = [];
    for (const c of consumers) c.sink.cancelledByServer(c);
    return n;
  }

  hasExclusiveConsumer(): boolean {
    return this.consumers.some((c) => c.exclusive);
  }
}
