// Publishes 30 tasks of 40 to 160 ms each to the queue that three workers share (scaling-worker.ts), once all three are
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
// Tasks of uneven length, as real ones are: 40 to 160 ms, always the same for the same task number.
const tasks = Array.from({ length: COUNT }, (_, i) => ({ n: i + 1, ms: 40 + (((i + 1) * 53) % 120) }));
const totalMs = tasks.reduce((sum, t) => sum + t.ms, 0);
console.log(`${WORKERS} workers listening; publishing ${COUNT} tasks, ${totalMs} ms of work in all`);

const began = Date.now();
for (const task of tasks) channel.sendToQueue(TASKS, Buffer.from(JSON.stringify(task)));
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
    `(one worker alone would need at least ${(totalMs / 1000).toFixed(2)} s: ${Math.round(COUNT / (totalMs / 1000))} tasks/s)`,
);
console.log(`per worker: ${reports.map((r) => r.done.length).join(', ')}`);
console.log(`finished in this order: ${all.map((d) => d.task).join(' ')}`);
console.log(`${outOfOrder} tasks finished before a task published ahead of them`);
await connection.close();
