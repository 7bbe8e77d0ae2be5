// Known, deliberate differences between the embedded broker and RabbitMQ 3.10.8 (kfake's skipped_features):
// each is asserted by the conformance suite on both targets, so a fix or a regression shows up as a failure.
import { isReal } from './target';

export interface Divergence {
  /** What RabbitMQ does. */
  rabbitmq: string;
  /** What the embedded broker does instead, and why that is acceptable for teaching. */
  embedded: string;
}

export const divergences = {
  txNotImplemented: {
    rabbitmq: 'tx.select/commit/rollback give a transactional channel.',
    embedded: 'tx.select closes the connection with 540 NOT_IMPLEMENTED; amqplib has no API that sends it.',
  },
  frameErrorText: {
    rabbitmq:
      'A frame over frame_max closes the connection with 501 and an Erlang term describing the frame.',
    embedded: 'The same code, 501 FRAME_ERROR, with a plain-language text.',
  },
} satisfies Record<string, Divergence>;

/** Picks the expectation for the target under test. */
export function expected<T>(_d: Divergence, onRabbit: T, onEmbedded: T): T {
  return isReal ? onRabbit : onEmbedded;
}
