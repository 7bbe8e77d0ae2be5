// A worker of the acknowledgement lesson: it takes one task at a time (prefetch 1), does the work, reports it to
// the producer, and only then acks. A task it has not acked stays the broker's responsibility.
import amqp from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const name = `careful-worker-${process.pid}`;

const connection = await amqp.connect(url);
const ch = await connection.createChannel();
await ch.prefetch(1);
await ch.assertQueue('patterns.jobs', { durable: true, autoDelete: true });
await ch.consume('patterns.jobs', async (msg) => {
  if (msg === null) return void (await connection.close()); // the queue was deleted: the lesson is over
  const task = msg.content.toString();
  console.log(`${task}${msg.fields.redelivered ? ' (redelivered: true, someone had it before me)' : ''}`);
  await sleep(200); // the work itself
  const report = { task, worker: name, redelivered: msg.fields.redelivered };
  ch.sendToQueue(msg.properties.replyTo as string, Buffer.from(JSON.stringify(report)));
  ch.ack(msg);
});
console.log(`${name}: waiting for tasks`);
