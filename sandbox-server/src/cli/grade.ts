// `msgbook grade EXERCISE [--file F] [--json]` grades one submission: a readable report, or the results JSON of
// design.md §5; exit code 0 pass, 1 fail, 2 error. `--dir DIR [--csv OUT]` grades a class: every `.ts` file or
// folder in DIR is one learner's submission, graded in turn with progress shown, each results JSON written beside
// it, then a table and a CSV summary.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Target, type Results } from '@msgbook/protocol';
import { BrokerHost } from '../brokers/host';
import { ExerciseStore, type LoadedExercise } from '../grading/exercises';
import { grade } from '../grading/grade';
import { TypeChecker } from '../grading/typecheck';
import type { LearnerFile } from '../runner/transpile';
import { REPO_ROOT } from '../config';

export async function runGrade(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      file: { type: 'string' },
      dir: { type: 'string' },
      csv: { type: 'string' },
      json: { type: 'boolean' },
      target: { type: 'string' },
      content: { type: 'string' },
    },
  });
  const id = positionals[0];
  if (!id) throw new Error('name the exercise, e.g. msgbook grade 01-checkout-deadline');
  const store = new ExerciseStore(values.content ? path.resolve(values.content) : REPO_ROOT);
  const loaded = await store.load(id);
  if ('problem' in loaded) throw new Error(`${loaded.problem.path}: ${loaded.problem.message}`);
  const ex = loaded.exercise;
  const target = Target.parse(values.target ?? process.env.MSGBOOK_TARGET ?? 'embedded');
  const host = target === 'embedded' && ex.json.brokers.length ? new BrokerHost() : undefined;
  await host?.start();
  const typeChecker = new TypeChecker();
  try {
    if (values.dir)
      return await gradeClass(ex, path.resolve(values.dir), values.csv, target, host, typeChecker);
    const files = values.file ? await readSubmission(ex, path.resolve(values.file)) : ex.starter;
    const results = await grade(ex, files, {
      target,
      host,
      typeChecker,
      onTest: values.json ? undefined : (t) => console.log(`${t.status === 'pass' ? '✓' : '✗'} ${t.name}`),
    });
    if (values.json) console.log(JSON.stringify(results, null, 2));
    else report(results);
    process.exitCode = exitCode(results);
  } finally {
    typeChecker.stop();
    await host?.stop();
  }
}

function exitCode(r: Results): number {
  return r.status === 'pass' ? 0 : r.status === 'fail' ? 1 : 2;
}

function report(r: Results): void {
  const firstFail = r.tests.find((t) => t.status !== 'pass');
  if (r.status === 'error') console.log(`\nerror: ${r.message}`);
  if (firstFail) {
    console.log(`\nFirst failing check: ${firstFail.name}\n  ${firstFail.message?.replace(/\n/g, '\n  ')}`);
    if (firstFail.output)
      console.log(`  Your program printed:\n    ${firstFail.output.trimEnd().replace(/\n/g, '\n    ')}`);
  }
  for (const w of r.warnings ?? []) console.log(`warning: ${w.file}:${w.line}:${w.column}: ${w.message}`);
  const passed = r.tests.filter((t) => t.status === 'pass').length;
  console.log(
    `\n${r.exercise}: ${r.status} (${passed}/${r.tests.length} checks passed, ${(r.durationMs / 1000).toFixed(1)} s)`,
  );
}

/** A submission is a .ts file (single-file exercises) or a folder with starter.ts and the extra files. */
export async function readSubmission(ex: LoadedExercise, p: string): Promise<LearnerFile[]> {
  const info = await stat(p);
  if (info.isFile()) {
    if (ex.json.files.length)
      throw new Error(
        `${ex.json.id} has several files (${['starter.ts', ...ex.json.files].join(', ')}): give a folder`,
      );
    return [{ name: path.basename(p), code: await readFile(p, 'utf8') }];
  }
  const files: LearnerFile[] = [];
  for (const name of ['starter.ts', ...ex.json.files]) {
    const code = await readFile(path.join(p, name), 'utf8').catch(() => undefined);
    // A missing extra file means the learner left it as it was.
    files.push({ name, code: code ?? ex.starter.find((f) => f.name === name)!.code });
  }
  if (
    !(await stat(path.join(p, 'starter.ts')).then(
      () => true,
      () => false,
    ))
  )
    throw new Error(`${p}: no starter.ts`);
  return files;
}

async function gradeClass(
  ex: LoadedExercise,
  dir: string,
  csv: string | undefined,
  target: Target,
  host: BrokerHost | undefined,
  typeChecker: TypeChecker,
) {
  const entries = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => (e.isFile() && e.name.endsWith('.ts')) || e.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name));
  const rows: { learner: string; r: Results }[] = [];
  for (const [i, e] of entries.entries()) {
    const learner = e.isFile() ? e.name.replace(/\.ts$/, '') : e.name;
    process.stderr.write(`[${i + 1}/${entries.length}] ${learner}… `);
    const p = path.join(dir, e.name);
    let r: Results;
    try {
      r = await grade(ex, await readSubmission(ex, p), { target, host, typeChecker });
    } catch (err) {
      r = {
        version: 1,
        exercise: ex.json.id,
        status: 'error',
        message: (err as Error).message,
        durationMs: 0,
        tests: [],
      };
    }
    process.stderr.write(`${r.status}\n`);
    await writeFile(
      e.isFile() ? p.replace(/\.ts$/, '.results.json') : path.join(p, 'results.json'),
      JSON.stringify(r, null, 2) + '\n',
    );
    rows.push({ learner: e.name, r });
  }
  const width = Math.max(7, ...rows.map((x) => x.learner.length));
  console.log(`${'learner'.padEnd(width)}  status  passed  duration`);
  for (const { learner, r } of rows) {
    const passed = r.tests.filter((t) => t.status === 'pass').length;
    console.log(
      `${learner.padEnd(width)}  ${r.status.padEnd(6)}  ${`${passed}/${r.tests.length}`.padEnd(6)}  ${(r.durationMs / 1000).toFixed(1)} s`,
    );
  }
  const summary = ['file,status,passed,total,duration_ms']
    .concat(
      rows.map(({ learner, r }) =>
        [
          learner,
          r.status,
          r.tests.filter((t) => t.status === 'pass').length,
          r.tests.length,
          r.durationMs,
        ].join(','),
      ),
    )
    .join('\n');
  await writeFile(csv ?? path.join(dir, 'summary.csv'), summary + '\n');
  process.exitCode = rows.some((x) => x.r.status === 'error')
    ? 2
    : rows.some((x) => x.r.status === 'fail')
      ? 1
      : 0;
}
