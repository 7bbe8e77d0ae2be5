// A common belief: "nack a failed message with requeue, and after enough failures it goes to the dead-letter
// queue". Run it: the message comes straight back to the consumer, again and again, and the dead-letter queue
// stays empty. Only requeue = false (or expiry, or overflow) dead-letters a message.
import amqp, { type Channel, type ConsumeMessage } from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const connection = await amqp.connect(url);
const channel = await connection.createChannel();
await channel.prefetch(1);

const dlx = 'dead-letters.nack.dlx';
const dlq = 'dead-letters.nack.dlq';
const orders = 'dead-letters.nack.orders';
await channel.assertExchange(dlx, 'fanout', { durable: false });
await channel.assertQueue(dlq, { exclusive: true });
await channel.bindQueue(dlq, dlx, '');
await channel.assertQueue(orders, { exclusive: true, arguments: { 'x-dead-letter-exchange': dlx } });

/** Consumes `queue` with a handler that always fails, nacking with `requeue`; stops after `limit` deliveries. */
async function failEveryTime(ch: Channel, queue: string, requeue: boolean, limit: number) {
  let deliveries = 0;
  let redelivered = 0;
  let tag = '';
  let last: ConsumeMessage | undefined;
  await new Promise<void>((resolve) => {
    // With requeue = false nothing more arrives after the first delivery: stop after 300 ms of silence.
    let timer = setTimeout(resolve, 300);
    void ch
      .consume(queue, (m) => {
        if (!m) return;
        deliveries++;
        if (m.fields.redelivered) redelivered++;
        clearTimeout(timer);
        if (deliveries === limit) {
          last = m; // keep the last one until the consumer is cancelled, so it is not delivered once more
          return resolve();
        }
        ch.nack(m, false, requeue); // "processing failed"
        timer = setTimeout(resolve, 300);
      })
      .then((ok) => (tag = ok.consumerTag));
  });
  await ch.cancel(tag);
  if (last) ch.nack(last, false, requeue);
  return { deliveries, redelivered };
}

// As the sources write it: nack(requeue = true) on every failure.
channel.sendToQueue(orders, Buffer.from('order 7: always fails'));
const began = Date.now();
let seen = await failEveryTime(channel, orders, true, 50);
const took = Date.now() - began;
const dead = await channel.checkQueue(dlq);
console.log(
  `nack with requeue = true:  delivered ${seen.deliveries} times (${seen.redelivered} of them redelivered) ` +
    `in ${took} ms, ` +
    `dead-letter queue holds ${dead.messageCount}; still in the work queue: ` +
    `${(await channel.checkQueue(orders)).messageCount}`,
);
console.log('    we stopped at 50 deliveries; the broker never would. No limit, no dead letter.');

// The fix: requeue = false hands the message to the queue's dead-letter exchange.
await channel.purgeQueue(orders);
channel.sendToQueue(orders, Buffer.from('order 8: always fails'));
seen = await failEveryTime(channel, orders, false, 50);
const parked = await channel.get(dlq, { noAck: true });
const [death] = (parked && parked.properties.headers?.['x-death']) || [];
console.log(
  `nack with requeue = false: delivered ${seen.deliveries} time(s), then dead-lettered: ` +
    `"${parked && parked.content.toString()}" reason=${death?.reason} count=${death?.count}`,
);

await channel.deleteExchange(dlx);
await connection.close();
