// Two things a queue does not do. First, replay: once a message is acked it is gone, so a reader who arrives
// later, or who wants to read again, finds nothing. Second, order per key under competing consumers: events of
// one order, handled by two workers at different speeds, are finished out of order.
import amqp from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const connection = await amqp.connect(url);
const ch = await connection.createConfirmChannel();

// 1. Five events through an exchange; the one queue bound to it is read and acked.
const EXCHANGE = 'patterns.audit';
await ch.deleteExchange(EXCHANGE);
await ch.assertExchange(EXCHANGE, 'fanout', { durable: false });
const { queue: billing } = await ch.assertQueue('', { exclusive: true });
await ch.bindQueue(billing, EXCHANGE, '');
for (let i = 1; i <= 5; i++) ch.publish(EXCHANGE, '', Buffer.from(`order ${i} placed`));
await ch.waitForConfirms();
let read = 0;
for (let msg; (msg = await ch.get(billing)); read++) ch.ack(msg);
console.log(`billing read and acked ${read} events`);
console.log(
  `billing's queue now holds ${(await ch.checkQueue(billing)).messageCount}: nothing left to read again`,
);
const { queue: fraud } = await ch.assertQueue('', { exclusive: true });
await ch.bindQueue(fraud, EXCHANGE, '');
console.log(
  `a fraud service subscribing now finds ${(await ch.checkQueue(fraud)).messageCount} of the 5 past events`,
);
await ch.deleteExchange(EXCHANGE);

// 2. Three events of one order, in order, on one queue with two competing workers (prefetch 1 each).
const { queue: events } = await ch.assertQueue('', { exclusive: true });
const finished: string[] = [];
const allDone = new Promise<void>((resolve) => {
  const worker = async (name: string, ms: number) => {
    const wch = await connection.createChannel();
    await wch.prefetch(1);
    await wch.consume(events, async (msg) => {
      if (!msg) return;
      await sleep(ms); // this worker's speed
      finished.push(msg.content.toString());
      console.log(`${name} finished "${msg.content}"`);
      wch.ack(msg);
      if (finished.length === 3) resolve();
    });
  };
  void worker('worker A (300 ms a task)', 300).then(() => worker('worker B (50 ms a task)', 50));
});
while ((await ch.checkQueue(events)).consumerCount < 2) await sleep(20);
const published = ['order 7 created', 'order 7 paid', 'order 7 shipped'];
for (const e of published) ch.sendToQueue(events, Buffer.from(e));
await allDone;
const inOrder = finished.every((e, i) => e === published[i]);
console.log(`published: ${published.join(', ')}`);
console.log(
  `finished:  ${finished.join(', ')}${inOrder ? ' (in publish order)' : ' (out of publish order)'}`,
);
await connection.close();
