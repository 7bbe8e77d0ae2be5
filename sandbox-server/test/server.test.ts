// The sandbox server as a browser or script meets it: HTTP content API, the token and Origin checks, validation
// of every websocket message (the server keeps serving after bad ones), runs streamed and stopped, limits per
// connection, runs killed when their connection closes, and the broker host restarted after a crash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startServer, type RunningServer } from '../src/server';
import { DEFAULT_LIMITS } from '../src/config';
import type { Chapter, ChapterList, Exercise } from '@msgbook/protocol';
import { TestClient } from './ws-client';

let server: RunningServer;
let wsUrl: string;
const fixtures = path.join(import.meta.dirname, 'fixtures');

beforeAll(async () => {
  server = await startServer({
    host: '127.0.0.1',
    port: 0,
    contentRoot: fixtures,
    limits: { ...DEFAULT_LIMITS, concurrentRuns: 2, runsPerMinute: 12 },
  });
  wsUrl = `ws://127.0.0.1:${server.port}/ws?token=${server.token}`;
});
afterAll(() => server?.close());

async function hello(sessionId = `s-${Math.random().toString(36).slice(2)}`): Promise<TestClient> {
  const c = await TestClient.open(wsUrl);
  c.send({ type: 'hello', sessionId });
  await c.next('welcome');
  return c;
}

const code = (src: string, name = 'main.ts') => ({ name, code: src });

