// fails: delivers every order exactly once when fulfilment catches up
// The right queue (capped, reject-publish) on a plain channel: the broker refuses what does not fit, but a plain
// channel gets no answer to a publish, so 180 orders are refused without the producer ever knowing.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const QUEUE = process.env.ORDERS_QUEUE ?? 'orders';
const ORDER_COUNT = Number(process.env.ORDER_COUNT ?? 200);

const connection = await amqp.connect(url);
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE, {
  durable: true,
  arguments: { 'x-max-length': 20, 'x-overflow': 'reject-publish' },
});
for (let i = 1; i <= ORDER_COUNT; i++) {
  channel.sendToQueue(QUEUE, Buffer.from(JSON.stringify({ orderId: `o-${i}` })));
}
await channel.close(); // sends what is still buffered first
await connection.close();
