// Helpers for group scenarios: consumers with short, equal timeouts on both targets (the project's real Kafka allows
// 1 s sessions), a collector that resolves when enough messages arrived, and a view of the group's assignments
// built from kafkajs's own GROUP_JOIN events, so tests wait on what the clients report rather than on sleeps.
import type { Consumer, ConsumerConfig, EachMessagePayload, Kafka } from 'kafkajs';

export const FAST: Omit<ConsumerConfig, 'groupId'> = {
  sessionTimeout: 3000,
  rebalanceTimeout: 3000,
  heartbeatInterval: 200,
  maxWaitTimeInMs: 200,
  retry: { retries: 10, initialRetryTime: 100 },
};

export interface Received {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
}

/** Messages a consumer received, with a way to wait until a predicate over them holds. */
export class Collector {
  readonly messages: Received[] = [];
  private waiters: { test: (m: Received[]) => boolean; resolve: () => void }[] = [];

  readonly eachMessage = async ({ topic, partition, message }: EachMessagePayload): Promise<void> => {
    this.messages.push({
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString() ?? null,
      value: message.value?.toString() ?? null,
    });
    this.check();
  };

  private check(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(this.messages)) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves once `test` holds; after `deadlineMs` fails listing what did arrive, so a stall explains itself. */
  until(test: (m: Received[]) => boolean, deadlineMs = 30_000): Promise<Received[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.test !== test);
        reject(new Error(`messages never matched; received: ${JSON.stringify(this.messages)}`));
      }, deadlineMs);
      this.waiters.push({
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.messages);
        },
      });
      this.check();
    });
  }

  count(n: number): Promise<Received[]> {
    return this.until((m) => m.length >= n);
  }
}

/** Each consumer's latest assignment, from kafkajs's GROUP_JOIN events; `until` waits for a shape of the group. */
export class Assignments {
  readonly latest = new Map<Consumer, Record<string, number[]>>();
  private waiters: { test: () => boolean; resolve: () => void }[] = [];

  track(consumer: Consumer): Consumer {
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.latest.set(consumer, e.payload.memberAssignment);
      this.check();
    });
    return consumer;
  }

  forget(consumer: Consumer): void {
    this.latest.delete(consumer);
    this.check();
  }

  /** Partitions of `topic` held by each tracked consumer, in tracking order. */
  of(topic: string, consumers: Consumer[]): number[][] {
    return consumers.map((c) => [...(this.latest.get(c)?.[topic] ?? [])].sort());
  }

  private check(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.test()) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves once `test` holds; after `deadlineMs` fails with every tracked consumer's latest view instead. */
  until(test: () => boolean, deadlineMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.test !== test);
        reject(
          new Error(
            `group never reached the expected shape; latest: ${JSON.stringify([...this.latest.values()])}`,
          ),
        );
      }, deadlineMs);
      this.waiters.push({
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      this.check();
    });
  }

  /** True when `consumers` together hold all `partitions` of `topic`, each partition exactly once. */
  covers(topic: string, consumers: Consumer[], partitions: number): boolean {
    const held = this.of(topic, consumers).flat();
    return held.length === partitions && new Set(held).size === partitions;
  }

  covering(topic: string, consumers: Consumer[], partitions: number): Promise<void> {
    return this.until(() => this.covers(topic, consumers, partitions));
  }
}

export async function startConsumer(
  kafka: Kafka,
  groupId: string,
  topic: string,
  collector: Collector,
  options: Partial<ConsumerConfig> & { fromBeginning?: boolean; autoCommit?: boolean } = {},
): Promise<Consumer> {
  const { fromBeginning = true, autoCommit = true, ...config } = options;
  const consumer = kafka.consumer({ ...FAST, ...config, groupId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning });
  await consumer.run({ autoCommit, eachMessage: collector.eachMessage });
  return consumer;
}
