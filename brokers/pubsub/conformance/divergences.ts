// Where the official emulator (gcloud 528, jar 0.8.20) is known to differ from the Pub/Sub API, as observed in
// research/pubsub-embedded.md §5-6 and re-checked by this suite. A scenario listed here still runs against the
// embedded emulator; against the official one it asserts the official behaviour where that is deterministic, and is
// skipped where it is not.
import { targetKind } from './target';

export const divergences = {
  'ack-deadline-lower-bound': 'accepts ack deadlines under 10 s (5 s observed); the API allows 10..600',
  'modack-upper-bound': 'accepts ModifyAckDeadline over 600 s (601 observed); the API allows 0..600',
  'dead-letter-on-next-pull':
    'forwards a message to the dead-letter topic only when the source subscription is next pulled',
  'update-labels':
    'UpdateTopic and UpdateSubscription reject the labels path ("labels is not a known … field")',
  'topic-retention-backfill':
    'a subscription created on a topic with message retention receives the messages retained from before it existed',
  'expiration-ttl-unchecked': 'accepts an expiration ttl under the 1 day minimum (1 h observed)',
  'publish-size-limits':
    'accepts attribute keys over 256 bytes and values over 1024 bytes, and never answers an 11 MB Publish',
  'detach-unimplemented': 'DetachSubscription answers UNIMPLEMENTED',
  'update-snapshot-unimplemented': 'UpdateSnapshot answers UNIMPLEMENTED',
  'filters-ignored': 'accepts any subscription filter and delivers every message anyway',
  'ordering-after-nack': 'after a nack, later messages of the key are not redelivered and order breaks',
  'server-flow-control': 'ignores max_outstanding_messages of a stream (max 2 → 5 sent)',
  'retry-backoff-first-gap':
    'the first redelivery after a nack comes before minimum_backoff (0.15 s for 1 s)',
} as const;

export type Divergence = keyof typeof divergences;

/** True when the scenario runs against the official emulator and it is known to be wrong there. */
export function officialIsWrong(id: Divergence): boolean {
  return targetKind() === 'real' && id in divergences;
}
