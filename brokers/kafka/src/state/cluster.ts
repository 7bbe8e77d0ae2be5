// The one owner of an embedded Kafka instance's state: topics and their partition logs, the group coordinator and the
// transaction coordinator. Handlers mutate it only through synchronous methods, so no await ever splits a change;
// long waits (fetch long-polls, joins) are waiters that state changes resolve. One node: id 1, leader of everything.
import { randomBytes } from 'node:crypto';
import type { Clock, EventHub, TimerHandle } from '@msgbook/broker-common';
import { ErrorCode } from '../protocol/errors';
import { GroupCoordinator } from './groups';
import { PartitionLog } from './log';
import { Producers } from './producers';
import { TransactionCoordinator } from './txns';

export interface ClusterConfig {
  clock: Clock;
  events: EventHub;
  /** Per-partition retention in bytes (Kafka's retention.bytes; the broker's default profile uses 64 MB). */
  retentionBytes: number;
  /** auto.create.topics.enable; off in the project's real Kafka too (design.md §7). */
  autoCreateTopics: boolean;
  defaultPartitions: number;
}

export interface Topic {
  name: string;
  partitions: PartitionLog[];
  configs: Record<string, string>;
}

const LEGAL_TOPIC = /^[a-zA-Z0-9._-]+$/;

export class Cluster {
  readonly nodeId = 1;
  readonly clusterId = randomBytes(16).toString('base64url');
  host = '127.0.0.1';
  port = 0;
  readonly topics = new Map<string, Topic>();
  readonly producers = new Producers();
  readonly groups = new GroupCoordinator(this);
  readonly txns = new TransactionCoordinator(this);
  private readonly timers = new Set<TimerHandle>();
  private readonly stopHooks = new Set<() => void>();
  private stopped = false;

  constructor(readonly config: ClusterConfig) {}

  get clock(): Clock {
    return this.config.clock;
  }

  emit(kind: string, subject: string, detail: Record<string, unknown> = {}): void {
    this.config.events.emit({ broker: 'kafka', at: this.clock.now(), kind, subject, detail });
  }

  /** The rules of Kafka's Topic.validate, with messages after its own. */
  static topicNameProblem(name: string): string | null {
    if (name.length === 0) return "Topic name is illegal, it can't be empty";
    if (name === '.' || name === '..') return 'Topic name cannot be "." or ".."';
    if (name.length > 249)
      return `Topic name is illegal, it can't be longer than 249 characters, topic name: ${name}`;
    if (!LEGAL_TOPIC.test(name))
      return `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`;
    return null;
  }

  createTopic(
    name: string,
    partitions: number,
    configs: Record<string, string> = {},
  ): { errorCode: number; message: string | null } {
    const problem = Cluster.topicNameProblem(name);
    if (problem) return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, message: problem };
    if (this.topics.has(name)) {
      return { errorCode: ErrorCode.TOPIC_ALREADY_EXISTS, message: `Topic '${name}' already exists.` };
    }
    const retention = Number(configs['retention.bytes'] ?? -1);
    const limit =
      retention > 0 ? Math.min(retention, this.config.retentionBytes) : this.config.retentionBytes;
    const topic: Topic = {
      name,
      configs,
      partitions: Array.from({ length: partitions }, (_, i) => new PartitionLog(name, i, limit)),
    };
    this.topics.set(name, topic);
    this.emit('topic-created', name, { partitions });
    return { errorCode: ErrorCode.NONE, message: null };
  }

  /** Grows `topic` to `count` partitions; new ones start empty with the topic's retention. */
  addPartitions(topic: Topic, count: number): void {
    const limit = topic.partitions[0]?.retentionBytes ?? this.config.retentionBytes;
    for (let i = topic.partitions.length; i < count; i++)
      topic.partitions.push(new PartitionLog(topic.name, i, limit));
    this.emit('partitions-created', topic.name, { partitions: count });
  }

  deleteTopic(name: string): number {
    const topic = this.topics.get(name);
    if (!topic) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    this.topics.delete(name);
    // Parked fetches on the old logs answer now, with UNKNOWN_TOPIC_OR_PARTITION.
    for (const p of topic.partitions) p.notify();
    this.emit('topic-deleted', name);
    return ErrorCode.NONE;
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  /** A timer the cluster cancels on stop. Delays are clamped to what Node's timers take (int32 ms, not negative). */
  setTimer(fn: () => void, ms: number): TimerHandle {
    const handle = this.clock.setTimeout(
      () => {
        this.timers.delete(handle);
        fn();
      },
      Math.min(Math.max(0, ms), 2 ** 31 - 1),
    );
    this.timers.add(handle);
    return {
      cancel: () => {
        this.timers.delete(handle);
        handle.cancel();
      },
    };
  }

  /**
   * Resolves `changed` on the first change to any of `logs`, else `timeout` after `ms`, when the broker stops, or
   * when `onClose` (the waiting client's connection) fires, so a closed client leaves no timer behind.
   */
  waitForChange(
    logs: PartitionLog[],
    ms: number,
    onClose?: (fn: () => void) => () => void,
  ): Promise<'changed' | 'timeout'> {
    if (this.stopped) return Promise.resolve('timeout');
    return new Promise((resolve) => {
      const offs: (() => void)[] = [];
      const finish = (how: 'changed' | 'timeout'): void => {
        for (const off of offs) off();
        timer.cancel();
        this.stopHooks.delete(onStop);
        resolve(how);
      };
      const onStop = (): void => finish('timeout');
      for (const log of logs) offs.push(log.onChange(() => finish('changed')));
      const timer = this.setTimer(onStop, ms);
      this.stopHooks.add(onStop);
      if (onClose) offs.push(onClose(onStop));
    });
  }

  /** Cancels every timer and releases every waiter; the server closes the sockets. */
  stop(): void {
    this.stopped = true;
    this.groups.stop();
    this.txns.stop();
    for (const hook of [...this.stopHooks]) hook();
    for (const t of [...this.timers]) t.cancel();
  }
}
