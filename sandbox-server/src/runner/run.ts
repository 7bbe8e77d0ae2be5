// One learner program run: transpile, write into a private folder, spawn a fresh confined `node` in its own process
// group, stream its output, enforce the limits (wall clock, heap, output size) and say why the sandbox ended it.
// Used by the websocket sessions, `msgbook run` and the graders alike, so a run behaves the same everywhere.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { KillReason, Limits } from '@msgbook/protocol';
import { permissionFlags } from './permissions';
import { transpile, type LearnerFile } from './transpile';
import { explainKill } from './reasons';

export interface RunSpec {
  /** The program's files; the first is the entry point unless `entry` names another. */
  files: LearnerFile[];
  entry?: string;
  timeLimitMs: number;
  limits: Pick<Limits, 'heapMb' | 'outputBytes'>;
  /** Variables for the program (the endpoints of design.md §2 and the like); nothing of the server's is passed. */
  env: Record<string, string>;
  /** Folder under which the run's private folder is made. */
  runRoot: string;
  /** The installed dependencies the program may read. */
  nodeModules: string;
}

export interface RunOutcome {
  code: number | null;
  signal: string | null;
  durationMs: number;
  reason?: KillReason;
  message?: string;
}

export type OutputStream = 'stdout' | 'stderr' | 'system';

export interface RunHandle {
  /** Ends the run now (the whole process group), recording `reason` as why. Harmless after exit. */
  stop(reason: KillReason): void;
  pause(): void;
  resume(): void;
  readonly done: Promise<RunOutcome>;
}

export function startRun(spec: RunSpec, onOutput: (stream: OutputStream, data: string) => void): RunHandle {
  let stopRequested: KillReason | undefined;
  let child: import('node:child_process').ChildProcess | undefined;
  const killGroup = () => {
    if (child?.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const handle: RunHandle = {
    stop(reason) {
      if (stopRequested) return;
      stopRequested = reason;
      killGroup();
    },
    pause: () => {
      child?.stdout?.pause();
      child?.stderr?.pause();
    },
    resume: () => {
      child?.stdout?.resume();
      child?.stderr?.resume();
    },
    done: (async (): Promise<RunOutcome> => {
      const started = performance.now();
      const entryName = spec.entry ?? spec.files[0]!.name;
      const compiled = await transpile(spec.files, entryName);
      if (!compiled.ok) {
        onOutput('stderr', compiled.message + '\n');
        return {
          code: null,
          signal: null,
          durationMs: 0,
          reason: 'compile-error',
          message: explainKill('compile-error'),
        };
      }
      if (stopRequested)
        return {
          code: null,
          signal: null,
          durationMs: 0,
          reason: stopRequested,
          message: explainKill(stopRequested),
        };
      await mkdir(spec.runRoot, { recursive: true });
      const dir = await mkdtemp(path.join(spec.runRoot, 'run-'));
      const tmp = path.join(dir, 'tmp');
      await mkdir(tmp);
      const entry = path.join(dir, entryName.replace(/\.ts$/, '.mjs'));
      await writeFile(entry, compiled.code);
      try {
        return await supervise(
          spec,
          dir,
          tmp,
          entry,
          started,
          onOutput,
          (c) => {
            child = c;
            if (stopRequested) killGroup();
          },
          () => stopRequested,
          (r) => {
            stopRequested ??= r;
            killGroup();
          },
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    })(),
  };
  return handle;
}

function supervise(
  spec: RunSpec,
  dir: string,
  tmp: string,
  entry: string,
  started: number,
  onOutput: (stream: OutputStream, data: string) => void,
  onSpawn: (child: import('node:child_process').ChildProcess) => void,
  stopped: () => KillReason | undefined,
  kill: (reason: KillReason) => void,
): Promise<RunOutcome> {
  const args = [
    ...permissionFlags(process.version, { read: [dir, spec.nodeModules], write: [tmp] }),
    '--disable-warning=ExperimentalWarning',
    `--max-old-space-size=${spec.limits.heapMb}`,
    '--enable-source-maps',
    '--stack-trace-limit=20',
    entry,
  ];
  const child = spawn(process.execPath, args, {
    cwd: dir,
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: tmp, TMPDIR: tmp, FORCE_COLOR: '1', ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop and the limits kill everything it started
  });
  onSpawn(child);
  const timer = setTimeout(() => kill('time-limit'), spec.timeLimitMs);
  let bytes = 0;
  let heapExhausted = false;
  const denied = new Set<string>();
  // Paths in traces read as the learner's file, not the sandbox's private folder.
  const hide = (s: string) => s.split(`file://${dir}/`).join('').split(`${dir}/`).join('');
  const pipe = (stream: 'stdout' | 'stderr') => (chunk: string) => {
    if (stopped()) return;
    if (stream === 'stderr') {
      // eslint-disable-next-line no-control-regex -- ANSI colour codes
      const plain = chunk.replace(/\x1b\[[0-9;]*m/g, '');
      if (/Reached heap limit|JavaScript heap out of memory/.test(plain)) heapExhausted = true;
      for (const m of plain.matchAll(/resource: '([^']*)'/g)) denied.add(m[1]!);
      if (plain.includes('ERR_ACCESS_DENIED') && denied.size === 0) denied.add('');
    }
    const size = Buffer.byteLength(chunk);
    if (bytes + size > spec.limits.outputBytes) {
      const room = Math.max(0, spec.limits.outputBytes - bytes);
      if (room > 0) onOutput(stream, hide(Buffer.from(chunk).subarray(0, room).toString()));
      bytes = spec.limits.outputBytes;
      kill('output-limit');
      return;
    }
    bytes += size;
    onOutput(stream, hide(chunk));
  };
  child.stdout!.setEncoding('utf8').on('data', pipe('stdout'));
  child.stderr!.setEncoding('utf8').on('data', pipe('stderr'));
  return new Promise((resolve) => {
    child.on('error', (err) => {
      clearTimeout(timer);
      onOutput('system', `could not start node: ${err.message}\n`);
      resolve({ code: null, signal: null, durationMs: performance.now() - started });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, 'SIGKILL'); // anything left in the group
      } catch {
        // the group is empty
      }
      const durationMs = Math.round(performance.now() - started);
      let reason = stopped();
      // V8's own dump on heap exhaustion may also trip the output limit: the heap is the cause to report.
      if (heapExhausted && (reason === undefined || reason === 'output-limit')) reason = 'memory-limit';
      if (reason === undefined && denied.size > 0) {
        const what = [...denied].filter(Boolean).join(', ');
        onOutput(
          'system',
          `The sandbox lets a program read only its own folder and the installed libraries, write only its ` +
            `temporary folder (os.tmpdir()), and start no other processes${what ? `; it refused: ${what}` : ''}.\n`,
        );
      }
      resolve({
        code,
        signal,
        durationMs,
        ...(reason ? { reason, message: explainKill(reason, spec) } : {}),
      });
    });
  });
}
