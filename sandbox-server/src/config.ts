// Server-wide settings: the sandbox limits (issue 2 item 4) and where things live on disk. One place, so the
// web app (via `welcome`), `msgbook run` and the graders all see the same numbers.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Limits } from '@msgbook/protocol';

/** The repository root: sandbox-server/src/config.ts or sandbox-server/dist/*.js are two levels below it. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const DEFAULT_LIMITS: Limits = {
  defaultTimeLimitMs: 10_000,
  maxTimeLimitMs: 120_000,
  heapMb: 256,
  outputBytes: 1024 * 1024,
  concurrentRuns: 8,
  runsPerMinute: 60,
};

export const DEFAULT_PORT = 4400;
export const DEFAULT_HOST = '127.0.0.1';

/** Loopback addresses need no explicit opt-in; anything else must be asked for with HOST (issue 2 item 2). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
