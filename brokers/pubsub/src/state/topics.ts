// Topics of one emulator instance: their stored proto, the subscriptions attached to them, the published count, and,
// when the topic sets message_retention_duration (10 min..31 d), a log of recent messages that Seek can replay even to
// a subscription created after them. Publish copies each message into the subscriptions that exist at that moment.
import { alreadyExists, invalidArgument, notFound } from '../errors';
import { parseName, parseProject } from '../names';
import { trimOldest } from '../limits';
import { durationMs, type TopicProto } from '../protos';

/**
 * One published message as every subscription shares it (never mutated after publish, but for `wire`, its protobuf
 * encoding, made on first delivery and reused by every subscription and redelivery).
 */
export interface StoredMessage {
  id: string;
  /** The message id as a number: publish order across the instance. */
  seq: number;
  data: Buffer;
  attributes: Record<string, string>;
  orderingKey: string;
  publishTime: number;
  bytes: number;
  wire?: Buffer;
}

export interface TopicState {
  proto: TopicProto;
  subs: Set<string>;
  published: number;
  /** Messages within the topic's retention, oldest first; empty when the topic retains nothing. */
  log: StoredMessage[];
  logBytes: number;
}

export class Topics {
  private readonly topics = new Map<string, TopicState>();

  create(proto: TopicProto): TopicState {
    parseName('topics', proto.name);
    if (this.topics.has(proto.name)) throw alreadyExists('Topic already exists');
    checkRetention(proto);
    const state: TopicState = {
      proto: { ...proto, labels: proto.labels ?? {} },
      subs: new Set(),
      published: 0,
      log: [],
      logBytes: 0,
    };
    this.topics.set(proto.name, state);
    return state;
  }

  /** UpdateTopic: `labels` and `message_retention_duration` (snake_case mask paths, as the client sends them). */
  update(request: TopicProto, paths: string[]): TopicState {
    const t = this.get(request.name);
    if (paths.length === 0) throw invalidArgument('The update_mask must contain at least one field.');
    const next = { ...t.proto };
    for (const path of paths) {
      if (path === 'labels') next.labels = request.labels ?? {};
      else if (path === 'message_retention_duration')
        next.messageRetentionDuration = request.messageRetentionDuration;
      else {
        throw invalidArgument(
          `Invalid update_mask provided in the UpdateTopicRequest: ${path} is not a known Topic field.`,
        );
      }
    }
    checkRetention(next);
    t.proto = next;
    if (!next.messageRetentionDuration) {
      t.log = [];
      t.logBytes = 0;
    }
    return t;
  }

  get(name: string): TopicState {
    const t = this.topics.get(name);
    if (t) return t;
    parseName('topics', name);
    throw notFound('Topic not found');
  }

  /** Keeps `msg` in the topic's log when it retains messages, dropping those past retention or the byte limit. */
  retain(topic: TopicState, msg: StoredMessage, now: number, limitBytes: number): void {
    const retention = durationMs(topic.proto.messageRetentionDuration);
    if (retention === null) return;
    topic.log.push(msg);
    topic.logBytes += msg.bytes;
    this.prune(topic, now);
    topic.logBytes = trimOldest(topic.log, topic.logBytes, limitBytes);
  }

  /** The topic's log without the messages whose retention has ended. */
  retained(topic: TopicState, now: number): StoredMessage[] {
    this.prune(topic, now);
    return topic.log;
  }

  private prune(topic: TopicState, now: number): void {
    const retention = durationMs(topic.proto.messageRetentionDuration);
    if (retention === null) return;
    let drop = 0;
    while (drop < topic.log.length && topic.log[drop]!.publishTime + retention <= now) {
      topic.logBytes -= topic.log[drop++]!.bytes;
    }
    if (drop > 0) topic.log.splice(0, drop);
  }

  find(name: string): TopicState | undefined {
    return this.topics.get(name);
  }

  delete(name: string): TopicState {
    const t = this.get(name);
    this.topics.delete(name);
    return t;
  }

  list(project: string): TopicState[] {
    const prefix = `projects/${parseProject(project)}/topics/`;
    return [...this.topics.values()].filter((t) => t.proto.name.startsWith(prefix)).sort(byName);
  }

  all(): TopicState[] {
    return [...this.topics.values()].sort(byName);
  }
}

const byName = (a: TopicState, b: TopicState) =>
  a.proto.name < b.proto.name ? -1 : a.proto.name > b.proto.name ? 1 : 0;

function checkRetention(proto: TopicProto): void {
  const retention = durationMs(proto.messageRetentionDuration);
  if (retention !== null && (retention < 600_000 || retention > 31 * 86_400_000)) {
    throw invalidArgument('message_retention_duration out of bounds');
  }
}
