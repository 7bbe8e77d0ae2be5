// The page's weight budget: what a chapter loads up front stays small, and the editor (CodeMirror) and the
// terminal (xterm) stay in their own chunks, loaded on demand (environment.md measured 72 KiB gzip initial that
// way, 313 KiB eager). The browser test of the chapter list checks that they are not fetched early.
import { beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { REPO_ROOT } from './support/server';

const dist = path.join(REPO_ROOT, 'web', 'dist');
const INITIAL_BUDGET_KIB = 60;

beforeAll(() => {
  // builds only what is stale, as `npm start` does
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  expect(r.status).toBe(0);
});

describe('the built web app', () => {
  test(`loads at most ${INITIAL_BUDGET_KIB} KiB gzip up front, without the editor or the terminal`, () => {
    const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(initial.length).toBeGreaterThan(0);
    const bytes = initial
      .map((f) => gzipSync(readFileSync(path.join(dist, f))).length)
      .reduce((a, b) => a + b, 0);
    expect(bytes / 1024).toBeLessThan(INITIAL_BUDGET_KIB);
    for (const f of initial) {
      const code = readFileSync(path.join(dist, f), 'utf8');
      expect(code).not.toMatch(/cm-content|xterm-helper-textarea/);
    }
  });

  test('the editor and the terminal are chunks of their own', () => {
    const chunks = readdirSync(path.join(dist, 'assets'));
    expect(chunks.some((f) => /^codemirror-.*\.js$/.test(f))).toBe(true);
    expect(chunks.some((f) => /^xterm-.*\.js$/.test(f))).toBe(true);
  });
});
