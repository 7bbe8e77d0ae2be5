// The CheckContext a check runs with: the learner's program started under the sandbox (same runner and limits as
// a snippet run), test services it talks to, and the grading run's brokers. Everything a check starts is stopped
// when it ends; the learner's output during the check is kept for the results.
import { stripVTControlCharacters } from 'node:util';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import path from 'node:path';
import type { BrokerKind, BrokerSnapshot, Endpoints, Limits } from '@msgbook/protocol';
import { CheckFailure, type CheckContext, type LearnerProgram, type TestService } from './api';
import { startRun } from '../runner/run';
import type { LearnerFile } from '../runner/transpile';
import { REPO_ROOT } from '../config';

export interface ContextOptions {
  files: LearnerFile[];
  endpoints: Endpoints;
  limits: Limits;
  timeLimitMs: number;
  serves: boolean;
  snapshot: (broker: BrokerKind) => Promise<BrokerSnapshot | null>;
  signal: AbortSignal;
  runRoot?: string;
}

export class GradingContext implements CheckContext {
  private cleanups: (() => void | Promise<void>)[] = [];
  private log = '';

  constructor(private readonly opts: ContextOptions) {}

  get endpoints(): Endpoints {
    return this.opts.endpoints;
  }

  get signal(): AbortSignal {
    return this.opts.signal;
  }

  /** The learner's output during this check. */
  output(): string {
    return this.log;
  }

  snapshot(broker: BrokerKind): Promise<BrokerSnapshot | null> {
    return this.opts.snapshot(broker);
  }

  assert(condition: unknown, message: string): asserts condition {
    if (!condition) throw new CheckFailure(message);
  }

  fail(message: string): never {
    throw new CheckFailure(message);
  }

  async waitFor(predicate: () => boolean | Promise<boolean>, ms: number, message: string): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await predicate())) {
      if (Date.now() > deadline || this.signal.aborted) this.fail(message);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  cleanup(fn: () => void | Promise<void>): void {
    this.cleanups.push(fn);
  }

  async dispose(): Promise<void> {
    for (const fn of this.cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
    this.cleanups = [];
  }

  async start(options: { env?: Record<string, string> } = {}): Promise<LearnerProgram> {
    const port = this.opts.serves ? await freePort() : 0;
    let text = '';
    const handle = startRun(
      {
        files: this.opts.files,
        timeLimitMs: this.opts.timeLimitMs,
        limits: this.opts.limits,
        env: { ...this.opts.endpoints, ...(port ? { PORT: String(port) } : {}), ...options.env },
        runRoot: this.opts.runRoot ?? path.join(REPO_ROOT, '.msgbook', 'runs'),
        nodeModules: path.join(REPO_ROOT, 'node_modules'),
      },
      (stream, raw) => {
        // Checks match and quote this text, and the page shows it in a <pre>: no terminal colours.
        const data = stripVTControlCharacters(raw);
        text += data;
        this.log += stream === 'system' ? `[sandbox] ${data}` : data;
      },
    );
    let ended = false;
    const exited = handle.done.then((o) => {
      ended = true;
      return { code: o.code, ...(o.reason ? { reason: o.reason } : {}) };
    });
    this.cleanup(async () => {
      handle.stop('stopped');
      await exited;
    });
    const program: LearnerProgram = {
      port,
      url: (p = '/') => `http://127.0.0.1:${port}${p}`,
      output: () => text,
      exited,
      waitForOutput: async (pattern, ms) => {
        await this.waitFor(
          () => pattern.test(text) || ended,
          ms,
          `expected the program to print ${pattern} within ${ms} ms`,
        );
        const m = pattern.exec(text);
        if (!m) this.fail(`the program ended without printing ${pattern}`);
        return m[0];
      },
      stop: async () => {
        handle.stop('stopped');
        await exited;
      },
    };
    if (port) {
      const deadline = Date.now() + Math.min(10_000, this.opts.timeLimitMs);
      for (;;) {
        if (await canConnect(port)) break;
        if (ended) {
          const o = await exited;
          this.fail(
            `the program ended (${o.reason ?? `exit code ${o.code}`}) before it listened on PORT (${port})`,
          );
        }
        if (Date.now() > deadline) this.fail(`the program did not listen on PORT (${port}) within 10 s`);
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    return program;
  }

  async httpService(handler: Parameters<CheckContext['httpService']>[0]): Promise<TestService> {
    const requests: TestService['requests'] = [];
    let abandoned = 0;
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      });
      res.on('close', () => {
        if (!res.writableFinished) abandoned++;
      });
      Promise.resolve(handler(req, res)).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const close = () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    this.cleanup(close);
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      requests,
      abandoned: () => abandoned,
      close,
    };
  }
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
