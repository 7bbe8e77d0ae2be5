// Fulfilment's consumer: it takes orders off the queue named in TASKS_QUEUE and books each one with the warehouse
// (POST $WAREHOUSE_URL/book). The warehouse's API allows at most 5 calls in any second. Solved: a sliding-window
// limiter in front of book(), counting each call from the moment it is answered, so that network delay cannot
// squeeze more than 5 calls into one second as the warehouse sees them.
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

/** At most `max` calls in any `windowMs`, each counted from its answer; acquire() waits, it never refuses. */
class SlidingWindow {
  private calls: { answered: number }[] = []; // Infinity while in flight
  private wakers: (() => void)[] = [];
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}
  /** Resolves when one more call may go, with a function to call once it has been answered. */
  async acquire(): Promise<() => void> {
    for (;;) {
      const now = performance.now();
      this.calls = this.calls.filter((c) => c.answered > now - this.windowMs);
      if (this.calls.length < this.max) {
        const call = { answered: Infinity };
        this.calls.push(call);
        return () => {
          call.answered = performance.now();
          for (const wake of this.wakers.splice(0)) wake();
        };
      }
      const oldest = Math.min(...this.calls.map((c) => c.answered));
      const answered = new Promise<void>((r) => this.wakers.push(r));
      await (Number.isFinite(oldest)
        ? Promise.race([new Promise((r) => setTimeout(r, oldest + this.windowMs - now)), answered])
        : answered);
    }
  }
}

const limiter = new SlidingWindow(CALLS_PER_SECOND, 1000);
const connection = await amqp.connect(url);
const channel = await connection.createChannel();
await channel.prefetch(10);

async function handle(m: ConsumeMessage): Promise<void> {
  const answered = await limiter.acquire(); // waits for a free place in the window; the order stays unacked
  try {
    await book(m.content.toString());
    channel.ack(m);
  } catch (err) {
    console.log(`booking failed, will retry later: ${(err as Error).message}`);
    channel.nack(m, false, true);
  } finally {
    answered();
  }
}

await channel.consume(QUEUE, (m) => {
  if (m) void handle(m);
});
console.log(`booking orders from ${QUEUE} at no more than ${CALLS_PER_SECOND} a second`);
