// A test client speaking the real websocket protocol: collects every server message, validated by the shared
// schema, and waits for the ones a test expects (events, not sleeps).
import WebSocket from 'ws';
import { ServerMessage, type ClientMessage } from '@msgbook/protocol';

export class TestClient {
  readonly messages: ServerMessage[] = [];
  private waiters: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = ServerMessage.parse(JSON.parse(data.toString()));
      this.messages.push(msg);
      this.waiters = this.waiters.filter((w) => (w.match(msg) ? (w.resolve(msg), false) : true));
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    const ws = new WebSocket(url, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TestClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Opens a connection to a server on `port` and says hello as session `sessionId`. */
  static async session(port: number, token: string, sessionId: string): Promise<TestClient> {
    const c = await TestClient.open(`ws://127.0.0.1:${port}/ws?token=${token}`);
    c.send({ type: 'hello', sessionId });
    await c.next('welcome');
    return c;
  }

  /** Runs one program to its end: its exit message and everything it printed. */
  async run(runId: string, file: { name: string; code: string }) {
    this.send({ type: 'run-start', runId, file });
    const exit = await this.next('run-exit', (m) => m.runId === runId, 60_000);
    return { exit, output: this.output(runId) };
  }

  send(msg: ClientMessage | string): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  next<T extends ServerMessage['type']>(
    type: T,
    where: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    type M = Extract<ServerMessage, { type: T }>;
    const match = (m: ServerMessage): m is M => m.type === type && where(m as M);
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as M);
        },
      });
    });
  }

  output(runId: string): string {
    return this.messages
      .filter((m) => m.type === 'run-output' && m.runId === runId)
      .map((m) => (m.type === 'run-output' ? m.data : ''))
      .join('');
  }

  close(): void {
    this.ws.close();
  }
}
