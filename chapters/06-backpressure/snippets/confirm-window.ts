// Publisher confirms as the producer's pacing. The queue holds at most 50 orders and refuses the rest
// (reject-publish); a consumer handles about one order every 5 ms. The producer sends 300 orders twice:
// 1. without confirms, as fast as it can: the broker refuses what does not fit, and nobody tells the producer;
// 2. on a confirm channel, with at most 20 orders unconfirmed at a time, sending a refused order again after a pause.
import amqp, { type Channel } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const QUEUE = 'backpressure.confirm-window.orders';
const ORDERS = 300;
const WINDOW = 20;

const connection = await amqp.connect(url);
const consuming = await amqp.connect(url); // the consumer's own connection, as in outrun.ts

/**
 * Starts a consumer doing 5 ms of work per order, and resolves once the broker has registered it. `finished`
 * resolves with the distinct orders received, when there are `expected` of them or none came for `idleMs`.
 */
async function startConsumer(expected: number, idleMs: number) {
  const channel: Channel = await consuming.createChannel();
  await channel.prefetch(1);
  const received = new Set<string>();
  const began = Date.now();
  let last = Date.now();
  await channel.consume(queue, async (m) => {
    if (!m) return;
    await sleep(5);
    received.add(m.content.toString());
    last = Date.now();
    channel.ack(m);
  });
  while ((await channel.checkQueue(queue)).consumerCount === 0) await sleep(10);
  const finished = (async () => {
    while (received.size < expected && Date.now() - last < idleMs) await sleep(20);
    await channel.close();
    return { received, seconds: (last - began) / 1000 };
  })();
  return { finished };
}

/** Samples the queue's depth until `until` settles; resolves with the largest depth seen. */
async function deepest(channel: Channel, until: Promise<unknown>): Promise<number> {
  let settled = false;
  void until.finally(() => (settled = true));
  let most = 0;
  while (!settled) {
    most = Math.max(most, (await channel.checkQueue(QUEUE)).messageCount);
    await sleep(20);
  }
  return most;
}

const admin = await connection.createChannel();
await admin.deleteQueue(QUEUE); // an earlier run that crashed may have left it behind
const { queue } = await admin.assertQueue(QUEUE, {
  durable: true, // RabbitMQ 4.3 refuses non-durable queues that are not exclusive; deleted at the end
  arguments: { 'x-max-length': 50, 'x-overflow': 'reject-publish' },
});
const orders = (round: number) => Array.from({ length: ORDERS }, (_, i) => `r${round}-order-${i + 1}`);

// 1. No confirms: sendToQueue returns at once, whatever the broker does with the message.
{
  const channel = await connection.createChannel();
  const began = Date.now();
  for (const body of orders(1)) channel.sendToQueue(queue, Buffer.from(body));
  const published = (Date.now() - began) / 1000;
  // The consumer starts after the burst, as a consumer that is busy elsewhere would. (Some of the burst may still be
  // on its way to the queue, so a few more than 50 can fit; most of it cannot.)
  const { received } = await (await startConsumer(ORDERS, 300)).finished;
  console.log(
    `without confirms:   published ${ORDERS} in ${published.toFixed(2)} s; the consumer received ` +
      `${received.size}; lost ${ORDERS - received.size}, and the producer was never told`,
  );
  await channel.close();
}

// 2. A window of outstanding confirms: each order holds one of WINDOW slots until the broker answers.
{
  const channel = await connection.createConfirmChannel();
  let free = WINDOW;
  const waiters: (() => void)[] = [];
  const acquire = () => (free > 0 ? (free--, Promise.resolve()) : new Promise<void>((r) => waiters.push(r)));
  const release = () => (waiters.length ? waiters.shift()!() : free++);
  let nacks = 0;
  async function send(body: string): Promise<void> {
    for (let pause = 50; ; pause = Math.min(pause * 2, 400)) {
      await acquire();
      const acked = await new Promise<boolean>((r) =>
        channel.sendToQueue(queue, Buffer.from(body), {}, (err) => r(!err)),
      );
      release();
      if (acked) return;
      nacks++;
      await sleep(pause); // refused: the queue is full. Give the consumer time, then try again.
    }
  }
  const consumer = await startConsumer(ORDERS, 2000);
  const began = Date.now();
  const sending = Promise.all(orders(2).map(send));
  const most = await deepest(admin, sending);
  const published = (Date.now() - began) / 1000;
  const { received, seconds } = await consumer.finished;
  console.log(
    `window of ${WINDOW}: published ${ORDERS} in ${published.toFixed(2)} s (the consumer took ${seconds.toFixed(2)} s); ` +
      `${nacks} nacks, deepest queue ${most}; the consumer received ${received.size}; lost ${ORDERS - received.size}`,
  );
}

await admin.deleteQueue(QUEUE);
await connection.close();
await consuming.close();
