// A producer that publishes 200 orders a second and a consumer that handles 50: sample the queue's depth while
// they run, and how long the order the consumer is handling has waited. Nothing here pushes back on the producer.
import amqp from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const PRODUCE_PER_S = 200;
const WORK_MS = 20; // the consumer's work per order: at most 50 a second
const RUN_MS = 2400;

// One connection each: when RabbitMQ holds back a publishing connection, everything on it waits, acks included.
const producing = await amqp.connect(url);
const consuming = await amqp.connect(url);
const producer = await producing.createChannel();
const consumer = await consuming.createChannel();
const queue = (await consumer.assertQueue('', { exclusive: true })).queue; // private, gone when we disconnect

let handled = 0;
let lastWaitMs = 0;
let stopping = false;
await consumer.prefetch(1);
await consumer.consume(queue, (m) => {
  if (!m) return;
  lastWaitMs = Date.now() - Number(m.properties.timestamp);
  setTimeout(() => {
    if (stopping) return; // the run is over: the queue and what is left in it go with the connection
    handled++;
    consumer.ack(m);
  }, WORK_MS);
});

const began = Date.now();
const depths: number[] = [];
let published = 0;
let nextSample = 400;
while (Date.now() - began < RUN_MS) {
  producer.sendToQueue(queue, Buffer.from(`order-${++published}`), { timestamp: Date.now() });
  await sleep(1000 / PRODUCE_PER_S);
  if (Date.now() - began >= nextSample) {
    nextSample += 400;
    const { messageCount } = await consumer.checkQueue(queue); // an exclusive queue answers only its own connection
    depths.push(messageCount);
    console.log(
      `${((Date.now() - began) / 1000).toFixed(1)} s  published ${String(published).padStart(3)}  ` +
        `handled ${String(handled).padStart(3)}  depth ${String(messageCount).padStart(3)}  ` +
        `the order being handled waited ${lastWaitMs} ms`,
    );
  }
}
stopping = true;

const seconds = (Date.now() - began) / 1000;
const growing = depths.every((d, i) => i === 0 || d > depths[i - 1]!);
console.log(
  `\nproducer: ${Math.round(published / seconds)}/s, consumer: ${Math.round(handled / seconds)}/s; ` +
    (growing
      ? `the depth grew at every sample, by about ${Math.round((depths.at(-1)! - depths[0]!) / (0.4 * (depths.length - 1)))} orders a second, and every order waits longer than the one before`
      : `the depth did not grow at every sample: ${depths.join(', ')}`),
);
await producing.close();
await consuming.close();
