// Grading time of each exercise's reference solution (issue 8 item 7), as a learner meets it: Check in the page,
// i.e. `grade-start` on the websocket of a `msgbook start` in its own process, until `grade-done`; p50 and p95
// over 10 gradings, with a one-line run on the same connection as the anchor. Also the cold `msgbook grade`
// command (a process of its own each time, TypeScript's checker started from nothing) for instructors' scripts.
import { spawn } from 'node:child_process';
import path from 'node:path';
import WebSocket from 'ws';
import { ServerMessage } from '@msgbook/protocol';
import { ExerciseStore } from '../sandbox-server/src/grading/exercises';
import { cleanEnv, percentile, startMsgbook, type Row } from './lib';

const RUNS = 10;

function connect(url: string) {
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/ws?token=${u.searchParams.get('token')}`);
  const listeners = new Set<(m: ServerMessage) => void>();
  ws.on('message', (d) => {
    const m = ServerMessage.parse(JSON.parse(d.toString()));
    for (const l of listeners) l(m);
  });
  let n = 0;
  const until = <T>(send: object, pick: (m: ServerMessage) => T | undefined) =>
    new Promise<T>((resolve, reject) => {
      const l = (m: ServerMessage) => {
        if (m.type === 'error') reject(new Error(m.message));
        const v = pick(m);
        if (v !== undefined) {
          listeners.delete(l);
          resolve(v);
        }
      };
      listeners.add(l);
      ws.send(JSON.stringify(send));
    });
  return {
    ready: new Promise<void>((r) => ws.once('open', () => r())).then(() =>
      until({ type: 'hello', sessionId: 'bench-grading' }, (m) => (m.type === 'welcome' ? true : undefined)),
    ),
    async grade(
      exercise: string,
      files: { name: string; code: string }[],
    ): Promise<{ ms: number; status: string }> {
      const gradeId = `g${++n}`;
      const t0 = performance.now();
      const status = await until({ type: 'grade-start', gradeId, exercise, files }, (m) =>
        m.type === 'grade-done' && m.gradeId === gradeId ? m.results.status : undefined,
      );
      return { ms: performance.now() - t0, status };
    },
    async run(): Promise<number> {
      const runId = `r${++n}`;
      const t0 = performance.now();
      const file = { name: 'one.ts', code: 'console.log("hello");' };
      await until({ type: 'run-start', runId, file }, (m) =>
        m.type === 'run-exit' && m.runId === runId ? true : undefined,
      );
      return performance.now() - t0;
    },
    close: () => ws.close(),
  };
}

function cliGrade(root: string, id: string): Promise<number> {
  const t0 = performance.now();
  const args = [
    path.join(root, 'sandbox-server/bin/msgbook.mjs'),
    'grade',
    id,
    '--file',
    path.join(root, 'solutions', id, 'solution.ts'),
    '--json',
  ];
  const child = spawn(process.execPath, args, { stdio: 'ignore', env: cleanEnv() });
  return new Promise((resolve) => child.on('close', () => resolve(performance.now() - t0)));
}

export async function benchGrading(root: string): Promise<Row[]> {
  const { exercises } = await new ExerciseStore(root).all();
  const server = await startMsgbook(root, ['start']);
  const client = connect(server.url);
  await client.ready;
  const rows: Row[] = [];
  try {
    for (const ex of exercises.filter((e) => e.solution)) {
      const files = ex.solution!.map((f, i) => ({ name: i === 0 ? 'starter.ts' : f.name, code: f.code }));
      await client.grade(ex.json.id, files); // warm-up: the checks' bundle, the type checker
      const grades: number[] = [];
      const runs: number[] = [];
      const cli: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const g = await client.grade(ex.json.id, files);
        if (g.status !== 'pass') throw new Error(`${ex.json.id}'s solution did not pass (${g.status})`);
        grades.push(g.ms);
        runs.push(await client.run());
        if (i < 3) cli.push(await cliGrade(root, ex.json.id));
      }
      rows.push({
        bench: `grading ${ex.json.id}'s solution: Check in the page (${RUNS} runs)`,
        subject: `p50 ${percentile(grades, 50).toFixed(0)} ms, p95 ${percentile(grades, 95).toFixed(0)} ms; cold \`msgbook grade\` p50 ${percentile(cli, 50).toFixed(0)} ms (3 runs)`,
        anchor: `one-line run: p50 ${percentile(runs, 50).toFixed(0)} ms`,
        ratio: (percentile(grades, 50) / percentile(runs, 50)).toFixed(1),
        target: '< 3 s',
      });
    }
  } finally {
    client.close();
    await server.stop();
  }
  return rows;
}
