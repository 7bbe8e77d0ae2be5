// The embedded AMQP 0-9-1 broker (issue 5): RabbitMQ 3.10 semantics over amqplib's own wire codec.
// `startAmqp` is the BrokerFactory the broker host and `msgbook brokers` use; `AmqpBroker` adds `setAlarm`.
import type { BrokerFactory } from '@msgbook/broker-common';
import { AmqpBroker, type AmqpStartOptions } from './broker';

export { AmqpBroker, type AmqpStartOptions } from './broker';

export const startAmqp: BrokerFactory = (options) => AmqpBroker.start(options);

/** Like `startAmqp`, typed with the AMQP-only admin surface (the memory alarm). */
export const startAmqpBroker = (options?: AmqpStartOptions) => AmqpBroker.start(options);
