// The order producer of the shop's sale: it publishes ORDER_COUNT orders to the queue named in ORDERS_QUEUE, which
// fulfilment consumes when it can. Solved: the queue holds at most 20 orders and refuses the rest (reject-publish);
// the producer publishes on a confirm channel, with a window of unconfirmed orders, and sends a refused order again.
import amqp from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const QUEUE = process.env.ORDERS_QUEUE ?? 'orders';
const ORDER_COUNT = Number(process.env.ORDER_COUNT ?? 200);
/** The most orders the queue may hold: fulfilment's backlog must stay small enough to clear in a minute. */
const MAX_LENGTH = 20;
/** The most orders this producer leaves unconfirmed at once. */
const WINDOW = 10;

const connection = await amqp.connect(url);
// A confirm channel: the broker answers every publish with an ack, or a nack when the queue refuses it.
const channel = await connection.createConfirmChannel();
await channel.assertQueue(QUEUE, {
  durable: true,
  // reject-publish refuses what does not fit and says so; drop-head would silently drop the oldest orders.
  arguments: { 'x-max-length': MAX_LENGTH, 'x-overflow': 'reject-publish' },
});

/** Publishes one order and resolves with the broker's answer: true for an ack, false for a nack. */
function publish(body: string): Promise<boolean> {
  return new Promise((resolve) => channel.sendToQueue(QUEUE, Buffer.from(body), {}, (err) => resolve(!err)));
}

let free = WINDOW;
const waiting: (() => void)[] = [];
const acquire = () => (free > 0 ? (free--, Promise.resolve()) : new Promise<void>((r) => waiting.push(r)));
const release = () => (waiting.length ? waiting.shift()!() : free++);
let refusals = 0;

/** Sends one order until the broker accepts it, pausing longer after each refusal. */
async function send(orderId: string): Promise<void> {
  for (let pause = 50; ; pause = Math.min(pause * 2, 500)) {
    await acquire();
    const accepted = await publish(JSON.stringify({ orderId }));
    release();
    if (accepted) return;
    refusals++;
    await sleep(pause); // the queue is full: give fulfilment time to make room
  }
}

const orders = Array.from({ length: ORDER_COUNT }, (_, i) => `o-${i + 1}`);
await Promise.all(orders.map(send));
console.log(`all ${ORDER_COUNT} orders confirmed; ${refusals} refusals on the way`);
await connection.close();
