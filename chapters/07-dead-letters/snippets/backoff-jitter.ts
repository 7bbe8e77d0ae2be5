// Exponential backoff with jitter through delay queues. Each attempt has its delay (200, 400, 800 ms: each twice the
// last), and three delay queues with fixed TTLs at half, three quarters and all of it. A failed message is
// republished to one of its attempt's three queues, picked at random, so that messages that failed together do not
// all come back together. After 4 attempts it is parked.
import amqp, { type ConsumeMessage } from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const connection = await amqp.connect(url);
const channel = await connection.createConfirmChannel();
await channel.prefetch(10);

const work = 'dead-letters.backoff.work';
const parking = 'dead-letters.backoff.parking-lot';
const BASE_MS = 200;
const MAX_ATTEMPTS = 4;
await channel.assertQueue(work, { exclusive: true });
await channel.assertQueue(parking, { exclusive: true });
// Every message in a delay queue has the queue's own TTL, so the head is always the next one due (see mixed-ttl.ts).
const delayQueue = (ms: number) => `dead-letters.backoff.delay-${ms}ms`;
/** The delays of an attempt's three queues: half its exponential delay, three quarters, all of it. */
const delaysOf = (attempt: number) => [0.5, 0.75, 1].map((f) => f * BASE_MS * 2 ** (attempt - 1));
for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++)
  for (const ms of delaysOf(attempt))
    await channel.assertQueue(delayQueue(ms), {
      exclusive: true,
      arguments: { 'x-message-ttl': ms, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': work },
    });

/** Jitter: one of the attempt's three delays, at random. */
function backoff(attempt: number): number {
  const delays = delaysOf(attempt);
  return delays[Math.floor(Math.random() * delays.length)]!;
}

// A flaky downstream service: order n fails its first n - 1 attempts, so order 1 goes through at once, order 3 on
// its third attempt. Order 4 is poison: it fails every attempt, so it is parked after the fourth.
const started = Date.now();
const now = () => Date.now() - started;
const handle = (order: string, attempt: number) => {
  const n = Number(order.split(' ')[1]);
  if (n === 4 || attempt < n) throw new Error('downstream unavailable');
};

const timeline = new Map<string, number[]>();
let finished = 0;
await new Promise<void>((resolve) => {
  void channel.consume(work, (m: ConsumeMessage | null) => {
    if (!m) return;
    const order = m.content.toString();
    // The attempt number travels in our own header: this copy was published by us, not dead-lettered.
    const attempt = Number(m.properties.headers?.attempt ?? 1);
    timeline.set(order, [...(timeline.get(order) ?? []), now()]);
    const settle = (outcome: string) => {
      channel.ack(m); // only after the copy is confirmed: a crash in between repeats, never loses
      console.log(`${order}: ${outcome} (attempts at ${timeline.get(order)!.join(', ')} ms)`);
      if (++finished === 4) resolve();
    };
    try {
      handle(order, attempt);
      settle(`done at attempt ${attempt}`);
    } catch {
      if (attempt === MAX_ATTEMPTS) {
        channel.sendToQueue(parking, m.content, { headers: { attempt } });
        void channel.waitForConfirms().then(() => settle(`parked after ${attempt} attempts`));
      } else {
        channel.sendToQueue(delayQueue(backoff(attempt)), m.content, { headers: { attempt: attempt + 1 } });
        void channel.waitForConfirms().then(() => channel.ack(m));
      }
    }
  });
  for (const n of [1, 2, 3, 4]) channel.sendToQueue(work, Buffer.from(`order ${n}`));
});
console.log(`parking lot holds ${(await channel.checkQueue(parking)).messageCount} message(s)`);
await connection.close();
