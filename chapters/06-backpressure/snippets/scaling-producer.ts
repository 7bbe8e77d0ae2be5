// Publishes 30 tasks of 100 ms each to the queue that three workers share (scaling-worker.ts), once all three are
// listening, then one "stop" per worker. From the workers' reports it measures how long the 30 tasks took and in
// which order they were finished.
import amqp from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const TASKS = 'backpressure.scaling.tasks';
const WORKERS = 3;
const COUNT = 30;

const connection = await amqp.connect(url);
const channel = await connection.createChannel();
await channel.assertQueue(TASKS, { durable: true, autoDelete: true });
const replies = (await channel.assertQueue('', { exclusive: true })).queue;

// Publish only once every worker is registered, or the first one would get a head start.
while ((await channel.checkQueue(TASKS)).consumerCount < WORKERS) await sleep(50);
console.log(`${WORKERS} workers listening; publishing ${COUNT} tasks of 100 ms`);

const began = Date.now();
for (let i = 1; i <= COUNT; i++) channel.sendToQueue(TASKS, Buffer.from(String(i)));
for (let i = 0; i < WORKERS; i++) channel.sendToQueue(TASKS, Buffer.from('stop'), { replyTo: replies });

type Report = { name: string; done: { task: number; finishedAt: number }[] };
const reports = await new Promise<Report[]>((resolve) => {
  const got: Report[] = [];
  void channel.consume(
    replies,
    (m) => {
      if (m) got.push(JSON.parse(m.content.toString()) as Report);
      if (got.length === WORKERS) resolve(got);
    },
    { noAck: true },
  );
});

const all = reports.flatMap((r) => r.done).sort((a, b) => a.finishedAt - b.finishedAt);
const seconds = (all.at(-1)!.finishedAt - began) / 1000;
const outOfOrder = all.filter((d, i) => i > 0 && d.task < all[i - 1]!.task).length;
console.log(
  `${all.length} tasks in ${seconds.toFixed(2)} s with ${WORKERS} workers: ${Math.round(all.length / seconds)} tasks/s ` +
    `(one worker alone manages at most 10/s)`,
);
console.log(`per worker: ${reports.map((r) => r.done.length).join(', ')}`);
console.log(`finished in this order: ${all.map((d) => d.task).join(' ')}`);
console.log(`${outOfOrder} tasks finished before a task published ahead of them`);
await connection.close();
