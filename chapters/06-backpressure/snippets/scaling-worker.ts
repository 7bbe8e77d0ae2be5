// One of three identical workers sharing one queue (run together with scaling-producer.ts). Each task says how long
// its work takes.
// With prefetch 1 a worker holds one task at a time, so the broker gives the next task to whichever worker is free.
// A "stop" message ends the worker; it reports what it did to the producer's reply queue.
import amqp from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const TASKS = 'backpressure.scaling.tasks';

const connection = await amqp.connect(url);
const channel = await connection.createChannel();
// Durable (RabbitMQ 4.3 refuses shared non-durable queues) and auto-delete: the broker deletes it when its last
// worker leaves, so no run leaves it behind.
await channel.assertQueue(TASKS, { durable: true, autoDelete: true });
await channel.prefetch(1);
const name = `worker-${process.pid}`;
console.log(`${name} waiting for tasks`);

const done: { task: number; finishedAt: number }[] = [];
const { consumerTag } = await channel.consume(TASKS, async (m) => {
  if (!m) return;
  const task = m.content.toString();
  if (task === 'stop') {
    await channel.cancel(consumerTag); // take nothing more, so that each worker gets one "stop"
    channel.ack(m);
    channel.sendToQueue(m.properties.replyTo as string, Buffer.from(JSON.stringify({ name, done })));
    console.log(`${name} handled ${done.length} tasks: ${done.map((d) => d.task).join(' ')}`);
    await channel.close();
    await connection.close();
    return;
  }
  const { n, ms } = JSON.parse(task) as { n: number; ms: number };
  await sleep(ms); // the work
  done.push({ task: n, finishedAt: Date.now() });
  channel.ack(m);
});
