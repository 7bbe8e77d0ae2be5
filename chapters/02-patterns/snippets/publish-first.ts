// A claim to test: a common tutorial publishes four events to a topic exchange and then starts three subscribers,
// each declaring and binding its own queue, and says they receive 3, 1 and 4 of them. Run in that order, and then
// with the queues bound before anything is published.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const EXCHANGE = 'patterns.events-topic';
const events = ['orders.created', 'orders.shipped', 'orders.cancelled', 'payments.processed'];
const services: [string, string][] = [
  ['order-service', 'orders.*'],
  ['shipping-service', 'orders.shipped'],
  ['analytics-service', '#'],
];

const connection = await amqp.connect(url);
const ch = await connection.createConfirmChannel();

async function publishAll() {
  for (const key of events) ch.publish(EXCHANGE, key, Buffer.from(key));
  await ch.waitForConfirms();
}
async function subscribeAll() {
  const queues: string[] = [];
  for (const [, pattern] of services) {
    const { queue } = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(queue, EXCHANGE, pattern);
    queues.push(queue);
  }
  return queues;
}
async function report(how: string, queues: string[]) {
  const counts: number[] = [];
  for (const q of queues) counts.push((await ch.checkQueue(q)).messageCount);
  console.log(`${how}: ${services.map(([name], i) => `${name} ${counts[i]}`).join(', ')}`);
  for (const q of queues) await ch.deleteQueue(q);
}

await ch.deleteExchange(EXCHANGE);
await ch.assertExchange(EXCHANGE, 'topic', { durable: false });
console.log('the tutorial says: order-service 3, shipping-service 1, analytics-service 4');

await publishAll();
await report('published first, subscribed after', await subscribeAll());

const queues = await subscribeAll();
await publishAll();
await report('queues bound first, then published', queues);

await ch.deleteExchange(EXCHANGE);
await connection.close();
