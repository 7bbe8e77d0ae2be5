// Subscriptions of one emulator instance: validation and defaults of the Subscription resource, and the registry
// tying each one to its delivery pump. Bounds and messages copy the API reference and, where observed, the official
// emulator 0.8.20 (research/pubsub-embedded.md §5): ack deadline 10..600 (0 means 10), retention 10 min..31 d,
// max delivery attempts 5..100 (OUT_OF_RANGE), dead-letter topic must exist, the filter must parse (filter.ts).
import { alreadyExists, invalidArgument, notFound, outOfRange, tooMany } from '../errors';
import type { PubsubLimits } from '../limits';
import { parseName, parseProject } from '../names';
import { durationMs, toDuration, type SubscriptionProto } from '../protos';
import { compileFilter, type Predicate } from './filter';
import { Pump, type Consumer, type PumpHost, type PumpPolicy } from './pump';
import type { StoredMessage, Topics } from './topics';

const DAY = 86_400_000;
const DEFAULT_RETENTION_MS = 7 * DAY;

export interface SubscriptionState {
  proto: SubscriptionProto;
  /** The compiled filter: a message it rejects is acknowledged at publish time, never delivered. */
  matches: Predicate;
  pump: Pump;
  deadLettered: number;
  /** Last open stream, Pull, ack or successful push, on the emulator's clock: expiration_policy counts from it. */
  lastActivity: number;
  /** The push consumer while the subscription has a push endpoint. */
  push: { endpoint: string; consumer: Consumer } | null;
  /** What every ack id this subscription hands out starts with (`ack-S-`, S unique in the instance). */
  ackPrefix: string;
  /** Acked messages kept for Seek while `retain_acked_messages` is on, in publish order, and their bytes. */
  retained: StoredMessage[];
  retainedBytes: number;
}

export class Subscriptions {
  private readonly subs = new Map<string, SubscriptionState>();
  private serial = 0;

  constructor(
    private readonly topics: Topics,
    private readonly pumpHost: (sub: () => SubscriptionState) => PumpHost,
    private readonly limits: PubsubLimits,
  ) {}

  create(request: SubscriptionProto): SubscriptionState {
    parseName('subscriptions', request.name);
    const topic = this.topics.find(request.topic);
    if (!topic) {
      parseName('topics', request.topic);
      throw notFound('Subscription topic does not exist');
    }
    if (this.subs.has(request.name)) throw alreadyExists('Subscription already exists');
    if (this.subs.size >= this.limits.subscriptions)
      throw tooMany('subscriptions', this.limits.subscriptions);
    const proto = this.normalise({ ...request, state: 'ACTIVE', detached: false });
    const matches = compileFilter(proto.filter ?? '');
    const state: SubscriptionState = {
      proto,
      matches,
      pump: undefined as unknown as Pump,
      deadLettered: 0,
      ackPrefix: `ack-${++this.serial}-`,
      retained: [],
      retainedBytes: 0,
      push: null,
      lastActivity: 0,
    };
    state.pump = new Pump(
      this.pumpHost(() => state),
      policyOf(proto, this.limits),
    );
    this.subs.set(proto.name, state);
    topic.subs.add(proto.name);
    return state;
  }

  find(name: string): SubscriptionState | undefined {
    return this.subs.get(name);
  }

  get(name: string): SubscriptionState {
    const s = this.subs.get(name);
    if (s) return s;
    parseName('subscriptions', name);
    throw notFound('Subscription does not exist');
  }

  /**
   * UpdateSubscription: copies the masked fields (snake_case paths, as the client sends them) and re-checks the whole
   * resource. `filter`, `enable_message_ordering` and `topic` cannot change (INVALID_ARGUMENT, as the API answers).
   */
  update(request: SubscriptionProto, paths: string[]): SubscriptionState {
    const s = this.get(request.name);
    if (paths.length === 0) throw invalidArgument('The update_mask must contain at least one field.');
    const next: SubscriptionProto = { ...s.proto };
    for (const path of paths) {
      const field = MUTABLE[path];
      if (!field) {
        throw invalidArgument(
          `Invalid update_mask provided in the UpdateSubscriptionRequest: ${path} is not a known Subscription field. ` +
            `Note that field paths must be of the form 'push_config' rather than 'pushConfig'.`,
        );
      }
      next[field] = request[field];
    }
    s.proto = this.normalise(next);
    s.pump.policy = policyOf(s.proto, this.limits);
    return s;
  }

  delete(name: string): SubscriptionState {
    const s = this.get(name);
    this.subs.delete(name);
    this.topics.find(s.proto.topic)?.subs.delete(name);
    return s;
  }

