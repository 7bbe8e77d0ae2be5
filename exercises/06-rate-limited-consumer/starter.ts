// Fulfilment's consumer: it takes orders off the queue named in TASKS_QUEUE and books each one with the warehouse
// (POST $WAREHOUSE_URL/book). The warehouse's API allows at most 5 calls in any second. As it stands, the consumer
// calls as fast as orders arrive, and after a sale the backlog hits the warehouse all at once. Your work is where
// the TODO is: keep to the warehouse's limit, and still book every order.
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

// TODO: the warehouse allows CALLS_PER_SECOND calls in any second, and measures that itself. Put a rate limiter in
// front of book() that waits (never skips an order) until a call may go, and acknowledge each order once booked.
async function handle(m: ConsumeMessage): Promise<void> {
  try {
    await book(m.content.toString());
    channel.ack(m);
  } catch (err) {
    console.log(`booking failed, will retry later: ${(err as Error).message}`);
    channel.nack(m, false, true);
  }
}

await channel.consume(QUEUE, (m) => {
  if (m) void handle(m);
});
console.log(`booking orders from ${QUEUE} at no more than ${CALLS_PER_SECOND} a second (still to do)`);
