// How the page names each broker kind: the product a learner knows, not the protocol's short id.
import type { BrokerKind } from '@msgbook/protocol';

export const BROKER_NAMES: Record<BrokerKind, string> = {
  kafka: 'Kafka',
  amqp: 'RabbitMQ',
  pubsub: 'Pub/Sub',
};
