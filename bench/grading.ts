// Grading time of each exercise's reference solution (issue 8 item 7): p50 and p95 over 10 gradings, from the
// `msgbook grade` command a learner or instructor runs (its own process each time, so start-up counts), against
// `msgbook run` of a one-line snippet as the anchor measured in the same run.
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExerciseStore } from '../sandbox-server/src/grading/exercises';
import { cleanEnv, percentile, type Row } from './lib';

const RUNS = 10;

function time(root: string, args: string[]): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'sandbox-server/bin/msgbook.mjs'), ...args], {
    stdio: 'ignore',
    env: cleanEnv(),
  });
  return new Promise((resolve) => child.on('close', () => resolve(performance.now() - t0)));
}

export async function benchGrading(root: string): Promise<Row[]> {
  const { exercises } = await new ExerciseStore(root).all();
  const one = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'one.ts');
  writeFileSync(one, 'console.log("hello");\n');
  const rows: Row[] = [];
  for (const ex of exercises.filter((e) => e.solution && e.json.files.length === 0)) {
    const solution = path.join(root, 'solutions', ex.json.id, 'solution.ts');
    const grades: number[] = [];
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      grades.push(await time(root, ['grade', ex.json.id, '--file', solution, '--json']));
      runs.push(await time(root, ['run', one]));
    }
    rows.push({
      bench: `grading ${ex.json.id}'s solution (${RUNS} runs, msgbook grade)`,
      subject: `p50 ${percentile(grades, 50).toFixed(0)} ms, p95 ${percentile(grades, 95).toFixed(0)} ms`,
      anchor: `msgbook run of one line: p50 ${percentile(runs, 50).toFixed(0)} ms`,
      ratio: (percentile(grades, 50) / percentile(runs, 50)).toFixed(2),
      target: '< 3 s',
    });
  }
  return rows;
}
