// Learner TypeScript → one ES module Node runs, with an inline source map so stack traces name the learner's own
// files and lines (design.md §4). A program may be several files importing each other (`./pricing`); they are
// bundled, while packages and node: built-ins stay imports. Types are stripped only: type errors are never fatal.
import { build, type Message, type Plugin } from 'esbuild';

export type TranspileResult = { ok: true; code: string } | { ok: false; message: string };

export interface LearnerFile {
  name: string;
  code: string;
}

/** A folder that exists nowhere: the learner's files live only in this plugin. */
const ROOT = '/msgbook-learner';

export async function transpile(files: LearnerFile[], entry: string): Promise<TranspileResult> {
  const byPath = new Map(files.map((f) => [`${ROOT}/${f.name}`, f.code]));
  const learnerFiles: Plugin = {
    name: 'learner-files',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return { path: `${ROOT}/${args.path}` };
        if (!args.path.startsWith('.')) return { path: args.path, external: true };
        const base = new URL(args.path, `file://${args.resolveDir}/`).pathname.replace(/\.(m?js|ts)$/, '');
        const found = [`${base}.ts`, base].find((p) => byPath.has(p));
        if (!found)
          return {
            errors: [
              {
                text: `cannot find ${args.path}: the program's files are ${files.map((f) => f.name).join(', ')}`,
              },
            ],
          };
        return { path: found };
      });
      b.onLoad({ filter: /.*/ }, (args) => ({
        contents: byPath.get(args.path)!,
        loader: 'ts',
        resolveDir: ROOT,
      }));
    },
  };
  try {
    const out = await build({
      entryPoints: [entry],
      absWorkingDir: ROOT,
      outfile: `${ROOT}/${entry.replace(/\.ts$/, '.mjs')}`,
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
      plugins: [learnerFiles],
    });
    return { ok: true, code: out.outputFiles[0]!.text };
  } catch (err) {
    const errors = (err as { errors?: Message[] }).errors;
    if (!errors) throw err;
    return { ok: false, message: errors.map(formatMessage).join('\n') };
  }
}

function formatMessage(m: Message): string {
  if (!m.location) return `error: ${m.text}`;
  const { file, line, column, lineText } = m.location;
  const name = file.replace(`${ROOT}/`, '').replace(/^learner-files:/, '');
  return `${name}:${line}:${column + 1}: error: ${m.text}\n  ${lineText}\n  ${' '.repeat(column)}^`;
}
