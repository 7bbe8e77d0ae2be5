// Grades one submission against one exercise (design.md §5): compiles it, loads the trusted checks, gives the run
// fresh brokers, then runs each check in reading order with its own time limit, streaming each result as it
// completes (a few at a time when they share no brokers). Type errors come back beside the results as warnings and never change the status.
import {
  Duration,
  durationMs,
  type Limits,
  type Results,
  type Target,
  type TestResult,
  type TypeWarning,
} from '@msgbook/protocol';
import type { BrokerHost } from '../brokers/host';
import { embeddedEndpoints, realEndpoints } from '../runner/env';
import { transpile, type LearnerFile } from '../runner/transpile';
import { DEFAULT_LIMITS } from '../config';
import { CheckFailure, type Check } from './api';
import { GradingContext } from './context';
import type { LoadedExercise } from './exercises';
import { loadChecks } from './load-checks';
import type { TypeChecker } from './typecheck';

export interface GradeOptions {
  target: Target;
  host?: BrokerHost;
  limits?: Limits;
  onTest?: (test: TestResult, index: number) => void;
  /** TypeScript's checker for the warnings; without one, results carry no warnings. */
  typeChecker?: TypeChecker;
  runRoot?: string;
}

const OUTPUT_CAP = 2048;
const DEFAULT_CHECK_MS = 15_000;
const CHECKS_AT_ONCE = 3;
let gradeCount = 0;

export async function grade(ex: LoadedExercise, files: LearnerFile[], opts: GradeOptions): Promise<Results> {
  const started = performance.now();
  const base = { version: 1 as const, exercise: ex.json.id };
  const finish = (r: Omit<Results, 'version' | 'exercise' | 'durationMs'>): Results => ({
    ...base,
    ...r,
    durationMs: Math.round(performance.now() - started),
  });
  let checks;
  try {
    checks = (await loadChecks(ex.checksFile)).checks;
  } catch (err) {
    return finish({
      status: 'error',
      message: `the exercise's checks could not be loaded: ${(err as Error).message}`,
      tests: [],
    });
  }
  const warnings = opts.typeChecker ? opts.typeChecker.check(files) : Promise.resolve([] as TypeWarning[]);

  const compiled = await transpile(files, files[0]!.name);
  if (!compiled.ok) {
    const tests = checks.map((c, i): TestResult => ({
      name: c.name,
      status: 'fail',
      message:
        i === 0
          ? `the program does not compile:\n${compiled.message}`
          : 'not run: the program does not compile',
    }));
    tests.forEach((t, i) => opts.onTest?.(t, i));
    return finish({ status: 'fail', tests, warnings: await warnings });
  }

  const sessionId = `grade-${process.pid}-${++gradeCount}`;
  let endpoints;
  if (opts.target === 'real') endpoints = realEndpoints();
  else if (ex.json.brokers.length === 0) endpoints = embeddedEndpoints({});
  else {
    if (!opts.host)
      return finish({ status: 'error', message: 'no broker host for the embedded target', tests: [] });
    const { instances, failed } = await opts.host.ensure(sessionId, ex.json.brokers);
    const why = Object.entries(failed).map(([k, m]) => `${k}: ${m}`);
    if (why.length)
      return finish({ status: 'error', message: `brokers could not start: ${why.join('; ')}`, tests: [] });
    endpoints = embeddedEndpoints(instances);
  }

  const runCheck = async (check: Check): Promise<TestResult> => {
    const limitMs = check.timeLimit ? durationMs(Duration.parse(check.timeLimit)) : DEFAULT_CHECK_MS;
    const abort = new AbortController();
    const t = new GradingContext({
      files,
      endpoints,
      limits: opts.limits ?? DEFAULT_LIMITS,
      timeLimitMs: durationMs(ex.json.timeLimit),
      serves: ex.json.program.serves,
      snapshot: async (b) =>
        opts.target === 'embedded' && opts.host ? opts.host.snapshot(sessionId, b) : null,
      signal: abort.signal,
      runRoot: opts.runRoot,
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new CheckFailure(`the check did not finish within ${limitMs / 1000} s`));
      }, limitMs);
    });
    let result: TestResult;
    try {
      await Promise.race([check.run(t), timeout]);
      result = { name: check.name, status: 'pass' };
    } catch (err) {
      const message =
        err instanceof CheckFailure ? err.message : `${(err as Error).name}: ${(err as Error).message}`;
      result = { name: check.name, status: 'fail', message };
    } finally {
      clearTimeout(timer);
      abort.abort();
      await t.dispose();
    }
    const output = capOutput(t.output());
    if (output) result.output = output;
    return result;
  };

  // Checks of an exercise without brokers share nothing (each starts its own program and services), so they run a
  // few at a time: most of a check is waiting on purpose. Checks on brokers share the run's instances: one by one.
  const parallel = ex.json.brokers.length ? 1 : CHECKS_AT_ONCE;
  const tests: TestResult[] = new Array(checks.length);
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: Math.min(parallel, checks.length) }, async () => {
        for (let i = next++; i < checks.length; i = next++) {
          tests[i] = await runCheck(checks[i]!);
          opts.onTest?.(tests[i]!, i);
        }
      }),
    );
  } finally {
    if (opts.host && opts.target === 'embedded' && ex.json.brokers.length)
      await opts.host.release(sessionId).catch(() => undefined);
  }
  return finish({
    status: tests.every((t) => t.status === 'pass') ? 'pass' : 'fail',
    tests,
    warnings: await warnings,
  });
}

/** The last 2 KB of what the learner's program printed, cut at a character boundary. */
export function capOutput(s: string): string {
  if (Buffer.byteLength(s) <= OUTPUT_CAP) return s;
  const marker = '…\n';
  let tail = Buffer.from(s)
    .subarray(-(OUTPUT_CAP - Buffer.byteLength(marker)))
    .toString('utf8');
  tail = tail.replace(/^\uFFFD+/, '');
  return marker + tail;
}
