// The order producer of the shop's sale: it publishes ORDER_COUNT orders to the queue named in ORDERS_QUEUE, which
// fulfilment consumes when it can. As it stands, the queue has no limit and the producer never waits, so during a
// sale the backlog grows without end. Your work is where the TODO is: cap the queue, and make the producer slow down.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const QUEUE = process.env.ORDERS_QUEUE ?? 'orders';
const ORDER_COUNT = Number(process.env.ORDER_COUNT ?? 200);
/** The most orders the queue may hold: fulfilment's backlog must stay small enough to clear in a minute. */
const MAX_LENGTH = 20;

const connection = await amqp.connect(url);
const channel = await connection.createChannel();

// TODO: cap the queue at MAX_LENGTH orders so that it refuses new ones when full (never dropping old ones), and
// publish so that the producer hears about each refusal and sends that order again later. Every order must reach
// fulfilment exactly once, and the program must end by itself once all of them have been accepted.
await channel.assertQueue(QUEUE, { durable: true });
for (let i = 1; i <= ORDER_COUNT; i++) {
  channel.sendToQueue(QUEUE, Buffer.from(JSON.stringify({ orderId: `o-${i}` })));
}
console.log(`published ${ORDER_COUNT} orders (queue limit still to do: ${MAX_LENGTH})`);
await channel.close(); // sends what is still buffered first
await connection.close();
