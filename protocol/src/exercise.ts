// exercise.json (design.md §3) and the grading results (§5, after Exercism's test-runner interface).
import { z } from 'zod';
import { BrokerKind, Slug } from './common';
import { Duration } from './content';

export const ExerciseJson = z
  .object({
    id: Slug,
    title: z.string().min(1).max(200),
    /** The chapter the exercise belongs to (its slug). */
    chapter: Slug,
    brokers: z.array(BrokerKind).default([]),
    /** How long one start of the learner's program may run during a check. */
    timeLimit: Duration.default('20s'),
    /** Tiers, revealed one at a time: a nudge first, the near-answer last. */
    hints: z.array(z.string().min(1)).min(1),
    /** Files besides starter.ts the learner edits; a submission is then a folder. */
    files: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*\.ts$/, 'a file name like pricing.ts')).default([]),
    /** The contract of the learner's program: what it receives and what it must do to be graded. */
    program: z
      .object({
        /** Variables the program receives besides the broker endpoints, each with what it points at. */
        env: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string().min(1)).default({}),
        /** The program serves HTTP on the port given in PORT; checks wait for it before they start. */
        serves: z.boolean().default(false),
      })
      .strict()
      .default({ env: {}, serves: false }),
  })
  .strict();
export type ExerciseJson = z.infer<typeof ExerciseJson>;

export const Status = z.enum(['pass', 'fail', 'error']);

export const TestResult = z.object({
  name: z.string(),
  status: Status,
  message: z.string().optional(),
  /** The learner's output during this test, at most 2 KB. */
  output: z.string().max(2048).optional(),
});
export type TestResult = z.infer<typeof TestResult>;

export const TypeWarning = z.object({
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  message: z.string(),
});
export type TypeWarning = z.infer<typeof TypeWarning>;

export const Results = z.object({
  version: z.literal(1),
  exercise: z.string(),
  status: Status,
  message: z.string().optional(),
  durationMs: z.number(),
  tests: z.array(TestResult),
  /** TypeScript's checker's findings: shown beside the results, never changing the status. */
  warnings: z.array(TypeWarning).optional(),
});
export type Results = z.infer<typeof Results>;

/** What the web app shows of an exercise. */
export const Exercise = z.object({
  id: Slug,
  title: z.string(),
  chapter: Slug,
  brokers: z.array(BrokerKind),
  readme: z.string(),
  hints: z.array(z.string()),
  files: z.array(z.object({ name: z.string(), starter: z.string() })),
  checks: z.array(z.string()),
});
export type Exercise = z.infer<typeof Exercise>;

export const ExerciseSummary = z.object({ id: Slug, title: z.string(), chapter: Slug });
export const ExerciseList = z.object({
  exercises: z.array(ExerciseSummary),
  problems: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type ExerciseList = z.infer<typeof ExerciseList>;
