// Learner-facing wording of how a run ended: one place, so the snippet status line and its aria-live
// announcement say the same thing.
import type { KillReason, RunExitMessage } from '@msgbook/protocol/messages';

const REASONS: Record<KillReason, string> = {
  'time-limit': 'Time limit reached',
  'memory-limit': 'Memory limit reached',
  'output-limit': 'Output limit reached',
  stopped: 'Stopped',
  disconnected: 'Ended: the connection closed',
  'broker-unavailable': 'Broker unavailable',
  'compile-error': 'Did not compile',
};

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** A declared limit reads best as a round number: `10 s`, `1.5 s`, `800 ms`. */
export function formatLimit(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

export function describeExit(exit: RunExitMessage): string {
  const after = `after ${formatDuration(exit.durationMs)}`;
  if (exit.reason) {
    const head = `${REASONS[exit.reason]} ${after}.`;
    return exit.message ? `${head} ${exit.message}` : head;
  }
  if (exit.code === null) return `Ended by signal ${exit.signal ?? 'unknown'} ${after}.`;
  return `Exited with code ${exit.code} ${after}.`;
}
