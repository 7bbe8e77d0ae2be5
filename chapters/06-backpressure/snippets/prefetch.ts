// Prefetch is the consumer's flow control: it caps how many messages the broker sends a consumer before the consumer
// acknowledges any. Without it, the broker pushes the whole backlog into the consumer's memory at once. The same 100
// orders, consumed twice by a consumer that works on one order at a time: how many did it hold unacknowledged at the
// worst moment, and how many stayed in the queue, where another consumer could still have taken them?
import amqp, { type ConsumeMessage } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const ORDERS = 100;

const connection = await amqp.connect(url);

async function consumeAll(prefetch: number): Promise<void> {
  const channel = await connection.createConfirmChannel();
  const queue = (await channel.assertQueue('', { exclusive: true })).queue;
  for (let i = 1; i <= ORDERS; i++) channel.sendToQueue(queue, Buffer.from(`order-${i}`));
  await channel.waitForConfirms(); // every order is in the queue

  if (prefetch > 0) await channel.prefetch(prefetch);
  const inbox: ConsumeMessage[] = []; // delivered to this process, not handled yet
  let held = 0; // delivered, not acknowledged
  let mostHeld = 0;
  let wake = () => {};
  await channel.consume(queue, (m) => {
    if (!m) return;
    inbox.push(m);
    mostHeld = Math.max(mostHeld, ++held);
    wake();
  });

  let waiting = -1;
  for (let done = 0; done < ORDERS; done++) {
    while (inbox.length === 0) await new Promise<void>((r) => (wake = r));
    const m = inbox.shift()!;
    if (done === 0) {
      // The first order takes 300 ms. Half-way through, ask the broker what is still in the queue.
      await sleep(150);
      waiting = (await channel.checkQueue(queue)).messageCount;
      await sleep(150);
    } else await sleep(2);
    channel.ack(m);
    held--;
  }
  console.log(
    `${prefetch ? `prefetch ${prefetch}` : 'no prefetch'}:`.padEnd(13) +
      `the consumer held up to ${mostHeld} unacknowledged orders at once; ` +
      `half-way through its first order, ${waiting} still waited in the queue`,
  );
  await channel.close();
}

await consumeAll(0);
await consumeAll(10);
await connection.close();
