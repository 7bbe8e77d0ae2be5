// fails: never lets the queue hold more than 20 orders
// Confirms and retries, but the queue has no x-max-length: the broker accepts every order, nothing is ever refused,
// and the backlog grows to all 200 orders. The producer "waits" for confirms that never say no.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const QUEUE = process.env.ORDERS_QUEUE ?? 'orders';
const ORDER_COUNT = Number(process.env.ORDER_COUNT ?? 200);

const connection = await amqp.connect(url);
const channel = await connection.createConfirmChannel();
await channel.assertQueue(QUEUE, { durable: true });
for (let i = 1; i <= ORDER_COUNT; i++) {
  channel.sendToQueue(QUEUE, Buffer.from(JSON.stringify({ orderId: `o-${i}` })));
}
await channel.waitForConfirms();
await connection.close();
