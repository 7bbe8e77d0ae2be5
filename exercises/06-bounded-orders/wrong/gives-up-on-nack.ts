// fails: delivers every order exactly once when fulfilment catches up
// Capped, reject-publish, confirms: the producer hears every refusal, logs it, and moves on to the next order.
// Hearing the pushback is not enough; the refused orders have to be sent again, or they are lost.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const QUEUE = process.env.ORDERS_QUEUE ?? 'orders';
const ORDER_COUNT = Number(process.env.ORDER_COUNT ?? 200);

const connection = await amqp.connect(url);
const channel = await connection.createConfirmChannel();
await channel.assertQueue(QUEUE, {
  durable: true,
  arguments: { 'x-max-length': 20, 'x-overflow': 'reject-publish' },
});
let refused = 0;
const answers: Promise<void>[] = [];
for (let i = 1; i <= ORDER_COUNT; i++) {
  answers.push(
    new Promise((resolve) =>
      channel.sendToQueue(QUEUE, Buffer.from(JSON.stringify({ orderId: `o-${i}` })), {}, (err) => {
        if (err) refused++;
        resolve();
      }),
    ),
  );
}
await Promise.all(answers);
console.log(`${refused} orders refused by the full queue`);
await connection.close();
