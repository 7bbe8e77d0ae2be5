// A worker of the shop's image pipeline: it takes tasks from the tasks queue and has each one done by the work
// service (POST $WORK_URL/work), acking the task once the service has answered. Several copies of this program run
// at once, on machines of different speeds. Your work is where the TODO is: make the pool share tasks fairly.
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

// TODO: as it stands, the broker pushes this worker its share of the tasks in turn, however slow it is, and a slow
// worker sits on tasks that a free one could be doing. Make the broker hand this worker a new task only when it has
// finished the last one, and keep every task safe if the worker dies halfway through.
await ch.consume(QUEUE, async (msg) => {
  if (!msg) return;
  await work(msg.content.toString());
  ch.ack(msg);
});
console.log(`worker ${process.pid} consuming from ${QUEUE}`);
