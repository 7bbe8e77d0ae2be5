// The run's control endpoint (MSGBOOK_CONTROL_URL): what a program run by msgbook may ask of its brokers that a
// client library cannot, such as RabbitMQ's memory alarm (raised on a real broker with rabbitmqctl). The bodies a
// program posts, and the requests the server passes on to the broker host, are validated here.
import { z } from 'zod';

/** `POST ${MSGBOOK_CONTROL_URL}/amqp/memory-alarm`: raise or clear the broker's memory alarm. */
export const MemoryAlarmBody = z.strictObject({ raised: z.boolean() });
export type MemoryAlarmBody = z.infer<typeof MemoryAlarmBody>;

/** An action on one embedded broker instance, carried to the broker host. */
export const BrokerControl = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('memory-alarm'), raised: z.boolean() }),
]);
export type BrokerControl = z.infer<typeof BrokerControl>;
