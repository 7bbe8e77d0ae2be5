// The one state owner of an embedded Pub/Sub instance: topics, subscriptions, message and ack-id counters, the clock
// and the change stream. RPC handlers validate their request, call one synchronous method here, and reply; nothing
// here awaits, so each method is atomic on Node's event loop (style.md §2).
import { status } from '@grpc/grpc-js';
import { EventHub, type Clock, type TimerHandle } from '@msgbook/broker-common';
import { failedPrecondition, invalidArgument, tooMany } from './errors';
import { PROFILES, trimOldest, type PubsubLimits } from './limits';
import { errorInfo } from './rpc/error-info';
import type { PubsubMessageProto, SubscriptionProto, TopicProto } from './protos';
import { durationMs, toTimestamp } from './protos';
import { DELETED_TOPIC, parseName } from './names';
import type { Consumer, Pending, PumpHost } from './state/pump';
import { pushConsumer } from './state/push';
import { Snapshots, type SnapshotState } from './state/snapshots';
import { Subscriptions, type SubscriptionState } from './state/subscriptions';
import { Topics, type StoredMessage, type TopicState } from './state/topics';

const MAX_MESSAGES_PER_PUBLISH = 1000;
const MAX_ATTRIBUTES = 100;
const DETACHED = 'The subscription is detached from its topic.';
// Quotas (docs "quotas"): 10 MB per Publish request; the gRPC server itself accepts up to 16 MiB.
const MAX_PUBLISH_BYTES = 10_000_000;
// Ack ids are short (`ack-S-N`: S numbers the subscription, N the delivery) since every delivery sends one and every
// ack and modack sends it back; the official emulator's `projects/…/subscriptions/…:N` shape is accepted too.
const ACK_ID = /^(ack-\d+-\d+|projects\/[^/]+\/subscriptions\/[^:]+:\d+)$/;

export class PubsubEmulator {
  readonly hub = new EventHub();
  readonly topics = new Topics();
  readonly subscriptions: Subscriptions;
  readonly snapshots: Snapshots;
  private messageSeq = 0;
  private ackSeq = 0;
  private pushSeq = 0;
  private readonly expiryTimers = new Map<SubscriptionState, TimerHandle>();

  constructor(
    readonly clock: Clock,
    readonly limits: PubsubLimits = PROFILES.full,
  ) {
    this.subscriptions = new Subscriptions(this.topics, (sub) => this.pumpHost(sub), limits);
    this.snapshots = new Snapshots(() => clock.now(), limits);
  }

  createTopic(proto: TopicProto): TopicState {
    if (this.topics.all().length >= this.limits.topics && !this.topics.find(proto.name)) {
      throw tooMany('topics', this.limits.topics);
    }
    const t = this.topics.create(proto);
    this.emit('topic-created', proto.name);
    return t;
  }

  deleteTopic(name: string): void {
    const t = this.topics.delete(name);
    for (const s of t.subs) {
      const sub = this.subscriptions.all().find((x) => x.proto.name === s);
      if (sub) sub.proto.topic = DELETED_TOPIC;
    }
    this.emit('topic-deleted', name);
  }

  /** Assigns ids and publish times, then copies each message into the subscriptions the topic has right now. */
  publish(topicName: string, messages: PubsubMessageProto[]): string[] {
    const topic = this.topics.get(topicName);
    if (messages.length === 0) throw invalidArgument('The request must contain at least one message.');
    if (messages.length > MAX_MESSAGES_PER_PUBLISH) throw invalidArgument('Too many messages to publish');
    let total = 0;
    for (const m of messages) {
      const attributes = m.attributes ?? {};
      if ((!m.data || m.data.length === 0) && Object.keys(attributes).length === 0) {
        throw invalidArgument('Some messages are empty');
      }
      if (Object.keys(attributes).length > MAX_ATTRIBUTES)
        throw invalidArgument('Too many attributes in a message.');
      for (const [k, v] of Object.entries(attributes)) {
        if (Buffer.byteLength(k) > 256)
          throw invalidArgument(`Attribute key is longer than 256 bytes: ${k.slice(0, 32)}…`);
        if (Buffer.byteLength(v) > 1024)
          throw invalidArgument(`Value of attribute ${k} is longer than 1024 bytes.`);
      }
      if (Buffer.byteLength(m.orderingKey ?? '') > 1024) throw invalidArgument('Ordering key too long.');
      total += messageBytes(m);
    }
    if (total > MAX_PUBLISH_BYTES) {
      throw invalidArgument(`Request payload size exceeds the limit: ${MAX_PUBLISH_BYTES} bytes.`);
    }
    return messages.map((m) => this.store(topic, m).id);
  }

