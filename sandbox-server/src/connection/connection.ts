// One websocket connection: validates every message against the shared schemas (design.md §4), then dispatches.
// It owns the runs it started: they are stopped when it closes, so a run never outlives its connection.
import type { WebSocket } from 'ws';
import {
  ClientMessage,
  MAX_CLIENT_MESSAGE_BYTES,
  type Limits,
  type ServerMessage,
  type Target,
} from '@msgbook/protocol';
import type { BrokerHost } from '../brokers/host';
import type { ChapterStore } from '../content/chapters';
import { launch } from '../runner/launch';
import type { RunHandle } from '../runner/run';
import { targetStatus } from './target-status';
import type { Sessions } from './sessions';

export interface ConnectionDeps {
  host: BrokerHost;
  sessions: Sessions;
  chapters: ChapterStore;
  limits: Limits;
  defaultTarget: Target;
  runRoot?: string;
}

/** Above this many bytes waiting to be sent, runs of this connection are paused until the browser catches up. */
const HIGH_WATER = 1024 * 1024;

export class Connection {
  private sessionId?: string;
  private target: Target;
  private runs = new Map<string, RunHandle>();
  private recentStarts: number[] = [];
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: ConnectionDeps,
  ) {
    this.target = deps.defaultTarget;
    ws.on('message', (data, isBinary) => this.receive(data as Buffer, isBinary));
    ws.on('close', () => this.close());
    ws.on('error', () => this.close());
  }

  send(msg: ServerMessage): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(JSON.stringify(msg));
  }

  get session(): string | undefined {
    return this.sessionId;
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (data.length > MAX_CLIENT_MESSAGE_BYTES) {
      return this.send({
        type: 'error',
        code: 'message-too-large',
        message: `messages are limited to ${MAX_CLIENT_MESSAGE_BYTES} bytes; this one had ${data.length}`,
      });
    }
    let json: unknown;
    try {
      if (isBinary) throw new Error('binary frames are not part of the protocol');
      json = JSON.parse(data.toString('utf8'));
    } catch (err) {
      return this.send({
        type: 'error',
        code: 'invalid-message',
        message: `not JSON: ${(err as Error).message}`,
      });
    }
    const parsed = ClientMessage.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`)
        .join('; ');
      return this.send({ type: 'error', code: 'invalid-message', message: issues });
    }
    this.dispatch(parsed.data).catch((err: Error) =>
      this.send({ type: 'error', code: 'internal', message: err.message }),
    );
  }

  private async dispatch(msg: ClientMessage): Promise<void> {
    switch (msg.type) {
      case 'hello':
        if (this.sessionId && this.sessionId !== msg.sessionId) {
          return this.send({
            type: 'error',
            code: 'invalid-message',
            message: 'this connection already has a session',
          });
        }
        if (!this.sessionId) this.deps.sessions.attach(msg.sessionId);
        this.sessionId = msg.sessionId;
        this.send({
          type: 'welcome',
          sessionId: msg.sessionId,
          target: this.target,
          limits: this.deps.limits,
          nodeVersion: process.version,
        });
        return this.send(await targetStatus(this.target, this.deps.host));
      case 'set-target':
        this.target = msg.target;
        return this.send(await targetStatus(this.target, this.deps.host));
      case 'run-stop': {
        const run = this.runs.get(msg.runId);
        if (!run)
          return this.send({
            type: 'error',
            code: 'unknown-run',
            message: `no run ${msg.runId}`,
            runId: msg.runId,
          });
        return run.stop('stopped');
      }
      case 'run-start':
        return this.startRun(msg);
    }
  }

  private async startRun(msg: Extract<ClientMessage, { type: 'run-start' }>): Promise<void> {
    const { limits } = this.deps;
    const refuse = (
      code: 'not-ready' | 'duplicate-run' | 'too-many-runs' | 'rate-limited',
      message: string,
    ) => this.send({ type: 'error', code, message, runId: msg.runId });
    if (!this.sessionId) return refuse('not-ready', 'send hello before starting a run');
    if (this.runs.has(msg.runId)) return refuse('duplicate-run', `run ${msg.runId} is already running`);
    if (this.runs.size >= limits.concurrentRuns) {
      return refuse(
        'too-many-runs',
        `at most ${limits.concurrentRuns} runs at once per page; stop one first`,
      );
    }
    const now = Date.now();
    this.recentStarts = this.recentStarts.filter((t) => now - t < 60_000);
    if (this.recentStarts.length >= limits.runsPerMinute) {
      return refuse('rate-limited', `at most ${limits.runsPerMinute} runs a minute; wait a few seconds`);
    }
    this.recentStarts.push(now);

    // The time limit comes from the chapter's declaration, never from the client.
    let timeLimitMs = limits.defaultTimeLimitMs;
    if (msg.snippet) {
      const chapter = await this.deps.chapters.get(msg.snippet.chapter);
      const snippet = chapter?.snippets.find((s) => s.id === msg.snippet!.snippet);
      if (snippet) timeLimitMs = snippet.timeLimitMs;
    }
    const target = msg.target ?? this.target;
    const placeholder: RunHandle = {
      stop: () => undefined,
      pause: () => undefined,
      resume: () => undefined,
      done: Promise.resolve({ code: null, signal: null, durationMs: 0 }),
    };
    let stopReason: Parameters<RunHandle['stop']>[0] | undefined;
    placeholder.stop = (r) => void (stopReason ??= r);
    this.runs.set(msg.runId, placeholder);
    let run: RunHandle;
    try {
      run = await launch(
        { sessionId: this.sessionId, target, limits, host: this.deps.host, runRoot: this.deps.runRoot },
        [msg.file],
        timeLimitMs,
        (stream, data) => this.output(msg.runId, stream, data),
      );
    } catch (err) {
      this.runs.delete(msg.runId);
      return this.send({
        type: 'error',
        code: 'internal',
        message: (err as Error).message,
        runId: msg.runId,
      });
    }
    this.runs.set(msg.runId, run);
    if (stopReason || this.closed) run.stop(stopReason ?? 'disconnected');
    this.send({ type: 'run-started', runId: msg.runId, target });
    const outcome = await run.done;
    this.runs.delete(msg.runId);
    this.send({
      type: 'run-exit',
      runId: msg.runId,
      code: outcome.code,
      signal: outcome.signal,
      durationMs: outcome.durationMs,
      ...(outcome.reason ? { reason: outcome.reason, message: outcome.message } : {}),
    });
  }

  private output(runId: string, stream: 'stdout' | 'stderr' | 'system', data: string): void {
    this.send({ type: 'run-output', runId, stream, data });
    const run = this.runs.get(runId);
    if (run && this.ws.bufferedAmount > HIGH_WATER) {
      run.pause();
      const check = () => {
        if (this.closed || this.ws.bufferedAmount <= HIGH_WATER / 4) run.resume();
        else setTimeout(check, 20);
      };
      setTimeout(check, 20);
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const run of this.runs.values()) run.stop('disconnected');
    if (this.sessionId) this.deps.sessions.detach(this.sessionId);
  }
}
