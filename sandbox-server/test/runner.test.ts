// The run pipeline on its own: every limit ends a run with its own reason and message, Node's permission model
// confines the program with a clear explanation, and traces point at the learner's lines.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { startRun, type OutputStream, type RunSpec } from '../src/runner/run';
import { DEFAULT_LIMITS, REPO_ROOT } from '../src/config';

function run(source: string, over: Partial<RunSpec> = {}) {
  const chunks: [OutputStream, string][] = [];
  const handle = startRun(
    {
      files: [{ name: 'learner.ts', code: source }],
      timeLimitMs: 10_000,
      limits: DEFAULT_LIMITS,
      env: { GREETING: 'hi' },
      runRoot: path.join(REPO_ROOT, '.msgbook', 'test-runs'),
      nodeModules: path.join(REPO_ROOT, 'node_modules'),
      ...over,
    },
    (s, d) => chunks.push([s, d]),
  );
  const text = (s?: OutputStream) =>
    chunks
      .filter(([k]) => !s || k === s)
      .map(([, d]) => d)
      .join('');
  return { handle, text, done: handle.done };
}

describe('runner', () => {
  it('runs TypeScript and streams stdout with the injected environment', async () => {
    const r = run('const n: number = 6 * 7;\nconsole.log(process.env.GREETING, n);');
    const outcome = await r.done;
    expect(outcome).toMatchObject({ code: 0, signal: null });
    expect(outcome.reason).toBeUndefined();
    expect(r.text('stdout')).toMatch(/hi .*42/);
  });

  it('passes none of the server environment to the program', async () => {
    process.env.MSGBOOK_SECRET_FOR_TEST = 'leak';
    const r = run('console.log(JSON.stringify(Object.keys(process.env)))');
    await r.done;
    expect(r.text('stdout')).not.toContain('MSGBOOK_SECRET_FOR_TEST');
  });

  it('stops a run at its wall-clock limit and says so', async () => {
    const r = run('while (true) {}', { timeLimitMs: 1000 });
    const outcome = await r.done;
    expect(outcome.reason).toBe('time-limit');
    expect(outcome.message).toContain('time limit of 1 s');
    expect(outcome.durationMs).toBeGreaterThanOrEqual(1000);
  });

  it('stops a run that exhausts its heap and says so', async () => {
    const r = run('const keep: number[][] = []; for (;;) keep.push(new Array(100_000).fill(1));', {
      limits: { ...DEFAULT_LIMITS, heapMb: 48 },
    });
    const outcome = await r.done;
    expect(outcome.reason).toBe('memory-limit');
    expect(outcome.message).toContain('heap limit of 48 MB');
  });

  it('stops a run that prints too much, keeping exactly the allowed output', async () => {
    const r = run('for (;;) console.log("x".repeat(100));', {
      limits: { ...DEFAULT_LIMITS, outputBytes: 10_000 },
    });
    const outcome = await r.done;
    expect(outcome.reason).toBe('output-limit');
    expect(outcome.message).toContain('10 KB');
    expect(Buffer.byteLength(r.text())).toBe(10_000);
  });

  it('kills the whole process group on stop', async () => {
    const r = run('console.log("started"); setInterval(() => {}, 1000);');
    while (!r.text().includes('started')) await new Promise((res) => setTimeout(res, 10));
    r.handle.stop('stopped');
    const outcome = await r.done;
    expect(outcome).toMatchObject({ reason: 'stopped', signal: 'SIGKILL' });
  });

  it('refuses reading outside its folder, with a clear explanation', async () => {
    const r = run('import { readFileSync } from "node:fs";\nreadFileSync("/etc/passwd", "utf8");');
    const outcome = await r.done;
    expect(outcome.code).not.toBe(0);
    expect(r.text('stderr')).toContain('ERR_ACCESS_DENIED');
    expect(r.text('system')).toMatch(/read only its own folder.*refused: \/etc\/passwd/s);
  });

  it('refuses writing outside its temp folder, and allows writing inside it', async () => {
    const r = run(
      'import { writeFileSync } from "node:fs";\nimport os from "node:os";\n' +
        'writeFileSync(os.tmpdir() + "/ok.txt", "fine"); console.log("tmp ok");\n' +
        'writeFileSync(process.cwd() + "/../escape.txt", "no");',
    );
    await r.done;
    expect(r.text('stdout')).toContain('tmp ok');
    expect(r.text('system')).toContain('escape.txt');
  });

  it('refuses starting other processes', async () => {
    const r = run('import { execSync } from "node:child_process";\nexecSync("echo hacked");');
    const outcome = await r.done;
    expect(outcome.code).not.toBe(0);
    expect(r.text()).not.toContain('hacked');
    expect(r.text('stderr')).toContain('ERR_ACCESS_DENIED');
  });

  it('points stack traces at the learner file and lines', async () => {
    const r = run(
      'type T = { a: number };\nfunction fail(t: T): never {\n  throw new Error("boom " + t.a);\n}\nfail({ a: 1 });',
    );
    await r.done;
    expect(r.text('stderr')).toMatch(/learner\.ts:3:\d+/);
    expect(r.text('stderr')).not.toContain('.msgbook');
  });

  it('bundles a program of several files and maps traces to each', async () => {
    const r = run('', {
      files: [
        {
          name: 'main.ts',
          code: 'import { price } from "./pricing";\nconsole.log("total", price(2));\nprice(-1);',
        },
        {
          name: 'pricing.ts',
          code: 'export function price(n: number): number {\n  if (n < 0) throw new Error("negative");\n  return n * 3;\n}',
        },
      ],
    });
    await r.done;
    expect(r.text('stdout')).toMatch(/total .*6/);
    expect(r.text('stderr')).toMatch(/pricing\.ts:2:\d+/);
  });

  it('names a missing import among the program files', async () => {
    const r = run('import { x } from "./nope";\nconsole.log(x);');
    expect((await r.done).reason).toBe('compile-error');
    expect(r.text('stderr')).toContain('cannot find ./nope');
  });

  it('reports a syntax error as a compile error without starting node', async () => {
    const r = run('const = 3;');
    const outcome = await r.done;
    expect(outcome.reason).toBe('compile-error');
    expect(r.text('stderr')).toMatch(/learner\.ts:1:7: error: Expected identifier/);
  });
});

describe('self-check at start', () => {
  it('finds that a confined program loads the three clients and reaches an embedded broker', async () => {
    const { BrokerHost } = await import('../src/brokers/host');
    const { selfCheck } = await import('../src/cli/self-check');
    const host = new BrokerHost();
    await host.start();
    try {
      expect(await selfCheck(host)).toBeUndefined();
    } finally {
      await host.stop();
    }
  });
});
