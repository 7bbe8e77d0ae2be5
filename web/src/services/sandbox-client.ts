// The page's one connection to the sandbox (design.md §4): token and session id, hello/welcome, runs keyed by id,
// target switching, and reconnection with backoff. Provided to elements with @lit/context from <mb-app>.
// A lost connection ends every run and grading it carried (the server kills them), so listeners are told.
import { createContext } from '@lit/context';
import {
  ServerMessage,
  type BrokerHealth,
  type ClientMessage,
  type Limits,
  type RunExitMessage,
  type SourceFile,
} from '@msgbook/protocol/messages';
import type { Results, TestResult } from '@msgbook/protocol/exercise';
import type { Target } from '@msgbook/protocol/common';

/** `refused`: the server turned the token down; reconnecting would not help. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'refused' | 'no-token';

export interface RunListener {
  started(target: Target): void;
  output(stream: 'stdout' | 'stderr' | 'system', data: string): void;
  exit(exit: RunExitMessage): void;
  /** The connection dropped while the run was live; no exit will come. */
  interrupted(): void;
  /** The server refused or failed the run (rate limit, too many runs, …). */
  failed(message: string): void;
}

/** One grading of an exercise (design.md §5): each check as it completes, then the whole results. */
export interface GradeListener {
  test(index: number, test: TestResult): void;
  done(results: Results): void;
  /** Refused, failed on the server, or cut off by a lost connection: no results will come. */
  failed(message: string): void;
}

/** A session-wide message from the server (a broker host restart, a shutdown). */
export interface SandboxNotice {
  level: 'info' | 'warning';
  message: string;
}

export interface SnippetRef {
  chapter: string;
  snippet: string;
}

/** Close code the server uses to refuse a token (HTTP 401 on upgrade shows up as a failed first connect). */
const TOKEN_REFUSED = 4401;
const TOKEN_KEY = 'msgbook:token';
const SESSION_KEY = 'msgbook:session';
const TARGET_KEY = 'msgbook:target';
const MAX_BACKOFF_MS = 8000;

export const sandboxContext = createContext<SandboxClient>('msgbook-sandbox-client');

