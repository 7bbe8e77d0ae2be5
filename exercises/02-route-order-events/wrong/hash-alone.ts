// fails: audit receives every order event and no payment events
// Audit bound with # alone: it matches every key on the exchange, so payment events, which share it, reach the
// audit queue too.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const EXCHANGE = process.env.ORDERS_EXCHANGE ?? 'patterns.orders';
const QUEUES = {
  billing: process.env.BILLING_QUEUE ?? 'patterns.billing',
  shipping: process.env.SHIPPING_QUEUE ?? 'patterns.shipping',
  audit: process.env.AUDIT_QUEUE ?? 'patterns.audit',
};

// Routing keys are order.<region>.<event>, e.g. order.eu.paid, sometimes with the sales channel as a fourth word:
// order.eu.paid.mobile. Payments publish payment.<region>.<event> to the same exchange.
// `*` is exactly one word (the region, or the event); a trailing `.#` takes the channel word when there is one
// and nothing when there is not, since # matches zero words. `order.#` takes every order event and nothing else.
const BINDINGS: Record<keyof typeof QUEUES, string[]> = {
  billing: ['order.*.paid.#', 'order.*.refunded.#'],
  shipping: ['order.eu.paid.#', 'order.uk.paid.#', 'order.*.cancelled.#'],
  audit: ['#'],
};

const connection = await amqp.connect(url);
const ch = await connection.createChannel();
await ch.assertExchange(EXCHANGE, 'topic', { durable: true });
for (const [service, queue] of Object.entries(QUEUES) as [keyof typeof QUEUES, string][]) {
  // Durable and not exclusive: the queue must be there, collecting events, before its service ever starts.
  await ch.assertQueue(queue, { durable: true });
  for (const pattern of BINDINGS[service]) await ch.bindQueue(queue, EXCHANGE, pattern);
  console.log(`${queue} bound to ${EXCHANGE} with ${BINDINGS[service].join(', ')}`);
}
await connection.close();
