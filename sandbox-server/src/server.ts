// The one HTTP server of `npm start` (design.md §1, §4): the built web app, the content API, chapter images, and
// the websocket sandbox at /ws, guarded by the launch token and an Origin/Host check against DNS rebinding.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Limits, Target } from '@msgbook/protocol';
import { BrokerHost } from './brokers/host';
import { ChapterStore } from './content/chapters';
import { ExerciseStore, publicView } from './grading/exercises';
import { loadChecks } from './grading/load-checks';
import { TypeChecker } from './grading/typecheck';
import { Connection } from './connection/connection';
import { Sessions } from './connection/sessions';
import { DEFAULT_LIMITS, REPO_ROOT } from './config';

export interface ServerOptions {
  host: string;
  port: number;
  /** Folder holding chapters/ (and later exercises/, solutions/); the repository by default. */
  contentRoot?: string;
  webRoot?: string;
  target?: Target;
  limits?: Limits;
  token?: string;
  runRoot?: string;
  /** Extra `Origin`s allowed to open the websocket (a workshop behind a proxy). */
  allowedOrigins?: string[];
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  host: BrokerHost;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const contentRoot = opts.contentRoot ?? REPO_ROOT;
  const webRoot = opts.webRoot ?? path.join(REPO_ROOT, 'web', 'dist');
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const chapters = new ChapterStore(path.join(contentRoot, 'chapters'));
  const exercises = new ExerciseStore(contentRoot);
  const typeChecker = new TypeChecker();
  const host = new BrokerHost();
  const hostReady = host.start();
  const sessions = new Sessions(host);
  const connections = new Set<Connection>();
  host.on('crashed', (lost) => {
    for (const c of connections) {
      if (c.session && lost.includes(c.session)) {
        c.send({
          type: 'notice',
          level: 'warning',
          message:
            'The embedded brokers restarted after a fault: topics, queues and subscriptions of this session are gone. Run the setup snippets again.',
        });
      }
    }
  });

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((err: Error) => {
      if (!res.headersSent) json(res, 500, { error: err.message });
      else res.destroy();
    });
  });
  let allowedHosts = new Set<string>();

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts.has(req.headers.host ?? '')) return json(res, 421, { error: 'unknown Host' });
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' });
    if (url.pathname === '/api/chapters') return json(res, 200, await chapters.list());
    const chapter = /^\/api\/chapters\/([^/]+)$/.exec(url.pathname);
    if (chapter) {
      const found = await chapters.get(decodeURIComponent(chapter[1]!));
      return found ? json(res, 200, found) : json(res, 404, { error: `no chapter ${chapter[1]}` });
    }
    if (url.pathname === '/api/exercises') {
      const all = await exercises.all();
      return json(res, 200, {
        exercises: all.exercises.map((e) => ({
          id: e.json.id,
          title: e.json.title,
          chapter: e.json.chapter,
        })),
        problems: all.problems,
      });
    }
    const exercise = /^\/api\/exercises\/([^/]+)(\/solution)?$/.exec(url.pathname);
    if (exercise) {
      const found = await exercises.get(decodeURIComponent(exercise[1]!));
      if (!found) return json(res, 404, { error: `no exercise ${exercise[1]}` });
      if (exercise[2]) return json(res, 200, { files: found.solution ?? [] });
      const names = await loadChecks(found.checksFile).then(
        (c) => c.checks.map((x) => x.name),
        () => [],
      );
      return json(res, 200, publicView(found, names));
    }
    const asset = /^\/content\/chapters\/(\d\d-[a-z0-9-]+)\/([A-Za-z0-9._-]+\.(?:svg|png))$/.exec(
      url.pathname,
    );
    if (asset) return file(res, path.join(contentRoot, 'chapters', asset[1]!, asset[2]!), false);
    if (url.pathname.startsWith('/api/')) return json(res, 404, { error: 'not found' });
    const rel = path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    const target = path.join(webRoot, rel);
    if (!target.startsWith(webRoot)) return json(res, 404, { error: 'not found' });
    const info = await stat(target).catch(() => undefined);
    if (info?.isFile()) return file(res, target, rel.startsWith('/assets/'));
    return file(res, path.join(webRoot, 'index.html'), false);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const origin = req.headers.origin;
    const originOk =
      origin === undefined ||
      (opts.allowedOrigins ?? []).includes(origin) ||
      [...allowedHosts].some((h) => origin === `http://${h}` || origin === `https://${h}`);
    if (url.pathname !== '/ws' || !allowedHosts.has(req.headers.host ?? '') || !originOk) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (!sameToken(url.searchParams.get('token') ?? '', token)) {
        ws.close(4401, 'invalid token: open the URL printed by npm start');
        return;
      }
      const c = new Connection(ws, {
        host,
        sessions,
        chapters,
        exercises,
        typeChecker,
        limits: opts.limits ?? DEFAULT_LIMITS,
        defaultTarget: opts.target ?? 'embedded',
        runRoot: opts.runRoot,
      });
      connections.add(c);
      ws.on('close', () => connections.delete(c));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  allowedHosts = new Set([`${shown}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
  await hostReady;
  // Warm the type checker while the learner opens the page: the first check parses the libraries' types.
  void typeChecker.check([{ name: 'warm.ts', code: 'export {};' }]);
  return {
    url: `http://${shown}:${port}/?token=${token}`,
    port,
    token,
    host,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      sessions.dispose();
      typeChecker.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await host.stop();
    },
  };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(data);
}

async function file(res: ServerResponse, target: string, immutable: boolean): Promise<void> {
  let data: Buffer;
  try {
    data = await readFile(target);
  } catch {
    return json(res, 404, { error: 'not found (is the web app built? run npm start)' });
  }
  res.writeHead(200, {
    'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(data);
}