  createSubscription(proto: SubscriptionProto): SubscriptionState {
    const s = this.subscriptions.create(proto);
    s.lastActivity = this.clock.now();
    this.armExpiry(s);
    this.syncPush(s);
    this.emit('subscription-created', proto.name, { topic: proto.topic });
    return s;
  }

  updateSubscription(proto: SubscriptionProto, paths: string[]): SubscriptionState {
    const s = this.subscriptions.update(proto, paths);
    this.armExpiry(s);
    this.syncPush(s);
    this.emit('subscription-updated', proto.name, { paths });
    return s;
  }

  /**
   * Expiration policy: deletes a subscription with no activity for its ttl. The timer fires at the earliest possible
   * expiry and re-arms itself if there was activity since, so activity itself only stamps a time.
   */
  private armExpiry(s: SubscriptionState): void {
    this.expiryTimers.get(s)?.cancel();
    this.expiryTimers.delete(s);
    const ttl = durationMs(s.proto.expirationPolicy?.ttl);
    if (ttl === null) return;
    const fire = () => {
      this.expiryTimers.delete(s);
      if (this.subscriptions.find(s.proto.name) !== s) return;
      const now = this.clock.now();
      if (s.pump.consumers.some((c) => c.id.startsWith('stream-'))) s.lastActivity = now;
      if (s.lastActivity + ttl > now) {
        this.expiryTimers.set(s, this.clock.setTimeout(fire, s.lastActivity + ttl - now));
        return;
      }
      this.deleteSubscription(s.proto.name);
      this.emit('subscription-expired', s.proto.name);
    };
    this.expiryTimers.set(s, this.clock.setTimeout(fire, s.lastActivity + ttl - this.clock.now()));
  }

  /** Attaches a push consumer while the subscription has an endpoint, and detaches it when the endpoint goes. */
  private syncPush(s: SubscriptionState): void {
    const endpoint = s.proto.pushConfig?.pushEndpoint ?? '';
    if (s.push && s.push.endpoint !== endpoint) {
      s.pump.detach(s.push.consumer);
      s.push.consumer.end(status.CANCELLED, 'The push endpoint changed.');
      s.push = null;
    }
    if (endpoint && !s.push) {
      const consumer = pushConsumer(`push-${++this.pushSeq}`, {
        clock: this.clock,
        proto: () => s.proto,
        ack: (ackId) => {
          s.lastActivity = this.clock.now();
          s.pump.ack([ackId]);
        },
        nack: (ackId) => s.pump.modifyDeadline([ackId], 0),
      });
      s.push = { endpoint, consumer };
      s.pump.attach(consumer);
    }
  }

  deleteSubscription(name: string): void {
    const s = this.subscriptions.delete(name);
    this.expiryTimers.get(s)?.cancel();
    this.expiryTimers.delete(s);
    s.push?.consumer.end(status.NOT_FOUND, 'Subscription does not exist');
    s.pump.close(status.NOT_FOUND, 'Subscription does not exist');
    this.emit('subscription-deleted', name);
  }

  acknowledge(subscription: string, ackIds: string[]): void {
    const s = this.subscriptions.get(subscription);
    checkAckIds(s, ackIds);
    const stale = this.staleIds(s, ackIds);
    s.lastActivity = this.clock.now();
    s.pump.ack(ackIds);
    this.rejectStale(stale);
  }

  /**
   * Exactly-once delivery: the ids that named no current lease fail with a permanent ErrorInfo, after the valid ones
   * in the same request took effect (official emulator 0.8.20, observed). Elsewhere a stale id is silently ignored.
   */
  private staleIds(s: SubscriptionState, ackIds: string[]): string[] {
    return s.proto.enableExactlyOnceDelivery ? ackIds.filter((id) => !s.pump.byAckId.has(id)) : [];
  }

  private rejectStale(stale: string[]): void {
    if (stale.length === 0) return;
    throw errorInfo(
      'Some acknowledgement ids in the request were invalid: their lease ended, or they were already acknowledged.',
      'EXACTLY_ONCE_ACKID_FAILURE',
      Object.fromEntries(stale.map((id) => [id, 'PERMANENT_FAILURE_INVALID_ACK_ID'])),
    );
  }

  modifyAckDeadline(subscription: string, ackIds: string[], seconds: number): void {
    const s = this.subscriptions.get(subscription);
    checkAckIds(s, ackIds);
    if (seconds < 0 || seconds > 600) {
      throw invalidArgument(`Invalid ack deadline given: ${seconds}. Must be between 0 and 600 seconds.`);
    }
    const stale = this.staleIds(s, ackIds);
    s.pump.modifyDeadline(ackIds, seconds);
    this.rejectStale(stale);
  }

