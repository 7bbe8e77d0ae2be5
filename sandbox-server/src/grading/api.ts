// What an exercise's trusted checks (exercises/NN-slug/checks.ts) are written against (design.md §3, §5). Checks
// run in the grader's process, never in the learner's: they start the learner's program under the sandbox, drive
// it from outside (HTTP, brokers) and judge only what they observe. Nothing the program says about itself counts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BrokerKind, BrokerSnapshot, Endpoints } from '@msgbook/protocol';

export interface ExerciseChecks {
  checks: Check[];
}

export interface Check {
  /** A sentence the learner reads: what a passing program does. */
  name: string;
  /** How long the check may take in all, e.g. '10s'; 15 s when absent. */
  timeLimit?: string;
  /** Write it as `async run(t: CheckContext)`: TypeScript narrows with `t.assert` only on an annotated `t`. */
  run(t: CheckContext): Promise<void>;
}

/** Types the default export of a checks.ts file. */
export function defineChecks(checks: ExerciseChecks): ExerciseChecks {
  return checks;
}

export interface CheckContext {
  /** Starts the learner's program in the sandbox; with `serves`, resolves once it accepts connections on PORT. */
  start(options?: { env?: Record<string, string> }): Promise<LearnerProgram>;
  /** A small HTTP service the program talks to (inventory, a payment provider…), closed after the check. */
  httpService(
    handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  ): Promise<TestService>;
  /** The broker endpoints this grading run's program receives (fresh embedded instances, or the real brokers). */
  readonly endpoints: Endpoints;
  /** The embedded broker's introspection (design.md §6); null on the real target. */
  snapshot(broker: BrokerKind): Promise<BrokerSnapshot | null>;
  /** Fails the check with `message` (what was expected, what happened) unless `condition` holds. */
  assert(condition: unknown, message: string): asserts condition;
  fail(message: string): never;
  /** Waits until `predicate` holds, polling every 20 ms, or fails with `message` after `ms`. */
  waitFor(predicate: () => boolean | Promise<boolean>, ms: number, message: string): Promise<void>;
  /** Aborted when the check's time limit is reached. */
  readonly signal: AbortSignal;
  /** Runs after the check, pass or fail. */
  cleanup(fn: () => void | Promise<void>): void;
}

export interface LearnerProgram {
  /** `http://127.0.0.1:PORT/path` for a program that serves. */
  url(path?: string): string;
  readonly port: number;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when it ends: its exit code, or why the sandbox ended it. */
  readonly exited: Promise<{ code: number | null; reason?: string }>;
  /** Resolves when its output matches `pattern`; fails the check after `ms`. */
  waitForOutput(pattern: RegExp, ms: number): Promise<string>;
  stop(): Promise<void>;
}

export interface TestService {
  url: string;
  /** Requests received so far, in order. */
  readonly requests: {
    method: string;
    path: string;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }[];
  /** How many requests the caller abandoned before an answer was sent. */
  abandoned(): number;
  close(): Promise<void>;
}

/** Thrown by `assert`/`fail`: a failing check, with the learner-facing message. */
export class CheckFailure extends Error {}
