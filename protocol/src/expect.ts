// Whether a finished run meets the `expect` its chapter declares (design.md §3). Shared by `msgbook verify` and
// the web app's progress marks, so "this snippet works" means one thing everywhere.
import type { Expect } from './content';
import type { KillReason } from './messages';

export interface RunResultForExpect {
  code: number | null;
  reason?: KillReason;
  /** stdout and stderr as the learner saw them, in order. */
  output: string;
}

// eslint-disable-next-line no-control-regex -- ANSI colour codes
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Undefined when the run meets the expectation; otherwise what differed, in a sentence. */
export function unmetExpectation(expect: Expect, run: RunResultForExpect): string | undefined {
  const output = run.output.replace(ANSI, '');
  if ('stopped' in expect) {
    if (run.reason !== expect.stopped) {
      return `expected the sandbox to stop it (${expect.stopped}), but it ${run.reason ? `ended with ${run.reason}` : `exited with code ${run.code}`}`;
    }
  } else {
    if (run.reason) return `expected exit ${expect.exit}, but the sandbox ended it (${run.reason})`;
    const exitOk = expect.exit === 'nonzero' ? run.code !== 0 && run.code !== null : run.code === expect.exit;
    if (!exitOk) return `expected exit ${expect.exit}, got ${run.code}`;
  }
  if (expect.output !== undefined && !new RegExp(expect.output, 'm').test(output)) {
    return `expected the output to match /${expect.output}/`;
  }
  return undefined;
}
