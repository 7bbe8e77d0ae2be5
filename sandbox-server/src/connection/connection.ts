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
import type { ExerciseStore } from '../grading/exercises';
import { grade } from '../grading/grade';
import type { TypeChecker } from '../grading/typecheck';
import { launch } from '../runner/launch';
import type { RunHandle } from '../runner/run';
import { targetStatus } from './target-status';
import type { Sessions } from './sessions';

export interface ConnectionDeps {
  host: BrokerHost;
  sessions: Sessions;
  chapters: ChapterStore;
  exercises: ExerciseStore;
  typeChecker?: TypeChecker;
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
      case 'grade-start':
        return this.startGrade(msg);
    }
  }

  /** Why a new run or grading may not start now, or undefined when it may. */
  private refusal(
    id: string,
  ): { code: 'not-ready' | 'duplicate-run' | 'too-many-runs' | 'rate-limited'; message: string } | undefined {
    const { limits } = this.deps;
    if (!this.sessionId) return { code: 'not-ready', message: 'send hello before starting a run' };
    if (this.runs.has(id)) return { code: 'duplicate-run', message: `run ${id} is already running` };
    if (this.runs.size >= limits.concurrentRuns) {
      return {
        code: 'too-many-runs',
        message: `at most ${limits.concurrentRuns} runs at once per page; stop one first`,
      };
    }
    const now = Date.now();
    this.recentStarts = this.recentStarts.filter((t) => now - t < 60_000);
    if (this.recentStarts.length >= limits.runsPerMinute) {
      return {
        code: 'rate-limited',
        message: `at most ${limits.runsPerMinute} runs a minute; wait a few seconds`,
      };
    }
    this.recentStarts.push(now);
    return undefined;
  }

  private async startGrade(msg: Extract<ClientMessage, { type: 'grade-start' }>): Promise<void> {
    const refused = this.refusal(msg.gradeId);
    if (refused) return this.send({ type: 'error', ...refused, runId: msg.gradeId });
    const ex = await this.deps.exercises.get(msg.exercise);
    if (!ex) {
      return this.send({
        type: 'error',
        code: 'unknown-exercise',
        message: `no exercise ${msg.exercise}`,
        runId: msg.gradeId,
      });
    }
    const expected = ex.starter.map((f) => f.name);
    const names = msg.files.map((f) => f.name);
    if (names.length !== expected.length || names.some((n) => !expected.includes(n))) {
      const message = `${ex.json.id} takes the files ${expected.join(', ')}`;
      return this.send({ type: 'error', code: 'invalid-message', message, runId: msg.gradeId });
    }
    const files = expected.map((n) => msg.files.find((f) => f.name === n)!);
    // Grading occupies a run slot while it lasts; its programs are stopped check by check.
    this.runs.set(msg.gradeId, idleHandle());
    try {
      const results = await grade(ex, files, {
        target: this.target,
        host: this.deps.host,
        limits: this.deps.limits,
        runRoot: this.deps.runRoot,
        typeChecker: this.deps.typeChecker,
        onTest: (test, index) => this.send({ type: 'grade-test', gradeId: msg.gradeId, index, test }),
      });
      this.send({ type: 'grade-done', gradeId: msg.gradeId, results });
    } finally {
      this.runs.delete(msg.gradeId);
    }
  }

  private async startRun(msg: Extract<ClientMessage, { type: 'run-start' }>): Promise<void> {
    const { limits } = this.deps;
    const refused = this.refusal(msg.runId);
    if (refused) return this.send({ type: 'error', ...refused, runId: msg.runId });
    const sessionId = this.sessionId!; // refusal() turned away a connection without one

    // The time limit comes from the chapter's declaration, never from the client.
    let timeLimitMs = limits.defaultTimeLimitMs;
    if (msg.snippet) {
      const chapter = await this.deps.chapters.get(msg.snippet.chapter);
      const snippet = chapter?.snippets.find((s) => s.id === msg.snippet!.snippet);
      if (snippet) timeLimitMs = snippet.timeLimitMs;
    }
    const target = msg.target ?? this.target;
    const placeholder = idleHandle();
    let stopReason: Parameters<RunHandle['stop']>[0] | undefined;
    placeholder.stop = (r) => void (stopReason ??= r);
    this.runs.set(msg.runId, placeholder);
    let run: RunHandle;
    try {
      run = await launch(
        { sessionId, target, limits, host: this.deps.host, runRoot: this.deps.runRoot },
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

/** Holds a run slot before (or instead of) a real run; records a stop asked for meanwhile. */
function idleHandle(): RunHandle {
  return {
    stop: () => undefined,
    pause: () => undefined,
    resume: () => undefined,
    done: Promise.resolve({ code: null, signal: null, durationMs: 0 }),
  };
}
