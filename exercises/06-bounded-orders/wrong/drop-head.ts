// fails: refuses new orders when full, instead of dropping the oldest
// The claim the chapter tests: a cap with x-overflow drop-head. The queue never holds more than 20, but the broker
// acks every publish and drops the oldest orders to make room, so the producer never slows down and orders vanish.
import amqp from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const QUEUE = process.env.ORDERS_QUEUE ?? 'orders';
const ORDER_COUNT = Number(process.env.ORDER_COUNT ?? 200);

const connection = await amqp.connect(url);
const channel = await connection.createConfirmChannel();
await channel.assertQueue(QUEUE, {
  durable: true,
  arguments: { 'x-max-length': 20, 'x-overflow': 'drop-head' },
});
const publish = (body: string) =>
  new Promise<boolean>((r) => channel.sendToQueue(QUEUE, Buffer.from(body), {}, (err) => r(!err)));
for (let i = 1; i <= ORDER_COUNT; i++) {
  const body = JSON.stringify({ orderId: `o-${i}` });
  for (let pause = 50; !(await publish(body)); pause = Math.min(pause * 2, 500)) await sleep(pause);
}
await connection.close();
