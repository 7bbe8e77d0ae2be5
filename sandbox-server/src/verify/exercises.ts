// The exercise half of `msgbook verify` (Rustlings' `dev check`, in msgbook's terms): every exercise loads, its
// solution passes, its starter fails and has a TODO, no stray files sit in its folder, and every check has a wrong
// submission in wrong/ (first line `// fails: <check name>`) that makes exactly that check fail.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Results, Target } from '@msgbook/protocol';
import type { BrokerHost } from '../brokers/host';
import type { ExerciseStore, LoadedExercise } from '../grading/exercises';
import { grade } from '../grading/grade';
import { loadChecks } from '../grading/load-checks';

export interface ExerciseVerdict {
  exercise: string;
  what: string;
  ok: boolean;
  why?: string;
}

const ALLOWED = new Set(['README.md', 'starter.ts', 'exercise.json', 'checks.ts', 'wrong']);

export async function verifyExercises(
  store: ExerciseStore,
  opts: { target: Target; host?: BrokerHost; only?: string; onVerdict?: (v: ExerciseVerdict) => void },
): Promise<{ verdicts: ExerciseVerdict[]; problems: { path: string; message: string }[] }> {
  const { exercises, problems } = await store.all();
  const verdicts: ExerciseVerdict[] = [];
  const report = (v: ExerciseVerdict) => {
    verdicts.push(v);
    opts.onVerdict?.(v);
  };
  for (const ex of exercises) {
    if (opts.only && ex.json.id !== opts.only && ex.json.chapter !== opts.only) continue;
    await verifyOne(ex, opts, (what, why) =>
      report({ exercise: ex.json.id, what, ok: why === undefined, ...(why ? { why } : {}) }),
    );
  }
  return { verdicts, problems };
}

async function verifyOne(
  ex: LoadedExercise,
  opts: { target: Target; host?: BrokerHost },
  report: (what: string, why?: string) => void,
): Promise<void> {
  const run = (files: LoadedExercise['starter']) =>
    grade(ex, files, { target: opts.target, host: opts.host });
  const stray = (await readdir(ex.dir)).filter((f) => !ALLOWED.has(f) && !ex.json.files.includes(f));
  report(
    'no stray files',
    stray.length
      ? `unexpected ${stray.join(', ')}: list extra learner files in exercise.json files`
      : undefined,
  );
  report(
    'the starter has a TODO',
    ex.starter.some((f) => f.code.includes('TODO')) ? undefined : 'add a // TODO where the learner works',
  );

  if (!ex.solution) report('the solution passes', `missing solutions/${ex.json.id}/solution.ts`);
  else {
    const r = await run(ex.solution);
    report('the solution passes', r.status === 'pass' ? undefined : firstProblem(r));
  }
  const starter = await run(ex.starter);
  report(
    'the starter fails',
    starter.status === 'fail'
      ? undefined
      : `the starter ${starter.status === 'pass' ? 'passes' : `errs: ${starter.message}`}`,
  );

  const names = (await loadChecks(ex.checksFile)).checks.map((c) => c.name);
  const covered = new Set<string>();
  const wrongDir = path.join(ex.dir, 'wrong');
  for (const file of (await readdir(wrongDir).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    const code = await readFile(path.join(wrongDir, file), 'utf8');
    const claim = /^\/\/ fails: (.+)$/m.exec(code.split('\n')[0] ?? '')?.[1]?.trim();
    const what = `wrong/${file} fails its check`;
    if (!claim || !names.includes(claim)) {
      report(what, `its first line must be "// fails: <check name>", one of: ${names.join(' | ')}`);
      continue;
    }
    covered.add(claim);
    const files = [{ name: ex.json.files.length ? 'starter.ts' : file, code }, ...ex.starter.slice(1)];
    const r = await run(files);
    const test = r.tests.find((t) => t.name === claim);
    report(
      what,
      test?.status === 'fail'
        ? undefined
        : `"${claim}" ${test ? test.status : 'did not run'}${r.status === 'error' ? `: ${r.message}` : ''}`,
    );
  }
  for (const name of names) {
    report(
      `a wrong submission fails "${name}"`,
      covered.has(name) ? undefined : 'add one to wrong/ (first line: // fails: <check name>)',
    );
  }
}

function firstProblem(r: Results): string {
  if (r.status === 'error') return r.message ?? 'error';
  const t = r.tests.find((x) => x.status !== 'pass');
  return t ? `${t.name}: ${t.message}` : r.status;
}
