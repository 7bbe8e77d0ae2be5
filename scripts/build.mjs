// Builds what `npm start`, `msgbook` and the tests run, skipping what is up to date: the server and broker host
// bundled by esbuild (workspace packages inlined, npm dependencies left to node_modules), and the web app by Vite.
// `node scripts/build.mjs` builds both; the `msgbook` bin imports `ensureBuilt` to build on first use.
import { build } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const serverDist = path.join(root, 'sandbox-server', 'dist');
const webDist = path.join(root, 'web', 'dist');

function newest(paths) {
  let t = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const e of readdirSync(p)) if (e !== 'node_modules' && e !== 'dist') walk(path.join(p, e));
    } else t = Math.max(t, s.mtimeMs);
  };
  paths.forEach((p) => walk(path.join(root, p)));
  return t;
}

function mtime(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

const serverSources = ['sandbox-server/src', 'protocol/src', 'brokers', 'package-lock.json'];
const webSources = ['web/src', 'web/index.html', 'web/vite.config.ts', 'protocol/src', 'package-lock.json'];

export async function buildServer({ force = false } = {}) {
  const out = path.join(serverDist, 'msgbook.js');
  if (!force && mtime(out) > newest(serverSources)) return false;
  await build({
    entryPoints: {
      msgbook: path.join(root, 'sandbox-server/src/cli/main.ts'),
      'broker-host': path.join(root, 'sandbox-server/src/brokers/host-main.ts'),
      typecheck: path.join(root, 'sandbox-server/src/grading/typecheck-main.ts'),
    },
    outdir: serverDist,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // Separate chunks for dynamic imports, so the broker host loads a broker (and its packages) only when used.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [
      {
        // Workspace packages (@msgbook/*) are TypeScript sources: bundle them. Everything else stays external.
        name: 'externals',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@msgbook/') ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  return true;
}

export function buildWeb({ force = false } = {}) {
  if (!existsSync(path.join(root, 'web', 'vite.config.ts'))) return false;
  if (!force && mtime(path.join(webDist, 'index.html')) > newest(webSources)) return false;
  const r = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'web/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) throw new Error('the web app did not build (see above)');
  return true;
}

export async function ensureBuilt({ web }) {
  await buildServer();
  if (web) buildWeb();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const force = process.argv.includes('--force');
  await buildServer({ force });
  buildWeb({ force });
}
