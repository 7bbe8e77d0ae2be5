// The slow worker of the work-queue lesson: worker.ts, unchanged but for WORK_MS. It stands for the one machine
// in a pool that is older, busier or further away than the others; everything else about it is the same.
import amqp from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
/** How long one task takes on this machine: six times longer than in worker.ts, otherwise identical. */
const WORK_MS = 600;
const name = `${WORK_MS > 100 ? 'slow' : 'fast'}-worker-${process.pid}`;

const connection = await amqp.connect(url);
let open = 2;

async function consume(queue: string, prefetch: number | undefined) {
  const ch = await connection.createChannel();
  if (prefetch) await ch.prefetch(prefetch);
  // durable + auto-delete: the queue survives nothing but its consumers; the lesson cleans up after itself.
  await ch.assertQueue(queue, { durable: true, autoDelete: true });
  // amqplib calls us for every delivery at once; a worker does one task at a time, so tasks take turns here.
  let turn = Promise.resolve();
  await ch.consume(queue, (msg) => {
    if (msg === null) {
      // The broker cancelled us: the producer deleted the queue, so this round is over.
      turn = turn.then(() => (--open === 0 ? connection.close() : undefined));
      return;
    }
    turn = turn.then(async () => {
      const task = msg.content.toString();
      await sleep(WORK_MS); // the work itself
      const report = { task, worker: name };
      ch.sendToQueue(msg.properties.replyTo as string, Buffer.from(JSON.stringify(report)));
      ch.ack(msg);
    });
  });
}

await consume('patterns.no-prefetch', undefined);
await consume('patterns.prefetch-1', 1);
console.log(`${name}: waiting for tasks, ${WORK_MS} ms each`);
