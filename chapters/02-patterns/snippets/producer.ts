// The producer of the work-queue lesson: the same 12 equal tasks, twice, to the same three workers (two fast, one
// slow). Round 1 goes to the queue they consume with no prefetch limit, round 2 to the one they consume with
// prefetch 1. Workers report each finished task; the producer counts who did what and how long each round took.
import amqp from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const TASKS = 12;
const WORKERS = 3;

const connection = await amqp.connect(url);
const ch = await connection.createChannel();
const queues = ['patterns.no-prefetch', 'patterns.prefetch-1'];
for (const q of queues) await ch.assertQueue(q, { durable: true, autoDelete: true });

// Wait until all three workers have subscribed to both queues: a task published earlier would all go to the
// first worker that happened to be ready.
for (let waited = 0; ; waited += 50) {
  const counts = await Promise.all(queues.map(async (q) => (await ch.checkQueue(q)).consumerCount));
  if (counts.every((n) => n === WORKERS)) break;
  if (waited > 20_000)
    throw new Error(`expected ${WORKERS} workers on each queue, have ${counts.join(' and ')}`);
  await sleep(50);
}

// Workers send their reports here: a private queue that disappears with this connection.
const { queue: reports } = await ch.assertQueue('', { exclusive: true });
let onReport: (r: { task: string; worker: string }) => void = () => {};
await ch.consume(reports, (msg) => msg && onReport(JSON.parse(msg.content.toString())), { noAck: true });

async function round(queue: string) {
  const done = new Map<string, number>(); // worker → tasks it did
  const began = performance.now();
  const finished = new Promise<void>((resolve) => {
    let n = 0;
    onReport = (r) => {
      done.set(r.worker, (done.get(r.worker) ?? 0) + 1);
      if (++n === TASKS) resolve();
    };
  });
  for (let i = 1; i <= TASKS; i++) ch.sendToQueue(queue, Buffer.from(`task ${i}`), { replyTo: reports });
  await finished;
  const ms = Math.round(performance.now() - began);
  const slow = [...done].filter(([w]) => w.startsWith('slow')).map(([, n]) => n);
  const fast = [...done].filter(([w]) => w.startsWith('fast')).map(([, n]) => n);
  console.log(
    `${queue}: ${TASKS} tasks in ${ms} ms; the slow worker did ${slow[0] ?? 0}, the fast ones ${fast.join(' and ')}`,
  );
  for (const [worker, n] of [...done].sort()) console.log(`  ${worker.padEnd(20)} ${'#'.repeat(n)} ${n}`);
  return ms;
}

const roundRobin = await round(queues[0]!);
const fair = await round(queues[1]!);
console.log(
  fair < roundRobin
    ? `prefetch 1 finished the same work ${(roundRobin / fair).toFixed(1)} times sooner`
    : `prefetch 1 was not faster this time (${fair} ms against ${roundRobin} ms)`,
);

// Deleting the queues cancels the workers' subscriptions: that is their signal to stop.
for (const q of queues) await ch.deleteQueue(q);
await connection.close();
