// fails: never calls the warehouse more than 5 times in any second
// 5 a second is one call every 200 ms, so each handler pauses 200 ms after its call. But with prefetch 10, ten
// handlers run at once and each pauses only itself: the warehouse gets ten calls at a time.
import { setTimeout as sleep } from 'node:timers/promises';
import amqp, { type ConsumeMessage } from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const QUEUE = process.env.TASKS_QUEUE ?? 'orders';
const WAREHOUSE_URL = process.env.WAREHOUSE_URL ?? 'http://localhost:8080';
/** The warehouse's limit: at most this many calls in any one second. */
const CALLS_PER_SECOND = 5;

/** Books one order with the warehouse; rejects when the warehouse does not answer 2xx. */
async function book(order: string): Promise<void> {
  const response = await fetch(`${WAREHOUSE_URL}/book`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: order,
  });
  await response.text();
  if (!response.ok) throw new Error(`the warehouse answered ${response.status}`);
}

const connection = await amqp.connect(url);
const channel = await connection.createChannel();
await channel.prefetch(10);

async function handle(m: ConsumeMessage): Promise<void> {
  try {
    await book(m.content.toString());
    await sleep(1000 / CALLS_PER_SECOND);
    channel.ack(m);
  } catch (err) {
    console.log(`booking failed, will retry later: ${(err as Error).message}`);
    channel.nack(m, false, true);
  }
}

await channel.consume(QUEUE, (m) => {
  if (m) void handle(m);
});
