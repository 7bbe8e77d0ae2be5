// Topics of one emulator instance: their stored proto, the subscriptions attached to them, and the published count.
// Messages are not kept per topic yet: publish copies each one into the subscriptions that exist at that moment.
// Gaps: topic retention (and seek to before a subscription existed) is not implemented. TODO(#6)
import { alreadyExists, notFound } from '../errors';
import { parseName, parseProject } from '../names';
import type { TopicProto } from '../protos';

/** One published message as every subscription shares it (never mutated after publish). */
export interface StoredMessage {
  id: string;
  data: Buffer;
  attributes: Record<string, string>;
  orderingKey: string;
  publishTime: number;
  bytes: number;
}

export interface TopicState {
  proto: TopicProto;
  subs: Set<string>;
  published: number;
}

export class Topics {
  private readonly topics = new Map<string, TopicState>();

  create(proto: TopicProto): TopicState {
    parseName('topics', proto.name);
    if (this.topics.has(proto.name)) throw alreadyExists('Topic already exists');
    const state: TopicState = {
      proto: { ...proto, labels: proto.labels ?? {} },
      subs: new Set(),
      published: 0,
    };
    this.topics.set(proto.name, state);
    return state;
  }

  get(name: string): TopicState {
    parseName('topics', name);
    const t = this.topics.get(name);
    if (!t) throw notFound('Topic not found');
    return t;
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