describe('http', () => {
  it('serves the chapter list, a chapter and its images', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const list = (await (await fetch(`${base}/api/chapters`)).json()) as ChapterList;
    expect(list.chapters.map((c) => c.slug)).toContain('01-basics');
    const chapter = (await (await fetch(`${base}/api/chapters/01-basics`)).json()) as Chapter;
    expect(chapter.snippets[0]!.id).toBe('hello');
    expect((await fetch(`${base}/api/chapters/99-none`)).status).toBe(404);
    const svg = await fetch(`${base}/content/chapters/01-basics/diagram.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('refuses requests for a foreign Host (DNS rebinding)', async () => {
    const res = await new Promise<number>((resolve) => {
      import('node:http').then(({ get }) =>
        get(
          { host: '127.0.0.1', port: server.port, path: '/api/chapters', headers: { host: 'evil.example' } },
          (r) => resolve(r.statusCode ?? 0),
        ),
      );
    });
    expect(res).toBe(421);
  });
});

describe('websocket access', () => {
  it('closes a connection with a wrong token, with a code the page can explain', async () => {
    const c = await TestClient.open(`ws://127.0.0.1:${server.port}/ws?token=wrong`);
    expect((await c.closed).code).toBe(4401);
  });

  it('refuses an upgrade from a foreign Origin', async () => {
    await expect(TestClient.open(wsUrl, { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    const same = await TestClient.open(wsUrl, { origin: `http://127.0.0.1:${server.port}` });
    same.close();
  });
});

describe('message validation', () => {
  it('answers malformed, invalid and oversized messages with errors and keeps serving', async () => {
    const c = await TestClient.open(wsUrl);
    c.send('{not json');
    expect((await c.next('error')).code).toBe('invalid-message');
    c.send({ type: 'run-start', runId: '../../etc' } as never);
    await c.next('error', (m) => m.message.includes('runId'));
    c.send(JSON.stringify({ type: 'hello', sessionId: 'x', pad: 'y'.repeat(600 * 1024) }));
    expect((await c.next('error', (m) => m.code === 'message-too-large')).message).toContain('bytes');
    c.send({ type: 'run-start', runId: 'early', file: code('1') });
    expect((await c.next('error', (m) => m.runId === 'early')).code).toBe('not-ready');
    c.send({ type: 'hello', sessionId: 'valid-after-errors' });
    expect((await c.next('welcome')).limits.concurrentRuns).toBe(2);
    c.close();
  });
});

describe('runs', () => {
  it('streams a run and its exit', async () => {
    const c = await hello();
    c.send({
      type: 'run-start',
      runId: 'r1',
      file: code('const x: string = "out";\nconsole.log(x); console.error("err");'),
    });
    await c.next('run-started', (m) => m.runId === 'r1');
    const exit = await c.next('run-exit', (m) => m.runId === 'r1');
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.reason).toBeUndefined();
    expect(
      c.messages.some((m) => m.type === 'run-output' && m.stream === 'stderr' && m.data.includes('err')),
    ).toBe(true);
    expect(c.output('r1')).toContain('out');
    c.close();
  });

  it('takes the time limit from the chapter, not from the page', async () => {
    const c = await hello();
    const chapter = (await (
      await fetch(`http://127.0.0.1:${server.port}/api/chapters/01-basics`)
    ).json()) as Chapter;
    const slow = chapter.snippets.find((s) => s.id === 'slow')!;
    c.send({
      type: 'run-start',
      runId: 'slow',
      file: code(slow.code, 'slow.ts'),
      snippet: { chapter: '01-basics', snippet: 'slow' },
    });
    const exit = await c.next('run-exit', (m) => m.runId === 'slow');
    expect(exit.reason).toBe('time-limit');
    expect(exit.message).toContain('1.5 s');
    c.close();
  });

  it('stops a run on request', async () => {
    const c = await hello();
    c.send({ type: 'run-start', runId: 'loop', file: code('console.log("go"); while (true) {}') });
    await c.next('run-output', (m) => m.runId === 'loop');
    c.send({ type: 'run-stop', runId: 'loop' });
    expect((await c.next('run-exit', (m) => m.runId === 'loop')).reason).toBe('stopped');
    c.send({ type: 'run-stop', runId: 'loop' });
    expect((await c.next('error', (m) => m.code === 'unknown-run')).runId).toBe('loop');
    c.close();
  });

  it('limits concurrent runs per connection and refuses a duplicate run id', async () => {
    const c = await hello();
    const forever = code('setInterval(() => {}, 1000); console.log("up");');
    c.send({ type: 'run-start', runId: 'a', file: forever });
    c.send({ type: 'run-start', runId: 'a', file: forever });
    expect((await c.next('error', (m) => m.runId === 'a')).code).toBe('duplicate-run');
    c.send({ type: 'run-start', runId: 'b', file: forever });
    c.send({ type: 'run-start', runId: 'c', file: forever });
    const refused = await c.next('error', (m) => m.runId === 'c');
    expect(refused.code).toBe('too-many-runs');
    expect(refused.message).toContain('at most 2');
    c.close();
  });

  it('kills the runs of a connection that closes', async () => {
    const c = await hello();
    c.send({
      type: 'run-start',
      runId: 'orphan',
      file: code('console.log(`pid ${process.pid}`); setInterval(() => {}, 1000);'),
    });
    await c.next('run-output', (m) => m.runId === 'orphan' && /pid \d+/.test(m.data));
    const pid = Number(/pid (\d+)/.exec(c.output('orphan'))![1]);
    expect(alive(pid)).toBe(true);
    c.close();
    await c.closed;
    const deadline = Date.now() + 5000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(alive(pid)).toBe(false);
  });

  it('rate-limits runs per connection', async () => {
    const c = await hello();
    for (let i = 0; i < 12; i++) {
      c.send({ type: 'run-start', runId: `q${i}`, file: code('1') });
      await c.next('run-exit', (m) => m.runId === `q${i}`);
    }
    c.send({ type: 'run-start', runId: 'q12', file: code('1') });
    expect((await c.next('error', (m) => m.code === 'rate-limited')).message).toContain('12 runs a minute');
    c.close();
  });
});

describe('broker host', () => {
  it('is restarted after a crash, and the server learns which sessions lost their brokers', async () => {
    const c = await hello('crash-session');
    await server.host.ensure('crash-session', []);
    const before = server.host.pid!;
    const crashed = new Promise<string[]>((resolve) => server.host.once('crashed', resolve));
    process.kill(before, 'SIGKILL');
    expect(await crashed).toContain('crash-session');
    expect((await c.next('notice')).message).toContain('restarted');
    const deadline = Date.now() + 10_000;
    while (
      (server.host.pid === before ||
        !(await server.host.ensure('probe', []).then(
          () => true,
          () => false,
        ))) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(server.host.pid).not.toBe(before);
    c.close();
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('exercises over http and websocket', () => {
  it('lists exercises, shows one without its solution code, and grades streamed test by test', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const list = (await (await fetch(`${base}/api/exercises`)).json()) as {
      exercises: { id: string }[];
      problems: unknown[];
    };
    expect(list.exercises.map((e) => e.id)).toEqual(['01-greeter']);
    expect(list.problems).toHaveLength(1);
    const ex = (await (await fetch(`${base}/api/exercises/01-greeter`)).json()) as Exercise;
    expect(ex.files.map((f) => f.name)).toEqual(['starter.ts']);
    expect(ex.checks).toHaveLength(2);
    expect(JSON.stringify(ex)).not.toContain('NAME_URL}/name`)).text()');
    const solution = (await (await fetch(`${base}/api/exercises/01-greeter/solution`)).json()) as {
      files: { code: string }[];
    };
    expect(solution.files[0]!.code).toContain('fetch(');

    const c = await hello();
    c.send({
      type: 'grade-start',
      gradeId: 'g1',
      exercise: '01-greeter',
      files: [{ name: 'starter.ts', code: solution.files[0]!.code }],
    });
    const first = await c.next('grade-test', (m) => m.gradeId === 'g1' && m.index === 0);
    expect(first.test.status).toBe('pass');
    const done = await c.next('grade-done', (m) => m.gradeId === 'g1', 60_000);
    expect(done.results.status).toBe('pass');
    c.send({
      type: 'grade-start',
      gradeId: 'g2',
      exercise: '01-greeter',
      files: [{ name: 'other.ts', code: '' }],
    });
    expect((await c.next('error', (m) => m.runId === 'g2')).message).toContain('takes the files starter.ts');
    c.send({
      type: 'grade-start',
      gradeId: 'g3',
      exercise: '99-none',
      files: [{ name: 'starter.ts', code: '' }],
    });
    expect((await c.next('error', (m) => m.runId === 'g3')).code).toBe('unknown-exercise');
    c.close();
  });
});
