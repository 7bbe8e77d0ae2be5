// The same flood as drop-head.ts, into a queue that overflows with reject-publish: the broker refuses the
// publishes that do not fit and says so with a nack on the confirm channel. The publisher learns which orders
// were refused, and sends them again once a consumer has made room: nothing is lost, nothing is reordered.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const QUEUE = 'backpressure.reject-publish.orders';

const connection = await amqp.connect(url);
const channel = await connection.createConfirmChannel();
await channel.deleteQueue(QUEUE); // an earlier run that crashed may have left it behind
await channel.assertQueue(QUEUE, {
  durable: true, // RabbitMQ 4.3 refuses non-durable queues that are not exclusive; deleted at the end
  arguments: { 'x-max-length': 10, 'x-overflow': 'reject-publish' },
});

/** Publishes one order and resolves with the broker's answer: true for an ack, false for a nack. */
function publish(body: string): Promise<boolean> {
  return new Promise((resolve) => channel.sendToQueue(QUEUE, Buffer.from(body), {}, (err) => resolve(!err)));
}

const orders = Array.from({ length: 20 }, (_, i) => `order-${i + 1}`);
const answers = await Promise.all(orders.map(publish));
const refused = orders.filter((_, i) => !answers[i]);
console.log(`publisher: 20 publishes, ${20 - refused.length} acked, ${refused.length} nacked`);
console.log(`refused: ${refused.join(' ')}`);
console.log(`queue depth: ${(await channel.checkQueue(QUEUE)).messageCount}`);

// A consumer takes what is there; then the publisher retries what was refused.
const received: string[] = [];
async function take(): Promise<void> {
  for (let m; (m = await channel.get(QUEUE, { noAck: true }));) received.push(m.content.toString());
}
await take();
const retried = await Promise.all(refused.map(publish));
console.log(
  `retry after the consumer made room: ${retried.filter(Boolean).length} acked, ${retried.filter((a) => !a).length} nacked`,
);
await take();

const inOrder = received.join(' ') === orders.join(' ');
console.log(
  `consumer received ${received.length} of 20${inOrder ? ', in order' : `: ${received.join(' ')}`}; ` +
    `lost: ${20 - new Set(received).size}`,
);

await channel.deleteQueue(QUEUE);
await connection.close();
