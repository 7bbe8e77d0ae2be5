// The learner-facing sentence for each way the sandbox can end a run (issue 2 item 4: each limit its own message).
import type { KillReason } from '@msgbook/protocol';

export function explainKill(
  reason: KillReason,
  spec?: { timeLimitMs: number; limits: { heapMb: number; outputBytes: number } },
): string {
  switch (reason) {
    case 'time-limit':
      return `Stopped: the run took longer than its time limit of ${seconds(spec?.timeLimitMs)}. A program that waits forever (a consumer, a server) needs stopping; a loop that never ends needs fixing.`;
    case 'memory-limit':
      return `Stopped: the program used more than its heap limit of ${spec?.limits.heapMb ?? '?'} MB.`;
    case 'output-limit':
      return `Stopped: the program printed more than ${kib(spec?.limits.outputBytes)} of output. Print less, or print a summary.`;
    case 'stopped':
      return 'Stopped by you.';
    case 'disconnected':
      return 'Stopped: the page that started it went away.';
    case 'broker-unavailable':
      return 'Not started: a broker it needs is not reachable.';
    case 'compile-error':
      return 'Not started: the code does not compile (see above).';
  }
}

function seconds(ms?: number): string {
  if (ms === undefined) return '?';
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function kib(bytes?: number): string {
  if (bytes === undefined) return '?';
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${Math.round(bytes / 1024)} KB`;
}
