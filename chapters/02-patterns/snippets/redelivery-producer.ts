// The producer of the acknowledgement lesson: nine tasks for three workers, one of which dies in the middle of a
// task. Workers report each task they finish; the producer waits until every task is done and shows who did it.
import amqp from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const TASKS = 9;
const QUEUE = 'patterns.jobs';

const connection = await amqp.connect(url);
const ch = await connection.createChannel();
await ch.assertQueue(QUEUE, { durable: true, autoDelete: true });
for (let waited = 0; (await ch.checkQueue(QUEUE)).consumerCount < 3; waited += 50) {
  if (waited > 20_000) throw new Error('expected three workers on the queue');
  await sleep(50);
}

const { queue: reports } = await ch.assertQueue('', { exclusive: true });
const done = new Map<string, { worker: string; redelivered: boolean }>();
const allDone = new Promise<void>((resolve) => {
  void ch.consume(
    reports,
    (msg) => {
      if (!msg) return;
      const r = JSON.parse(msg.content.toString()) as { task: string; worker: string; redelivered: boolean };
      done.set(r.task, r);
      if (done.size === TASKS) resolve();
    },
    { noAck: true },
  );
});
for (let i = 1; i <= TASKS; i++) ch.sendToQueue(QUEUE, Buffer.from(`task ${i}`), { replyTo: reports });
await allDone;

const names = [...done.keys()].sort((a, b) => Number(a.split(' ')[1]) - Number(b.split(' ')[1]));
for (const task of names) {
  const r = done.get(task)!;
  console.log(`${task.padEnd(8)} done by ${r.worker}${r.redelivered ? ' (redelivered: true)' : ''}`);
}
const again = [...done.values()].filter((r) => r.redelivered).length;
console.log(
  `all ${done.size} tasks done; ${again} of them delivered a second time, marked redelivered: true`,
);
await ch.deleteQueue(QUEUE); // cancels the careful workers' subscriptions: their signal to stop
await connection.close();
