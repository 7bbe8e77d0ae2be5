// Some guides configure a retry limit on the queue with 'x-max-retries': 3. RabbitMQ has no such argument: it
// accepts any unknown x- argument without a word and ignores it. Run the claim, then count the attempts yourself,
// from the x-death header the broker maintains.
import amqp, { type Channel, type ConsumeMessage } from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const connection = await amqp.connect(url);
const channel = await connection.createChannel();
await channel.prefetch(1);

const orders = 'dead-letters.max-retries.orders';
const dlq = 'dead-letters.max-retries.dlq';
await channel.assertQueue(dlq, { exclusive: true });
// 1. The claim: a queue that dead-letters to dlq "after 3 retries". The declaration succeeds.
await channel.assertQueue(orders, {
  exclusive: true,
  arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': dlq, 'x-max-retries': 3 },
});
console.log("declared with 'x-max-retries': 3: accepted, no error");

/** Delivers from `queue` to `handle` until it returns 'stop' (keeping that last message unsettled) or 300 ms pass. */
async function consumeUntil(ch: Channel, queue: string, handle: (m: ConsumeMessage) => 'go on' | 'stop') {
  let tag = '';
  let kept: ConsumeMessage | undefined;
  await new Promise<void>((resolve) => {
    let timer = setTimeout(resolve, 300);
    void ch
      .consume(queue, (m) => {
        if (!m) return;
        clearTimeout(timer);
        if (handle(m) === 'stop') {
          kept = m;
          return resolve();
        }
        timer = setTimeout(resolve, 300);
      })
      .then((ok) => (tag = ok.consumerTag));
  });
  await ch.cancel(tag);
  return kept;
}

// 2. A consumer that fails and rejects with requeue: does the broker stop after 3 retries?
channel.sendToQueue(orders, Buffer.from('order 9: always fails'));
let deliveries = 0;
const kept = await consumeUntil(channel, orders, (m) => {
  if (++deliveries === 20) return 'stop'; // we give up counting; the broker would go on for ever
  channel.reject(m, true);
  return 'go on';
});
if (kept) channel.ack(kept);
console.log(
  `reject with requeue: delivered ${deliveries} times, dead-letter queue holds ` +
    `${(await channel.checkQueue(dlq)).messageCount}: the limit of 3 was ignored`,
);

// 3. The other reading: reject without requeue, "and after 3 retries it goes to the DLQ".
channel.sendToQueue(orders, Buffer.from('order 10: always fails'));
deliveries = 0;
await consumeUntil(channel, orders, (m) => {
  deliveries++;
  channel.reject(m, false);
  return 'go on';
});
console.log(
  `reject without requeue: delivered ${deliveries} time(s), dead-letter queue holds ` +
    `${(await channel.checkQueue(dlq)).messageCount}: dead-lettered at the first failure, no retries at all`,
);
await channel.purgeQueue(dlq);

// 4. The fix: a retry queue holds each rejected message for 50 ms, then dead-letters it back to the work queue.
// The broker adds to x-death at every pass, so the consumer reads the number of earlier attempts from it.
const work = 'dead-letters.max-retries.work';
const retry = 'dead-letters.max-retries.retry';
await channel.assertQueue(work, {
  exclusive: true,
  arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': retry },
});
await channel.assertQueue(retry, {
  exclusive: true,
  arguments: { 'x-message-ttl': 50, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': work },
});

/** How many times this message was rejected from `queue` before: the broker's own count, in x-death. */
function earlierAttempts(m: ConsumeMessage, queue: string): number {
  const deaths = m.properties.headers?.['x-death'] ?? [];
  return deaths.find((d) => d.queue === queue && d.reason === 'rejected')?.count ?? 0;
}

const MAX_ATTEMPTS = 3;
channel.sendToQueue(work, Buffer.from('order 11: always fails'));
await consumeUntil(channel, work, (m) => {
  const attempt = earlierAttempts(m, work) + 1;
  console.log(`    attempt ${attempt} of ${MAX_ATTEMPTS}: failed`);
  if (attempt < MAX_ATTEMPTS) {
    channel.reject(m, false); // to the retry queue, and back in 50 ms
    return 'go on';
  }
  // Out of attempts: park it for a human, with what we know, and acknowledge the original.
  channel.sendToQueue(dlq, m.content, { headers: { 'failed-attempts': attempt, 'failed-in': work } });
  channel.ack(m);
  return 'go on';
});
const parked = await channel.get(dlq, { noAck: true });
console.log(
  `counted from x-death: "${parked && parked.content.toString()}" parked after ` +
    `${parked && parked.properties.headers?.['failed-attempts']} attempts`,
);
await connection.close();
