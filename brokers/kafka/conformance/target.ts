// Where a conformance file's kafkajs clients connect: an embedded broker started in-process for the file, or the real
// Kafka at MSGBOOK_REAL_KAFKA when MSGBOOK_TEST_TARGET=real (design.md §2). Also the kafkajs logger every scenario uses:
// it records warnings and errors so a test can assert that the client saw no protocol trouble, and every file asserts
// after each test that kafkajs logged nothing but what the test provoked on purpose (`checkLogsAfterEach`, `provoke`).
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import { afterAll, afterEach, expect } from 'vitest';
import { startKafka } from '../src/index';

// The partitioner notice is about kafkajs's own defaults, not the broker; every scenario picks its partitioner.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

export type TargetKind = 'embedded' | 'real';

export interface Target {
  kind: TargetKind;
  brokers: string[];
  stop(): Promise<void>;
}

export async function target(): Promise<Target> {
  if (process.env.MSGBOOK_TEST_TARGET === 'real') {
    const brokers = (process.env.MSGBOOK_REAL_KAFKA ?? 'localhost:9092').split(',');
    return { kind: 'real', brokers, stop: async () => {} };
  }
  const broker = await startKafka({ profile: 'full' });
  return {
    kind: 'embedded',
    brokers: [`${broker.address.host}:${broker.address.port}`],
    stop: () => broker.stop(),
  };
}

/** A topic or group name no other test (or earlier run against a shared real Kafka) uses. */
export function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface LoggedProblem {
  level: 'warn' | 'error';
  namespace: string;
  message: string;
  error?: unknown;
}

/** Every problem any client of this file logged since the last test ended (vitest isolates files). */
const logged: LoggedProblem[] = [];
/** What the running test provokes on purpose, as `unexpected` takes it. */
const provoked: string[] = [];

/** Declares log lines the running test provokes on purpose (an API name, or the start of a message). */
export function provoke(...what: string[]): void {
  provoked.push(...what);
}

/**
 * Registers, for the calling file, an assertion after each test that no kafkajs client logged a warning or error
 * beyond rebalancing (both targets log it while members come and go) and what the test declared with `provoke`:
 * kafkajs must print no protocol warnings against the broker.
 */
export function checkLogsAfterEach(): void {
  afterEach(() => {
    const left = unexpected(logged.splice(0), ...REBALANCING, ...provoked.splice(0));
    expect(left, 'kafkajs logged warnings or errors').toEqual([]);
  });
  // Registered first, so it runs last (vitest runs after-hooks as a stack): what the file's clients logged while
  // they disconnected.
  afterAll(() => {
    expect(unexpected(logged.splice(0), ...REBALANCING), 'kafkajs logged warnings or errors').toEqual([]);
  });
}

/** kafkajs clients for one test, logging warnings and errors into `problems` instead of the console. */
export function clients(
  t: Target,
  config: Partial<KafkaConfig> = {},
): { kafka: Kafka; problems: LoggedProblem[] } {
  const problems: LoggedProblem[] = [];
  const kafka = new Kafka({
    clientId: 'conformance',
    brokers: t.brokers,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        if (level === logLevel.ERROR || level === logLevel.WARN) {
          const problem: LoggedProblem = {
            level: level === logLevel.ERROR ? 'error' : 'warn',
            namespace,
            message: log.message,
            error: log.error,
          };
          problems.push(problem);
          logged.push(problem);
        }
      },
    ...config,
  });
  return { kafka, problems };
}

/**
 * The problems left once the ones a scenario provokes on purpose are set aside. Each `provoked` entry is an API name
 * (kafkajs logs every error code it receives as `Response <Api>(key: …)`, against real Kafka too) or the start of a
 * logged message.
 */
export function unexpected(problems: LoggedProblem[], ...provoked: string[]): string[] {
  return problems
    .filter((p) => !provoked.some((x) => p.message.startsWith(`Response ${x}(`) || p.message.startsWith(x)))
    .map((p) => `${p.level} ${p.namespace}: ${p.message}${p.error ? ` (${String(p.error)})` : ''}`);
}

/** What kafkajs logs, on either target, while members come and go: the rebalance error codes and its re-join. */
export const REBALANCING = [
  'Heartbeat',
  'SyncGroup',
  'OffsetCommit',
  'JoinGroup',
  'The group is rebalancing, re-joining',
];

/** The Kafka error type of a kafkajs error, looking through the retrier's wrapper. */
export function errorType(e: unknown): string | undefined {
  const err = e as { type?: string; cause?: { type?: string }; errors?: { type?: string }[] } | undefined;
  return err?.type ?? err?.cause?.type ?? err?.errors?.[0]?.type;
}
