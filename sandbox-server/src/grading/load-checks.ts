// Loads an exercise's trusted checks.ts: bundled by esbuild (its imports of the grading API inlined, packages left
// to node_modules) into a cache file and imported, then checked for the shape `defineChecks` gives.
import { build } from 'esbuild';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExerciseChecks } from './api';
import { REPO_ROOT } from '../config';

export async function loadChecks(
  checksFile: string,
  cacheDir = path.join(REPO_ROOT, '.msgbook', 'checks'),
): Promise<ExerciseChecks> {
  const { mtimeMs } = await stat(checksFile);
  const id = path.basename(path.dirname(checksFile));
  const out = path.join(cacheDir, `${id}-${Math.round(mtimeMs)}.mjs`);
  await mkdir(cacheDir, { recursive: true });
  if (
    !(await stat(out).then(
      () => true,
      () => false,
    ))
  ) {
    await build({
      entryPoints: [checksFile],
      outfile: out,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      logLevel: 'silent',
      plugins: [
        {
          name: 'externals',
          setup(b) {
            b.onResolve({ filter: /^[^./]/ }, (args) =>
              args.path.startsWith('@msgbook/') ? undefined : { path: args.path, external: true },
            );
          },
        },
      ],
    });
  }
  const mod = (await import(pathToFileURL(out).href)) as { default?: ExerciseChecks };
  const checks = mod.default?.checks;
  if (
    !Array.isArray(checks) ||
    checks.length === 0 ||
    checks.some((c) => typeof c?.name !== 'string' || typeof c.run !== 'function')
  ) {
    throw new Error(
      `${path.relative(REPO_ROOT, checksFile)}: the default export must be defineChecks({ checks: [{ name, run }, …] })`,
    );
  }
  return { checks };
}