  list(project: string): SubscriptionState[] {
    const prefix = `projects/${parseProject(project)}/subscriptions/`;
    return this.all().filter((s) => s.proto.name.startsWith(prefix));
  }

  all(): SubscriptionState[] {
    return [...this.subs.values()].sort((a, b) => (a.proto.name < b.proto.name ? -1 : 1));
  }

  /** Applies defaults and checks bounds; throws the API's error for the first field out of bounds. */
  private normalise(p: SubscriptionProto): SubscriptionProto {
    const ack = p.ackDeadlineSeconds || 10;
    if (ack < 10 || ack > 600) throw invalidArgument('ack_deadline_secs out of bounds');
    const retention = durationMs(p.messageRetentionDuration) ?? DEFAULT_RETENTION_MS;
    if (retention < 600_000 || retention > 31 * DAY)
      throw invalidArgument('message_retention_duration out of bounds');
    let deadLetterPolicy = p.deadLetterPolicy;
    if (deadLetterPolicy?.deadLetterTopic) {
      const max = deadLetterPolicy.maxDeliveryAttempts || 5;
      if (max < 5) throw outOfRange(attemptsMessage('small', max, 'minimum', 5));
      if (max > 100) throw outOfRange(attemptsMessage('large', max, 'maximum', 100));
      if (!this.topics.find(deadLetterPolicy.deadLetterTopic)) throw notFound('Dead letter topic not found');
      deadLetterPolicy = { deadLetterTopic: deadLetterPolicy.deadLetterTopic, maxDeliveryAttempts: max };
    } else {
      deadLetterPolicy = null;
    }
    // No policy means the API default of 31 days; a policy without a ttl means never. The API's minimum is 1 day.
    const expirationPolicy = p.expirationPolicy ?? { ttl: toDuration(31 * DAY) };
    const ttl = durationMs(expirationPolicy.ttl);
    if (ttl !== null && (ttl < DAY || ttl > 365 * DAY))
      throw invalidArgument('expiration_policy ttl out of bounds');
    let retryPolicy = p.retryPolicy;
    if (retryPolicy) {
      const min = durationMs(retryPolicy.minimumBackoff) ?? 10_000;
      const max = durationMs(retryPolicy.maximumBackoff) ?? 600_000;
      if (min < 0 || min > 600_000 || max < 0 || max > 600_000 || min > max) {
        throw invalidArgument('retry_policy backoff out of bounds');
      }
      retryPolicy = { minimumBackoff: toDuration(min), maximumBackoff: toDuration(max) };
    }
    return {
      ...p,
      ackDeadlineSeconds: ack,
      messageRetentionDuration: toDuration(retention),
      deadLetterPolicy,
      retryPolicy,
      expirationPolicy,
      pushConfig: p.pushConfig ?? { pushEndpoint: '', attributes: {} },
      labels: p.labels ?? {},
    };
  }
}

const MUTABLE: Record<string, keyof SubscriptionProto> = {
  ack_deadline_seconds: 'ackDeadlineSeconds',
  push_config: 'pushConfig',
  retain_acked_messages: 'retainAckedMessages',
  message_retention_duration: 'messageRetentionDuration',
  labels: 'labels',
  expiration_policy: 'expirationPolicy',
  dead_letter_policy: 'deadLetterPolicy',
  retry_policy: 'retryPolicy',
  enable_exactly_once_delivery: 'enableExactlyOnceDelivery',
  detached: 'detached',
};

function attemptsMessage(size: string, value: number, bound: string, limit: number): string {
  return `The value for max_delivery_attempts is too ${size}. You passed ${value} in the request, but the ${bound} value is ${limit}.`;
}

export function policyOf(p: SubscriptionProto, limits: PubsubLimits): PumpPolicy {
  return {
    ordering: p.enableMessageOrdering,
    retentionMs: durationMs(p.messageRetentionDuration) ?? DEFAULT_RETENTION_MS,
    maxBacklogBytes: limits.retainedBytes,
    maxDeliveryAttempts: p.deadLetterPolicy?.maxDeliveryAttempts ?? null,
    // A push endpoint that fails is retried with backoff even without a retry policy (1 s doubling to 60 s here;
    // the official emulator retried ≈1 s after a 500, research §5.10).
    minBackoffMs: durationMs(p.retryPolicy?.minimumBackoff) ?? (p.pushConfig?.pushEndpoint ? 1000 : null),
    maxBackoffMs: durationMs(p.retryPolicy?.maximumBackoff) ?? (p.pushConfig?.pushEndpoint ? 60_000 : null),
  };
}
