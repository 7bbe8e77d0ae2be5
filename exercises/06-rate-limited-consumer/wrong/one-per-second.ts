// fails: books 30 orders in under 9 s, keeping up with what the warehouse allows
// Safe, and far too slow: one order at a time (prefetch 1), and a full second's pause after each call. The warehouse
// never sees more than one call a second, and the backlog takes six times longer than the limit requires.
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
await channel.prefetch(1);

async function handle(m: ConsumeMessage): Promise<void> {
  try {
    await book(m.content.toString());
    await sleep(1000);
    channel.ack(m);
  } catch (err) {
    console.log(`booking failed, will retry later: ${(err as Error).message}`);
    channel.nack(m, false, true);
  }
}

await channel.consume(QUEUE, (m) => {
  if (m) void handle(m);
});
console.log(`booking one order a second, well under the warehouse's ${CALLS_PER_SECOND}`);