  /**
   * DetachSubscription: the subscription stops receiving from its topic, loses its backlog, and refuses Pull and
   * StreamingPull with FAILED_PRECONDITION; open streams end that way too (API reference, DetachSubscription).
   */
  detachSubscription(subscription: string): void {
    const s = this.subscriptions.get(subscription);
    this.topics.find(s.proto.topic)?.subs.delete(subscription);
    s.proto.detached = true;
    s.pump.reset([]);
    for (const c of [...s.pump.consumers]) {
      if (c === s.push?.consumer) continue;
      this.detach(s, c);
      c.end(status.FAILED_PRECONDITION, DETACHED);
    }
    this.emit('subscription-detached', subscription);
  }

  /** CreateSnapshot: the subscription's unacked messages now, and from now on everything its topic receives. */
  createSnapshot(name: string, subscription: string, labels: Record<string, string>): SnapshotState {
    const s = this.subscriptions.get(subscription);
    if (s.proto.topic === DELETED_TOPIC) throw failedPrecondition("The subscription's topic was deleted.");
    const unacked = [...s.pump.pending.values()].filter((p) => !p.acked).map((p) => p.msg);
    const snap = this.snapshots.create(name, s.proto.topic, unacked, labels);
    this.emit('snapshot-created', name, { subscription });
    return snap;
  }

  /**
   * Seek to a time: messages published before it count as acked, later ones as unacked, as far as the subscription
   * (retain_acked_messages) or its topic (message_retention_duration) still holds them. The official emulator's
   * client sends second-accurate times (research §2), so the cut is made on milliseconds as given.
   */
  seekToTime(subscription: string, time: number): void {
    const s = this.subscriptions.get(subscription);
    const topic = this.topics.find(s.proto.topic);
    const now = this.clock.now();
    const known = new Map<string, StoredMessage>();
    for (const m of this.retainedAcked(s)) known.set(m.id, m);
    for (const p of s.pump.pending.values()) known.set(p.msg.id, p.msg);
    for (const m of topic ? this.topics.retained(topic, now) : [])
      if (s.matches(m.attributes)) known.set(m.id, m);
    const all = [...known.values()].sort(byPublishOrder);
    this.setRetained(s, s.proto.retainAckedMessages ? all.filter((m) => m.publishTime < time) : []);
    s.pump.reset(all.filter((m) => m.publishTime >= time));
    this.emit('subscription-seeked', subscription, { time });
  }

  /** Seek to a snapshot of the same topic: exactly its messages are unacked again. */
  seekToSnapshot(subscription: string, snapshot: string): void {
    const s = this.subscriptions.get(subscription);
    const snap = this.snapshots.get(snapshot);
    if (snap.topic !== s.proto.topic) {
      throw invalidArgument(
        `The snapshot's topic ${snap.topic} is not the subscription's topic ${s.proto.topic}.`,
      );
    }
    const unacked = snap.messages.filter((m) => s.matches(m.attributes));
    const keep = new Set(unacked.map((m) => m.id));
    if (s.proto.retainAckedMessages) {
      const acked = [...this.retainedAcked(s), ...[...s.pump.pending.values()].map((p) => p.msg)].filter(
        (m) => !keep.has(m.id),
      );
      this.setRetained(s, acked.sort(byPublishOrder));
    }
    s.pump.reset(unacked);
    this.emit('subscription-seeked', subscription, { snapshot });
  }

  /** The acked messages a subscription still retains: those within its message_retention_duration. */
  private retainedAcked(s: SubscriptionState): StoredMessage[] {
    const since = this.clock.now() - s.pump.policy.retentionMs;
    const young = s.retained.findIndex((m) => m.publishTime > since);
    this.setRetained(s, young < 0 ? [] : s.retained.slice(young));
    return s.retained;
  }

  private setRetained(s: SubscriptionState, messages: StoredMessage[]): void {
    s.retained = messages;
    s.retainedBytes = trimOldest(
      messages,
      messages.reduce((sum, m) => sum + m.bytes, 0),
      this.limits.retainedBytes,
    );
  }

  /** Registers a stream or a waiting Pull with the subscription's pump. */
  attach(subscription: string, consumer: Consumer): SubscriptionState {
    const s = this.subscriptions.get(subscription);
    if (s.proto.detached) throw failedPrecondition(DETACHED);
    s.lastActivity = this.clock.now();
    s.pump.attach(consumer);
    if (consumer.id.startsWith('stream-')) this.emit('stream-opened', subscription, { stream: consumer.id });
    return s;
  }

  /** A stream or Pull is gone (cancelled, answered, or ended by the client); its leases run to their deadlines. */
  detach(s: SubscriptionState, consumer: Consumer): void {
    if (!s.pump.consumers.includes(consumer)) return;
    s.pump.detach(consumer);
    if (consumer.id.startsWith('stream-')) this.emit('stream-closed', s.proto.name, { stream: consumer.id });
  }