export class SandboxClient extends EventTarget {
  state: ConnectionState = 'connecting';
  target: Target | undefined;
  brokers: BrokerHealth[] = [];
  limits: Limits | undefined;
  notice: SandboxNotice | undefined;
  readonly token: string | null;
  readonly sessionId: string;
  private socket: WebSocket | undefined;
  private runs = new Map<string, RunListener>();
  private grades = new Map<string, GradeListener>();
  private attempt = 0;
  /** Consecutive failed upgrades while the HTTP side answered. */
  private upgradeFailures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly base: URL = new URL(location.href)) {
    super();
    this.token = takeToken();
    this.sessionId = sessionId();
  }

  /** Opens the connection; state changes are announced as `change` events. */
  connect(): void {
    if (!this.token) return this.setState('no-token');
    this.closed = false;
    this.open();
  }

  dispose(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.socket?.close();
  }

  /** Headers for the HTTP API, which takes the same launch token as the websocket. */
  authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  /** Starts a run; returns its id, or undefined (and tells the listener why) when it cannot be sent. */
  run(file: SourceFile, snippet: SnippetRef | undefined, listener: RunListener): string | undefined {
    const runId = `r-${randomId()}`;
    if (!this.send({ type: 'run-start', runId, file, ...(snippet ? { snippet } : {}) })) {
      listener.failed('Not connected to the sandbox.');
      return undefined;
    }
    this.runs.set(runId, listener);
    return runId;
  }

  /** Grades the learner's files (starter.ts first, then the exercise's other files); returns the grading's id. */
  grade(exercise: string, files: SourceFile[], listener: GradeListener): string | undefined {
    const gradeId = `g-${randomId()}`;
    if (!this.send({ type: 'grade-start', gradeId, exercise, files })) {
      listener.failed('Not connected to the sandbox.');
      return undefined;
    }
    this.grades.set(gradeId, listener);
    return gradeId;
  }

  dismissNotice(): void {
    this.notice = undefined;
    this.changed();
  }

  stop(runId: string): void {
    this.send({ type: 'run-stop', runId });
  }

  /** The choice is kept for this tab and sent again after a reconnect: the server's default may differ. */
  setTarget(target: Target): void {
    sessionStorage.setItem(TARGET_KEY, target);
    this.send({ type: 'set-target', target });
  }

  private send(message: ClientMessage): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  private open(): void {
    const url = new URL('ws', this.base);
    url.protocol = this.base.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = `?token=${encodeURIComponent(this.token!)}`;
    url.hash = '';
    const socket = new WebSocket(url);
    let opened = false;
    this.socket = socket;
    socket.addEventListener('open', () => {
      opened = true;
      this.upgradeFailures = 0;
      socket.send(JSON.stringify({ type: 'hello', sessionId: this.sessionId } satisfies ClientMessage));
    });
    socket.addEventListener('message', (e) => this.receive(e.data));
    socket.addEventListener('close', (e) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.interruptRuns();
      if (this.closed) return;
      if (e.code === TOKEN_REFUSED) return this.setState('refused');
      if (!opened) void this.probeRefusal();
      else this.retry();
    });
  }

  /**
   * A refused upgrade (HTTP 401/403: token or Origin) reads as a plain failure in the browser. If the same server
   * answers HTTP while its websocket fails twice running, it is refusing us; if it answers nothing, it is down.
   */
  private async probeRefusal(): Promise<void> {
    try {
      const url = new URL('ws', this.base);
      url.search = `?token=${encodeURIComponent(this.token!)}`;
      const res = await fetch(url, { cache: 'no-store' });
      if (res.status === 401 || res.status === 403) return this.setState('refused');
      if (++this.upgradeFailures >= 2) return this.setState('refused');
    } catch {
      this.upgradeFailures = 0;
    }
    this.retry();
  }

  private retry(): void {
    this.setState('reconnecting');
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt++;
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private receive(raw: unknown): void {
    let parsed;
    try {
      parsed = ServerMessage.safeParse(JSON.parse(String(raw)));
    } catch {
      return;
    }
    if (!parsed.success) return console.warn('msgbook: ignored an invalid server message', parsed.error);
    const m = parsed.data;
    switch (m.type) {
      case 'notice':
        this.notice = { level: m.level, message: m.message };
        return this.changed();
      case 'welcome': {
        this.attempt = 0;
        this.target = m.target;
        this.limits = m.limits;
        const chosen = chosenTarget();
        if (chosen && chosen !== m.target) this.send({ type: 'set-target', target: chosen });
        return this.setState('open');
      }
      case 'target-status':
        this.target = m.target;
        this.brokers = m.brokers;
        return this.changed();
      case 'run-started':
        return this.runs.get(m.runId)?.started(m.target);
      case 'run-output':
        return this.runs.get(m.runId)?.output(m.stream, m.data);
      case 'run-exit': {
        const listener = this.runs.get(m.runId);
        this.runs.delete(m.runId);
        return listener?.exit(m);
      }
      case 'error': {
        if (!m.runId) return console.warn(`msgbook: sandbox error ${m.code}: ${m.message}`);
        const grading = this.grades.get(m.runId);
        if (grading) {
          this.grades.delete(m.runId);
          return grading.failed(m.message);
        }
        const listener = this.runs.get(m.runId);
        // unknown-run answers a stop that raced the exit; the run itself is already settled
        if (!listener || m.code === 'unknown-run') return;
        this.runs.delete(m.runId);
        return listener.failed(m.message);
      }
      case 'grade-test':
        return this.grades.get(m.gradeId)?.test(m.index, m.test);
      case 'grade-done': {
        const listener = this.grades.get(m.gradeId);
        this.grades.delete(m.gradeId);
        return listener?.done(m.results);
      }
      default:
        m satisfies never;
    }
  }

  private interruptRuns(): void {
    const live = [...this.runs.values()];
    const grading = [...this.grades.values()];
    this.runs.clear();
    this.grades.clear();
    for (const l of live) l.interrupted();
    for (const g of grading) g.failed('The connection to the sandbox was lost; check again.');
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}

/** The token arrives once in `?token=`; it is kept for this tab and removed from the address bar. */
function takeToken(): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function chosenTarget(): Target | undefined {
  const t = sessionStorage.getItem(TARGET_KEY);
  return t === 'embedded' || t === 'real' ? t : undefined;
}

function sessionId(): string {
  let id = localStorage.getItem(SESSION_KEY);
  if (!id) {
    id = `s-${randomId()}`;
    localStorage.setItem(SESSION_KEY, id);
  }
  return id;
}

/** crypto.randomUUID exists only in secure contexts; a workshop server reached over plain http is not one. */
function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
