// Snapshots: the unacked messages of a subscription at one moment, plus every message its topic receives afterwards,
// so that Seek can bring a subscription back to that state (API reference, Snapshot; research §5.9). A snapshot
// expires 7 days after the oldest message it holds was published; expired ones are dropped when next looked at.
import { alreadyExists, notFound } from '../errors';
import { parseName, parseProject } from '../names';
import { toTimestamp } from '../protos';
import type { StoredMessage } from './topics';

const WEEK = 7 * 86_400_000;

export interface SnapshotState {
  name: string;
  topic: string;
  labels: Record<string, string>;
  expireTime: number;
  /** Unacked at creation, then everything published to the topic since, in publish order. */
  messages: StoredMessage[];
}

export class Snapshots {
  private readonly snapshots = new Map<string, SnapshotState>();

  constructor(private readonly now: () => number) {}

  create(
    name: string,
    topic: string,
    unacked: StoredMessage[],
    labels: Record<string, string>,
  ): SnapshotState {
    parseName('snapshots', name);
    if (this.find(name)) throw alreadyExists('Snapshot already exists');
    const oldest = unacked.reduce((min, m) => Math.min(min, m.publishTime), this.now());
    const s: SnapshotState = {
      name,
      topic,
      labels: labels ?? {},
      expireTime: oldest + WEEK,
      messages: [...unacked],
    };
    this.snapshots.set(name, s);
    return s;
  }

  get(name: string): SnapshotState {
    parseName('snapshots', name);
    const s = this.find(name);
    if (!s) throw notFound('Snapshot does not exist');
    return s;
  }

  delete(name: string): void {
    this.get(name);
    this.snapshots.delete(name);
  }

  list(project: string): SnapshotState[] {
    const prefix = `projects/${parseProject(project)}/snapshots/`;
    return this.all().filter((s) => s.name.startsWith(prefix));
  }

  all(): SnapshotState[] {
    this.expire();
    return [...this.snapshots.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Called for every message published to `topic`: each of its snapshots keeps it. */
  published(topic: string, msg: StoredMessage): void {
    for (const s of this.snapshots.values()) if (s.topic === topic) s.messages.push(msg);
  }

  private find(name: string): SnapshotState | undefined {
    this.expire();
    return this.snapshots.get(name);
  }

  private expire(): void {
    const now = this.now();
    for (const [name, s] of this.snapshots) if (s.expireTime <= now) this.snapshots.delete(name);
  }
}

export function snapshotProto(s: SnapshotState) {
  return { name: s.name, topic: s.topic, expireTime: toTimestamp(s.expireTime), labels: s.labels };
}
