// Shared pieces of the benchmarks: percentiles, the median-ratio-with-spread summary, and starting `msgbook` in a
// process of its own the way a learner does.
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface Row {
  bench: string;
  subject: string;
  anchor: string;
  ratio: string;
  target: string;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Median of per-round ratios, with their min–max spread. */
export function ratioSummary(ratios: number[]): string {
  return `${percentile(ratios, 50).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}, ${ratios.length} rounds)`;
}

/** The environment without tsx's loader, which `tsx` passes to child processes through NODE_OPTIONS. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  return env;
}

export async function startMsgbook(
  root: string,
  args: string[],
): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(root, 'sandbox-server/bin/msgbook.mjs'), ...args], {
    env: cleanEnv({ PORT: '0' }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /msgbook ready at (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`msgbook exited with ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Starts `msgbook brokers --only KIND` on a free port in its own process; resolves with its address. */
export async function startEmbedded(
  root: string,
  kind: 'kafka' | 'amqp' | 'pubsub',
): Promise<{ address: string; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [path.join(root, 'sandbox-server/bin/msgbook.mjs'), 'brokers', '--only', kind, `--${kind}-port`, '0'],
    { env: cleanEnv(), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  const address = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = new RegExp(`${kind} listening on (\\S+)`).exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`msgbook brokers exited with ${code}`)));
  });
  return {
    address,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
