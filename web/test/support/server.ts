// Starts the real sandbox server (`msgbook start`) as a child process for the browser tests, on a free port or a
// given one, and reads its URL from the ready line. Stopping ends the whole process group it started (the server
// and its broker host), so no test leaves a process behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FIXTURE_CONTENT = path.join(REPO_ROOT, 'web', 'test', 'fixtures');

export interface TestServer {
  /** The ready line's URL, token included. */
  url: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/** `content` is a folder holding `chapters/`; undefined serves the repository's own chapters. */
export async function startServer(content: string | undefined, port = 0): Promise<TestServer> {
  const args = ['sandbox-server/bin/msgbook.mjs', 'start', ...(content ? ['--content', content] : [])];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server printed no ready line:\n${log}`)), 100_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const m = /msgbook ready at (http:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before it was ready:\n${log}`));
    });
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let stopping = false;
  // a server that dies under a test explains the failures that follow
  child.once('exit', (code, signal) => {
    if (!stopping) console.error(`msgbook server exited unexpectedly (${code ?? signal}):\n${log}`);
  });
  const stop = () => ((stopping = true), stopGroup(child));
  return { url, port: Number(new URL(url).port), output: () => log, stop };
}

/** Servers still running when the test process ends (a killed or crashed run) go with it. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is already gone
    }
  };
  kill('SIGTERM');
  const timer = setTimeout(() => kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  // the broker host may outlive the server by a moment
  kill('SIGKILL');
}
