// Where the embedded broker knowingly differs from Apache Kafka 4.1.1, as data the conformance files assert (kfake's
// skipped_features). Each entry says what each target does; a scenario that meets a divergence tolerates the real
// behaviour on the real target and asserts the embedded one on the embedded target.
import type { TargetKind } from './target';

export interface Divergence {
  /** What differs, for a reader of the test output. */
  what: string;
  /** Log lines kafkajs prints where the real behaviour shows (see `unexpected` in target.ts). */
  realLogs: string[];
}

export const divergences = {
  concurrentTransactions: {
    what:
      'Apache Kafka writes transaction markers asynchronously and answers CONCURRENT_TRANSACTIONS (51) to an ' +
      'AddPartitionsToTxn that comes right after EndTxn, and to an InitProducerId that must first abort the open ' +
      'transaction of its id; kafkajs logs it and retries. The embedded broker writes markers synchronously and ' +
      'never sends 51; the outcome kafkajs reports is the same.',
    realLogs: [
      'AddPartitionsToTxn',
      'InitProducerId',
      'Failed to send messages: The producer attempted to update a transaction while another concurrent operation',
    ],
  },
} satisfies Record<string, Divergence>;

/** The log lines to tolerate on `kind` for these divergences: none on the embedded broker, whose side is asserted. */
export function tolerated(kind: TargetKind, ...which: Divergence[]): string[] {
  return kind === 'real' ? which.flatMap((d) => d.realLogs) : [];
}
