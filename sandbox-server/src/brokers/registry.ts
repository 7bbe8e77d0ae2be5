// Which embedded brokers exist, loaded lazily so the broker host pays only for the brokers a session uses
// (@google-cloud/pubsub's gRPC stack alone costs a few hundred ms to load).
import type { BrokerKind } from '@msgbook/protocol';
import type { BrokerFactory } from '@msgbook/broker-common';

export const brokerFactories: Partial<Record<BrokerKind, () => Promise<BrokerFactory>>> = {
  kafka: async () => (await import('@msgbook/kafka')).startKafka,
  amqp: async () => (await import('@msgbook/amqp')).startAmqp,
  pubsub: async () => (await import('@msgbook/pubsub')).startPubsub,
};
