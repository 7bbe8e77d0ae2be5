// Known, deliberate differences between the embedded broker and RabbitMQ 3.10.8 (kfake's skipped_features):
// each is asserted by a test (frame-level ones in test/bad-input.test.ts, where amqplib cannot send the frames),
// so a fix or a regression shows up as a failure.
import { isReal } from './target';

export interface Divergence {
  /** What RabbitMQ does. */
  rabbitmq: string;
  /** What the embedded broker does instead, and why that is acceptable for teaching. */
  embedded: string;
}

export const divergences = {
  txNotImplemented: {
    rabbitmq: 'tx.select answers tx.select-ok and the channel becomes transactional.',
    embedded: 'tx.select closes the connection with 540 NOT_IMPLEMENTED; amqplib has no API that sends it.',
  },
  bodyOverrun: {
    rabbitmq:
      'Body frames longer than the content header announced get no answer (observed: nothing within 1.5 s).',
    embedded: 'The connection is closed with 501 FRAME_ERROR, naming the declared size.',
  },
  queueTypes: {
    rabbitmq:
      "x-queue-type 'quorum' or 'stream' declares a quorum queue (x-delivery-limit, at-least-once) or a stream.",
    embedded: 'Only classic queues: other types are refused with 406 invalid arg x-queue-type.',
  },
  priorities: {
    rabbitmq: 'A queue declared with x-max-priority delivers higher-priority messages first.',
    embedded: 'x-max-priority is accepted and ignored: messages leave in publish order.',
  },
} satisfies Record<string, Divergence>;

/** Picks the expectation for the target under test. */
export function expected<T>(_d: Divergence, onRabbit: T, onEmbedded: T): T {
  return isReal ? onRabbit : onEmbedded;
}
