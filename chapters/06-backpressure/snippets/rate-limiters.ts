// Two rate limiters, written out, each put in front of a downstream HTTP service that a queue's consumer calls once
// per order. The service records when each call arrives; from its log we measure the most calls it saw in any
// 500 ms, and how many arrived in the first 100 ms (the burst).
import amqp from 'amqplib';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const ORDERS = 40;

interface Limiter {
  /** Resolves when one more call may go, with a function to call once that call has been answered. */
  acquire(): Promise<() => void>;
}

/** A bucket of `capacity` tokens, refilled at `perSecond`; a call takes one token, or waits for the next. */
class TokenBucket implements Limiter {
  private tokens: number;
  private refilled = performance.now();
  constructor(
    private readonly perSecond: number,
    private readonly capacity: number,
  ) {
    this.tokens = capacity; // a full bucket: the first `capacity` calls may go at once
  }
  async acquire() {
    for (;;) {
      const now = performance.now();
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilled) / 1000) * this.perSecond);
      this.refilled = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return () => {};
      }
      await sleep(((1 - this.tokens) / this.perSecond) * 1000);
    }
  }
}

/**
 * At most `max` calls in any `windowMs`. With `countFrom: 'answer'` a call counts from the moment it is answered: a
 * call that the network delays cannot then land in the same window, at the service, as calls sent a window later.
 */
class SlidingWindow implements Limiter {
  private calls: { from: number }[] = []; // when each call started to count; Infinity while it is in flight
  private wakers: (() => void)[] = [];
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly countFrom: 'send' | 'answer',
  ) {}
  async acquire() {
    for (;;) {
      const now = performance.now();
      this.calls = this.calls.filter((c) => c.from > now - this.windowMs);
      if (this.calls.length < this.max) {
        const call = { from: this.countFrom === 'send' ? now : Infinity };
        this.calls.push(call);
        return () => {
          if (this.countFrom === 'answer') call.from = performance.now();
          for (const wake of this.wakers.splice(0)) wake();
        };
      }
      // Full: wait for the oldest answered call to leave the window, or for a call in flight to be answered.
      const oldest = Math.min(...this.calls.map((c) => c.from));
      const answered = new Promise<void>((r) => this.wakers.push(r));
      await (Number.isFinite(oldest)
        ? Promise.race([sleep(oldest + this.windowMs - now), answered])
        : answered);
    }
  }
}

/** The most entries of a sorted list of times that fit in any `ms`-long window. */
function busiest(times: number[], ms: number): number {
  let most = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= ms) lo++;
    most = Math.max(most, hi - lo + 1);
  }
  return most;
}

const arrivals: number[] = [];
const service = createServer((_req, res) => {
  arrivals.push(performance.now());
  res.end('ok');
});
service.listen(0, '127.0.0.1');
await new Promise((r) => service.once('listening', r));
const downstream = `http://127.0.0.1:${(service.address() as AddressInfo).port}/`;

const connection = await amqp.connect(url);

/** Queues ORDERS orders, then consumes them, calling the service once per order through `limiter`. */
async function run(name: string, limiter: Limiter | undefined) {
  const channel = await connection.createConfirmChannel();
  const queue = (await channel.assertQueue('', { exclusive: true })).queue;
  for (let i = 1; i <= ORDERS; i++) channel.sendToQueue(queue, Buffer.from(`order-${i}`));
  await channel.waitForConfirms();
  arrivals.length = 0;
  await channel.prefetch(ORDERS); // the consumer may hold them all: only the limiter holds the calls back
  let done = 0;
  const began = performance.now();
  await new Promise<void>((resolve) => {
    void channel.consume(queue, async (m) => {
      if (!m) return;
      const answered = await limiter?.acquire();
      await (await fetch(downstream)).text();
      answered?.();
      channel.ack(m);
      if (++done === ORDERS) resolve();
    });
  });
  const seconds = (performance.now() - began) / 1000;
  const first = arrivals.filter((t) => t - arrivals[0]! < 100).length;
  console.log(
    `${name.padEnd(38)} ${ORDERS} calls in ${seconds.toFixed(2)} s; ` +
      `busiest 500 ms: ${busiest(arrivals, 500)} calls; first 100 ms: ${first}`,
  );
  await channel.close();
}

await run('no limiter:', undefined);
await run('token bucket, 20/s, burst of 5:', new TokenBucket(20, 5));
await run('sliding window, counted from the send:', new SlidingWindow(10, 500, 'send'));
await run('sliding window, 10 per 500 ms:', new SlidingWindow(10, 500, 'answer'));

await connection.close();
service.close();
