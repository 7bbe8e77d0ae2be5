// Sandbox latency (issue 2 item 10): from a run request on the websocket to the first output byte and to the exit,
// against a bare `node -e` spawn measured in the same run as the floor. The server runs in its own process (started
// like `npm start`); runs alternate with bare spawns so both see the same machine. Also: time to ready of a
// `msgbook start` on a built tree.
import { spawn } from 'node:child_process';
import path from 'node:path';
import WebSocket from 'ws';
import { ServerMessage } from '@msgbook/protocol';
import { cleanEnv, percentile, ratioSummary, startMsgbook, type Row } from './lib';

const ROUNDS = 5;
const PER_ROUND = 10;

async function bareSpawn(): Promise<{ first: number; exit: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['-e', 'console.log("hello")'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: cleanEnv(),
  });
  let first = 0;
  child.stdout.once('data', () => (first = performance.now() - t0));
  await new Promise((r) => child.on('close', r));
  return { first, exit: performance.now() - t0 };
}

function sandboxRunner(url: string) {
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/ws?token=${u.searchParams.get('token')}`);
  const listeners = new Set<(m: ServerMessage) => void>();
  ws.on('message', (d) => {
    const m = ServerMessage.parse(JSON.parse(d.toString()));
    for (const l of listeners) l(m);
  });
  let n = 0;
  return {
    ready: new Promise<void>((resolve) =>
      ws.once('open', () => {
        ws.send(JSON.stringify({ type: 'hello', sessionId: 'bench' }));
        resolve();
      }),
    ),
    run(): Promise<{ first: number; exit: number }> {
      const runId = `b${++n}`;
      const t0 = performance.now();
      let first = 0;
      return new Promise((resolve, reject) => {
        const l = (m: ServerMessage) => {
          if (m.type === 'run-output' && m.runId === runId && !first) first = performance.now() - t0;
          if (m.type === 'error' && m.runId === runId) reject(new Error(m.message));
          if (m.type === 'run-exit' && m.runId === runId) {
            listeners.delete(l);
            resolve({ first, exit: performance.now() - t0 });
          }
        };
        listeners.add(l);
        ws.send(
          JSON.stringify({
            type: 'run-start',
            runId,
            file: { name: 'one.ts', code: 'console.log("hello");' },
          }),
        );
      });
    },
    close: () => ws.close(),
  };
}

export async function benchSandbox(root: string): Promise<Row[]> {
  const server = await startMsgbook(root, ['start']);
  const runner = sandboxRunner(server.url);
  await runner.ready;
  await runner.run(); // warm-up: esbuild's service, the page cache
  await bareSpawn();
  const sandbox: { first: number; exit: number }[] = [];
  const bare: { first: number; exit: number }[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const s: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < PER_ROUND; i++) {
      const a = await runner.run();
      const c = await bareSpawn();
      sandbox.push(a);
      bare.push(c);
      s.push(a.first);
      b.push(c.first);
    }
    ratios.push(percentile(s, 50) / percentile(b, 50));
  }
  runner.close();
  await server.stop();

  const starts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const p = await startMsgbook(root, ['start']);
    starts.push(performance.now() - t0);
    await p.stop();
  }
  const ms = (xs: number[], p: number) => `${percentile(xs, p).toFixed(0)} ms`;
  return [
    {
      bench: 'sandbox: run request → first output (50 runs)',
      subject: `p50 ${ms(
        sandbox.map((x) => x.first),
        50,
      )}, p95 ${ms(
        sandbox.map((x) => x.first),
        95,
      )}`,
      anchor: `bare node -e: p50 ${ms(
        bare.map((x) => x.first),
        50,
      )}, p95 ${ms(
        bare.map((x) => x.first),
        95,
      )}`,
      ratio: ratioSummary(ratios),
      target: '≤ 1.5 at p50',
    },
    {
      bench: 'sandbox: run request → exit (50 runs)',
      subject: `p50 ${ms(
        sandbox.map((x) => x.exit),
        50,
      )}, p95 ${ms(
        sandbox.map((x) => x.exit),
        95,
      )}`,
      anchor: `bare node -e: p50 ${ms(
        bare.map((x) => x.exit),
        50,
      )}, p95 ${ms(
        bare.map((x) => x.exit),
        95,
      )}`,
      ratio: (
        percentile(
          sandbox.map((x) => x.exit),
          50,
        ) /
        percentile(
          bare.map((x) => x.exit),
          50,
        )
      ).toFixed(2),
      target: '',
    },
    {
      bench: 'msgbook start on a built tree → ready line (5 starts)',
      subject: `p50 ${ms(starts, 50)}, max ${ms(starts, 100)}`,
      anchor: '',
      ratio: '',
      target: '≤ 2000 ms',
    },
  ];
}

export const root = path.resolve(import.meta.dirname, '..');
