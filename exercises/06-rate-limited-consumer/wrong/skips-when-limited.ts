// fails: books every order with the warehouse, once each, and acknowledges it
// The token bucket as a popular text writes it: consume() answers false when no token is left, and the order is
// "rejected (rate limit exceeded)": acknowledged and skipped. The warehouse's limit holds, but most orders are lost.
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

class TokenBucket {
  private tokens: number;
  private last = performance.now();
  constructor(
    private readonly rate: number,
    private readonly capacity: number,
  ) {
    this.tokens = capacity;
  }
  consume(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

const bucket = new TokenBucket(CALLS_PER_SECOND, 1);
const connection = await amqp.connect(url);
const channel = await connection.createChannel();
await channel.prefetch(10);

async function handle(m: ConsumeMessage): Promise<void> {
  if (!bucket.consume()) {
    console.log(`order rejected (rate limit exceeded): ${m.content.toString()}`);
    channel.ack(m);
    return;
  }
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
