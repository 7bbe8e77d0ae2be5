// The worker that dies mid-task: it does its first task like the careful workers, and in the middle of its second
// the process ends, as if its machine lost power. It never acks that task. What becomes of it?
import amqp from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const name = `crashing-worker-${process.pid}`;

const connection = await amqp.connect(url);
const ch = await connection.createChannel();
await ch.prefetch(1);
await ch.assertQueue('patterns.jobs', { durable: true, autoDelete: true });
let taken = 0;
await ch.consume('patterns.jobs', async (msg) => {
  if (msg === null) return;
  const task = msg.content.toString();
  console.log(task);
  await sleep(100); // halfway through the work…
  if (++taken === 2) {
    console.log(`${name}: dies in the middle of ${task}, without acking it`);
    process.exit(1);
  }
  await sleep(100);
  const report = { task, worker: name, redelivered: msg.fields.redelivered };
  ch.sendToQueue(msg.properties.replyTo as string, Buffer.from(JSON.stringify(report)));
  ch.ack(msg);
});
console.log(`${name}: waiting for tasks`);
