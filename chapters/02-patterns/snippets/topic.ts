// Routing with a topic exchange: one queue per binding pattern, a handful of routing keys, and a table of which
// queue received which key. Keys are words separated by dots; `*` stands for exactly one word, `#` for zero or
// more. The edge cases are in the table too: `#` alone, a key with an empty word, and a queue bound twice.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const EXCHANGE = 'patterns.orders-topic';
const patterns = ['order.*', 'order.#', '*.created', 'order.*.created', 'order.#.created', '#'];
const keys = ['order.created', 'order.eu.created', 'order', 'payment.created', 'order..created', ''];

const connection = await amqp.connect(url);
const ch = await connection.createConfirmChannel();
await ch.deleteExchange(EXCHANGE);
await ch.assertExchange(EXCHANGE, 'topic', { durable: false });

const queues: string[] = [];
for (const pattern of patterns) {
  const { queue } = await ch.assertQueue('', { exclusive: true });
  await ch.bindQueue(queue, EXCHANGE, pattern);
  queues.push(queue);
}
// One more queue, bound with two patterns that both match order.created.
const { queue: twice } = await ch.assertQueue('', { exclusive: true });
await ch.bindQueue(twice, EXCHANGE, 'order.*');
await ch.bindQueue(twice, EXCHANGE, '*.created');

for (const key of keys) ch.publish(EXCHANGE, key, Buffer.from(key));
await ch.waitForConfirms();

/** The routing keys of everything waiting in a queue. */
async function keysIn(queue: string): Promise<string[]> {
  const got: string[] = [];
  for (let msg; (msg = await ch.get(queue, { noAck: true }));) got.push(msg.fields.routingKey);
  return got;
}
const received = await Promise.all(queues.map(keysIn));

const show = (key: string) => (key === '' ? '"" (empty)' : key);
console.log(`${'routing key'.padEnd(18)}${patterns.map((p) => p.padEnd(17)).join('')}`);
for (const key of keys) {
  const marks = received.map((got) => (got.includes(key) ? 'yes' : '-').padEnd(17));
  console.log(`${show(key).padEnd(18)}${marks.join('')}`);
}
const both = await keysIn(twice);
console.log(
  `the queue bound with both order.* and *.created received ${both.length} message(s): ${both.join(', ')}`,
);
await ch.deleteExchange(EXCHANGE);
await connection.close();
