// A retry queue with a per-message expiration on each message looks flexible: one queue, any delay. But RabbitMQ
// only expires the message at the head of a queue. A short delay queued behind a long one waits for the long one.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const connection = await amqp.connect(url);
const channel = await connection.createChannel();

// Expired messages come back through the default exchange to `ready`, where we time their arrival.
const ready = 'dead-letters.mixed-ttl.ready';
await channel.assertQueue(ready, { exclusive: true });
const backToReady = { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': ready };

/** Publishes each [name, delay] to the queue `route` picks, and resolves with each one's arrival in `ready`. */
async function delay(messages: [string, number][], route: (ms: number) => string) {
  const sent = Date.now();
  const arrived: string[] = [];
  let tag = '';
  await new Promise<void>((resolve) => {
    void channel
      .consume(ready, (m) => {
        if (!m) return;
        const name = m.content.toString();
        const asked = messages.find(([n]) => n === name)![1];
        arrived.push(`${name} (asked ${asked} ms) back after ${Date.now() - sent} ms`);
        channel.ack(m);
        if (arrived.length === messages.length) resolve();
      })
      .then((ok) => {
        tag = ok.consumerTag;
        for (const [name, ms] of messages)
          channel.sendToQueue(route(ms), Buffer.from(name), { expiration: String(ms) });
      });
  });
  await channel.cancel(tag);
  return arrived;
}

// 1. One retry queue for every delay: a message due in 2 s first, then one due in 100 ms.
const single = 'dead-letters.mixed-ttl.retry';
await channel.assertQueue(single, { exclusive: true, arguments: backToReady });
console.log('one retry queue, mixed per-message delays:');
for (const line of await delay(
  [
    ['slow retry', 2000],
    ['quick retry', 100],
  ],
  () => single,
))
  console.log(`    ${line}`);

// 2. One queue per delay: each queue's head is always the next message due.
for (const ms of [100, 2000])
  await channel.assertQueue(`${single}-${ms}ms`, { exclusive: true, arguments: backToReady });
console.log('one retry queue per delay:');
for (const line of await delay(
  [
    ['slow retry', 2000],
    ['quick retry', 100],
  ],
  (ms) => `${single}-${ms}ms`,
))
  console.log(`    ${line}`);
await connection.close();