  /** Ends every stream and Pull with UNAVAILABLE, which the client treats as retryable (research §2). */
  shutdown(): void {
    for (const timer of this.expiryTimers.values()) timer.cancel();
    this.expiryTimers.clear();
    for (const s of this.subscriptions.all())
      s.push?.consumer.end(status.UNAVAILABLE, 'The emulator is shutting down.');
    for (const s of this.subscriptions.all())
      s.pump.close(status.UNAVAILABLE, 'The emulator is shutting down.');
  }

  private store(topic: TopicState, m: PubsubMessageProto): StoredMessage {
    const data = m.data ?? Buffer.alloc(0);
    const attributes = { ...(m.attributes ?? {}) };
    const bytes = messageBytes(m);
    const seq = ++this.messageSeq;
    const msg: StoredMessage = {
      id: String(seq),
      seq,
      data,
      attributes,
      orderingKey: m.orderingKey ?? '',
      publishTime: this.clock.now(),
      bytes,
    };
    topic.published++;
    this.topics.retain(topic, msg, msg.publishTime, this.limits.retainedBytes);
    this.snapshots.published(topic.proto.name, msg);
    for (const name of topic.subs) {
      const sub = this.subscriptions.get(name);
      if (sub.matches(msg.attributes)) sub.pump.enqueue(msg);
    }
    if (this.hub.size > 0) {
      this.emit('message-published', topic.proto.name, { messageId: msg.id, orderingKey: msg.orderingKey });
    }
    return msg;
  }

  private pumpHost(sub: () => SubscriptionState): PumpHost {
    return {
      clock: this.clock,
      nextAckId: () => `${sub().ackPrefix}${++this.ackSeq}`,
      deadLetter: (p) => this.deadLetter(sub(), p),
      acked: (msg) => {
        const s = sub();
        if (!s.proto.retainAckedMessages) return;
        s.retained.push(msg);
        s.retainedBytes = trimOldest(s.retained, s.retainedBytes + msg.bytes, this.limits.retainedBytes);
      },
      listening: () => this.hub.size > 0,
      changed: (kind, detail) => this.emit(kind, sub().proto.name, detail),
    };
  }

  /**
   * Forwards a message whose last allowed delivery failed, adding the attributes the official emulator 0.8.20 adds
   * (observed, research §5.3); the original is then gone from the subscription.
   */
  private deadLetter(sub: SubscriptionState, p: Pending): void {
    const policy = sub.proto.deadLetterPolicy;
    const topic = policy && this.topics.find(policy.deadLetterTopic);
    sub.deadLettered++;
    this.emit('message-dead-lettered', sub.proto.name, { messageId: p.msg.id, attempts: p.deliveries });
    if (!topic) return;
    const { project, id } = parseName('subscriptions', sub.proto.name);
    const published = toTimestamp(p.msg.publishTime);
    this.store(topic, {
      data: p.msg.data,
      attributes: {
        ...p.msg.attributes,
        CloudPubSubDeadLetterSourceDeliveryCount: String(p.deliveries),
        CloudPubSubDeadLetterSourceSubscription: id,
        CloudPubSubDeadLetterSourceSubscriptionProject: project,
        CloudPubSubDeadLetterSourceTopicPublishTime: new Date(
          Number(published.seconds) * 1000 + published.nanos / 1e6,
        ).toISOString(),
      },
      orderingKey: p.msg.orderingKey,
      messageId: '',
      publishTime: null,
    });
  }

  private emit(kind: string, subject: string, detail: Record<string, unknown> = {}): void {
    if (this.hub.size > 0) this.hub.emit({ broker: 'pubsub', at: this.clock.now(), kind, subject, detail });
  }
}

/** A message's size as quotas count it: data, ordering key, attribute keys and values. */
function messageBytes(m: PubsubMessageProto): number {
  let bytes = (m.data?.length ?? 0) + Buffer.byteLength(m.orderingKey ?? '');
  for (const [k, v] of Object.entries(m.attributes ?? {}))
    bytes += Buffer.byteLength(k) + Buffer.byteLength(v);
  return bytes;
}

function byPublishOrder(a: StoredMessage, b: StoredMessage): number {
  return a.seq - b.seq;
}

/**
 * A malformed ack id, or one another subscription handed out, fails the whole request with INVALID_ARGUMENT (official
 * emulator 0.8.20, observed); an id of this subscription that names no current lease is left to the caller.
 */
function checkAckIds(s: SubscriptionState, ackIds: string[]): void {
  const official = `${s.proto.name}:`;
  for (const id of ackIds) {
    if (id.startsWith(s.ackPrefix) || id.startsWith(official)) continue;
    if (!ACK_ID.test(id)) throw invalidArgument(`Invalid ack id (ack_id=${id})`);
    throw invalidArgument(
      `Subscription ${s.proto.name} received an invalid ack ID ${id}, meant for another subscription.`,
    );
  }
}
