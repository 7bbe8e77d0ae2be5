// Server-wide settings: the sandbox limits (issue 2 item 4) and where things live on disk. One place, so the
// web app (via `welcome`), `msgbook run` and the graders all see the same numbers.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Limits } from '@msgbook/protocol';

/**
 * The repository root, found upwards from this module: it runs from sandbox-server/src, from the bundle in
 * sandbox-server/dist, or from one of the bundle's chunks, at different depths.
 */
export const REPO_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/**
 * Where a child process of the server starts: its TypeScript source through tsx when msgbook runs from sources
 * (tests), or its file in the esbuild bundle. The bundle's path comes from the root, not from this module's folder,
 * which differs between the bundle and its chunks.
 */
export function childEntry(source: URL, bundle: string): { file: string; execArgv: string[] } {
  if (import.meta.url.endsWith('.ts')) return { file: fileURLToPath(source), execArgv: ['--import', 'tsx'] };
  return { file: path.join(REPO_ROOT, 'sandbox-server', 'dist', `${bundle}.js`), execArgv: [] };
}

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'msgbook'
    ) {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`msgbook: no repository root above ${from}`);
  }
}

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
