// Every websocket message between web/ and sandbox-server/ (design.md §4). Nothing else defines a `type` string:
// both sides switch exhaustively on the inferred unions below. Anything that fails validation gets an `error`
// reply and changes nothing.
import { z } from 'zod';
import { BrokerKind, Id, Target } from './common';
import { Results, TestResult } from './exercise';

/** The largest websocket frame the server accepts; bigger ones get an error and the connection carries on. */
export const MAX_CLIENT_MESSAGE_BYTES = 512 * 1024;

export const SourceFile = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}\.ts$/, 'a file name ending in .ts, without folders'),
  code: z.string().max(256 * 1024),
});
export type SourceFile = z.infer<typeof SourceFile>;

/** Which chapter snippet a run comes from; the server reads its declared limits from the content, not the client. */
export const SnippetRef = z.object({ chapter: z.string().max(64), snippet: z.string().max(64) });

// ---- client → server

export const Hello = z.object({
  type: z.literal('hello'),
  /** One browser profile's session id (kept in localStorage): a reload or reconnect keeps its brokers. */
  sessionId: Id,
});

export const RunStart = z.object({
  type: z.literal('run-start'),
  runId: Id,
  file: SourceFile,
  snippet: SnippetRef.optional(),
  target: Target.optional(),
});

export const RunStop = z.object({ type: z.literal('run-stop'), runId: Id });

export const SetTarget = z.object({ type: z.literal('set-target'), target: Target });

/** Grade the learner's files against an exercise (design.md §5); results stream back test by test. */
export const GradeStart = z.object({
  type: z.literal('grade-start'),
  gradeId: Id,
  exercise: z.string().max(64),
  files: z.array(SourceFile).min(1).max(8),
});

export const ClientMessage = z.discriminatedUnion('type', [Hello, RunStart, RunStop, SetTarget, GradeStart]);
export type ClientMessage = z.infer<typeof ClientMessage>;

// ---- server → client

export const Limits = z.object({
  defaultTimeLimitMs: z.number(),
  maxTimeLimitMs: z.number(),
  heapMb: z.number(),
  outputBytes: z.number(),
  concurrentRuns: z.number(),
  runsPerMinute: z.number(),
});
export type Limits = z.infer<typeof Limits>;

export const BrokerHealth = z.object({
  broker: BrokerKind,
  address: z.string(),
  up: z.boolean(),
  detail: z.string().optional(),
});
export type BrokerHealth = z.infer<typeof BrokerHealth>;

export const Welcome = z.object({
  type: z.literal('welcome'),
  sessionId: Id,
  target: Target,
  limits: Limits,
  nodeVersion: z.string(),
});

export const TargetStatus = z.object({
  type: z.literal('target-status'),
  target: Target,
  brokers: z.array(BrokerHealth),
});

export const RunStarted = z.object({ type: z.literal('run-started'), runId: Id, target: Target });

export const RunOutput = z.object({
  type: z.literal('run-output'),
  runId: Id,
  stream: z.enum(['stdout', 'stderr', 'system']),
  data: z.string(),
});

/** Why the sandbox ended a run; absent when the program ended by itself. */
export const KillReason = z.enum([
  'time-limit',
  'memory-limit',
  'output-limit',
  'stopped',
  'disconnected',
  'broker-unavailable',
  'compile-error',
]);
export type KillReason = z.infer<typeof KillReason>;

export const RunExit = z.object({
  type: z.literal('run-exit'),
  runId: Id,
  code: z.number().int().nullable(),
  signal: z.string().nullable(),
  durationMs: z.number(),
  reason: KillReason.optional(),
  /** The learner-facing explanation when `reason` is set. */
  message: z.string().optional(),
});

export const ErrorCode = z.enum([
  'invalid-message',
  'message-too-large',
  'unknown-run',
  'unknown-exercise',
  'duplicate-run',
  'too-many-runs',
  'rate-limited',
  'not-ready',
  'internal',
]);

export const ErrorReply = z.object({
  type: z.literal('error'),
  code: ErrorCode,
  message: z.string(),
  runId: Id.optional(),
});

/** Something every learner of the session should know (a broker host restart, a server shutdown). */
export const Notice = z.object({
  type: z.literal('notice'),
  level: z.enum(['info', 'warning']),
  message: z.string(),
});

export const GradeTest = z.object({
  type: z.literal('grade-test'),
  gradeId: Id,
  index: z.number().int(),
  test: TestResult,
});

export const GradeDone = z.object({ type: z.literal('grade-done'), gradeId: Id, results: Results });

export const ServerMessage = z.discriminatedUnion('type', [
  Notice,
  GradeTest,
  GradeDone,
  Welcome,
  TargetStatus,
  RunStarted,
  RunOutput,
  RunExit,
  ErrorReply,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export type RunExitMessage = z.infer<typeof RunExit>;
