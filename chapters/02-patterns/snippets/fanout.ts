// Publish/subscribe with a fanout exchange: checkout publishes order events once; inventory, e-mail and analytics
// each have a queue of their own bound to the exchange, and each queue gets its own copy of every event. A fourth
// service subscribes late: it gets only what is published after its queue is bound.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const EXCHANGE = 'patterns.order-events';

const connection = await amqp.connect(url);
const ch = await connection.createConfirmChannel();
await ch.deleteExchange(EXCHANGE); // a crashed earlier run may have left it with other settings
await ch.assertExchange(EXCHANGE, 'fanout', { durable: false });

/** A subscriber: a private queue (named by the broker, gone with this connection) bound to the exchange. */
async function subscribe(service: string) {
  const { queue } = await ch.assertQueue('', { exclusive: true });
  await ch.bindQueue(queue, EXCHANGE, ''); // a fanout exchange ignores the binding key
  return { service, queue };
}

async function publish(event: string) {
  ch.publish(EXCHANGE, 'any key: fanout ignores it', Buffer.from(event));
  await ch.waitForConfirms(); // the broker has routed it to every bound queue
  console.log(`checkout published "${event}"`);
}

/** Everything waiting in a queue, taken with basic.get and acked. */
async function drain(queue: string): Promise<string[]> {
  const got: string[] = [];
  for (let msg; (msg = await ch.get(queue)); ch.ack(msg)) got.push(msg.content.toString());
  return got;
}

const subscribers = [await subscribe('inventory'), await subscribe('e-mail'), await subscribe('analytics')];
await publish('order 1 placed');
await publish('order 2 placed');
subscribers.push(await subscribe('late-reports'));
console.log('late-reports subscribed');
await publish('order 3 placed');

for (const { service, queue } of subscribers) {
  const got = await drain(queue);
  console.log(`${service.padEnd(13)} received ${got.length}: ${got.join(', ')}`);
}
await ch.deleteExchange(EXCHANGE);
await connection.close();
