// Snapshots: the unacked messages of a subscription at one moment, plus every message its topic receives afterwards,
// so that Seek can bring a subscription back to that state (API reference, Snapshot; research §5.9). A snapshot
// expires 7 days after the oldest message it holds was published; expired ones are dropped when next looked at.
import { alreadyExists, invalidArgument, notFound, tooMany } from '../errors';
import { trimOldest, type PubsubLimits } from '../limits';
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
  bytes: number;
}

export class Snapshots {
  private readonly snapshots = new Map<string, SnapshotState>();

  constructor(
    private readonly now: () => number,
    private readonly limits: PubsubLimits,
  ) {}

  create(
    name: string,
    topic: string,
    unacked: StoredMessage[],
    labels: Record<string, string>,
  ): SnapshotState {
    parseName('snapshots', name);
    if (this.find(name)) throw alreadyExists('Snapshot already exists');
    if (this.snapshots.size >= this.limits.snapshots) throw tooMany('snapshots', this.limits.snapshots);
    const oldest = unacked.reduce((min, m) => Math.min(min, m.publishTime), this.now());
    const s: SnapshotState = {
      name,
      topic,
      labels: labels ?? {},
      expireTime: oldest + WEEK,
      messages: [...unacked],
      bytes: unacked.reduce((sum, m) => sum + m.bytes, 0),
    };
    s.bytes = trimOldest(s.messages, s.bytes, this.limits.retainedBytes);
    this.snapshots.set(name, s);
    return s;
  }

  get(name: string): SnapshotState {
    parseName('snapshots', name);
    const s = this.find(name);
    if (!s) throw notFound('Snapshot does not exist');
    return s;
  }

  /** UpdateSnapshot: only `labels` can change; name, topic and expire_time are the service's (API reference). */
  update(request: { name: string; labels: Record<string, string> | null }, paths: string[]): SnapshotState {
    const s = this.get(request.name);
    if (paths.length === 0) throw invalidArgument('The update_mask must contain at least one field.');
    for (const path of paths) {
      if (path !== 'labels') {
        throw invalidArgument(
          `Invalid update_mask provided in the UpdateSnapshotRequest: ${path} is not a field that can be updated.`,
        );
      }
    }
    s.labels = request.labels ?? {};
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
    for (const s of this.snapshots.values()) {
      if (s.topic !== topic) continue;
      s.messages.push(msg);
      s.bytes = trimOldest(s.messages, s.bytes + msg.bytes, this.limits.retainedBytes);
    }
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
