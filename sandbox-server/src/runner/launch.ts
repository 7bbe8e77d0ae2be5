// Prepares and starts one run for a session: picks the time limit, finds the brokers the program imports, gets
// their endpoints on the session's target (starting embedded instances, or probing the real brokers so a run
// against a broker that is down fails fast with what to do), then hands over to `startRun`.
import path from 'node:path';
import type { BrokerHealth, BrokerKind, Endpoints, Limits, Target } from '@msgbook/protocol';
import type { BrokerHost } from '../brokers/host';
import { describeDown, probeBrokers } from '../target/health';
import { REPO_ROOT } from '../config';
import { startControls } from './controls';
import { addressOf, brokersUsed, embeddedEndpoints, realEndpoints } from './env';
import { startRun, type OutputStream, type RunHandle, type RunOutcome } from './run';
import type { LearnerFile } from './transpile';

export interface LaunchContext {
  sessionId: string;
  target: Target;
  limits: Limits;
  /** Needed for the embedded target. */
  host?: BrokerHost;
  /** Endpoints fixed by the caller (msgbook run with KAFKA_BROKERS & co. set): used as they are. */
  fixedEndpoints?: Endpoints;
  runRoot?: string;
  /** Extra variables for the program (exercise contracts add service URLs). */
  env?: Record<string, string>;
}

export async function launch(
  ctx: LaunchContext,
  files: LearnerFile[],
  timeLimitMs: number,
  onOutput: (stream: OutputStream, data: string) => void,
): Promise<RunHandle> {
  const kinds = [...new Set(files.flatMap((f) => brokersUsed(f.code)))];
  const endpoints = await resolveEndpoints(ctx, kinds);
  if ('problem' in endpoints) return finished({ reason: 'broker-unavailable', message: endpoints.problem });
  const controls = await startControls({
    sessionId: ctx.sessionId,
    target: ctx.target,
    host: ctx.host,
    fixedEndpoints: ctx.fixedEndpoints !== undefined,
  });
  const run = startRun(
    {
      files,
      timeLimitMs: Math.min(timeLimitMs, ctx.limits.maxTimeLimitMs),
      limits: ctx.limits,
      env: { ...endpoints, MSGBOOK_CONTROL_URL: controls.url, ...ctx.env },
      runRoot: ctx.runRoot ?? path.join(REPO_ROOT, '.msgbook', 'runs'),
      nodeModules: path.join(REPO_ROOT, 'node_modules'),
    },
    onOutput,
  );
  // The run counts as ended once what it raised on its brokers is cleared, so the next run finds them as usual.
  const done = run.done.then(async (outcome) => {
    await controls.close();
    return outcome;
  });
  return { ...run, done };
}

async function resolveEndpoints(
  ctx: LaunchContext,
  kinds: BrokerKind[],
): Promise<Endpoints | { problem: string }> {
  if (ctx.fixedEndpoints) return ctx.fixedEndpoints;
  if (ctx.target === 'real') {
    const endpoints = realEndpoints();
    if (kinds.length === 0) return endpoints;
    const health = await probeBrokers(endpoints, 1500);
    const down = health.filter((h: BrokerHealth) => kinds.includes(h.broker) && !h.up);
    if (down.length)
      return { problem: down.map((h) => describeDown(h.broker, addressOf(endpoints, h.broker))).join('\n') };
    return endpoints;
  }
  if (kinds.length === 0) return embeddedEndpoints({});
  if (!ctx.host) return { problem: 'no broker host is running for the embedded target' };
  const { instances, failed } = await ctx.host.ensure(ctx.sessionId, kinds);
  const problems = Object.entries(failed).map(
    ([k, why]) => `The embedded ${k} broker could not start: ${why}`,
  );
  if (problems.length) return { problem: problems.join('\n') };
  return embeddedEndpoints(instances);
}

function finished(outcome: Omit<RunOutcome, 'code' | 'signal' | 'durationMs'>): RunHandle {
  const done = Promise.resolve({ code: null, signal: null, durationMs: 0, ...outcome });
  return { stop: () => undefined, pause: () => undefined, resume: () => undefined, done };
}
