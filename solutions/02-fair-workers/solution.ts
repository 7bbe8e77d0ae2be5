// A worker of the shop's image pipeline: it takes tasks from the tasks queue and has each one done by the work
// service (POST $WORK_URL/work), acking the task once the service has answered. Several copies of this program run
// at once, on machines of different speeds. Solved: prefetch 1, set before consuming, and the ack after the work.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const QUEUE = process.env.TASKS_QUEUE ?? 'patterns.image-tasks';
const WORK_URL = process.env.WORK_URL ?? 'http://127.0.0.1:8080';

/** Has the work service do one task; rejects if it answers with an error. */
async function work(task: string): Promise<void> {
  const response = await fetch(`${WORK_URL}/work`, { method: 'POST', body: task });
  if (!response.ok) throw new Error(`the work service answered ${response.status}`);
}

const connection = await amqp.connect(url);
const ch = await connection.createChannel();
await ch.assertQueue(QUEUE, { durable: true });

// Prefetch 1: the broker hands this worker a new task only once it has acked the last one, so tasks go to whoever
// is free. It applies to consumers started after it, so it comes first. The ack comes after the work: a worker that
// dies halfway leaves its task unacked, and the broker gives it to another worker.
await ch.prefetch(1);
await ch.consume(QUEUE, async (msg) => {
  if (!msg) return;
  await work(msg.content.toString());
  ch.ack(msg);
});
console.log(`worker ${process.pid} consuming from ${QUEUE}`);
