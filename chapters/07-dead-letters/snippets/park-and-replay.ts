// Poison messages parked for inspection, then replayed. The worker has a bug: it refuses orders in euros. Those
// are rejected without requeue and the broker dead-letters them into a parking-lot queue. We look at what is
// parked without taking it, "deploy the fix", and shovel the parked messages back into the work queue. Last, what
// happens when a replay copies the x-death header along.
import amqp, { type Channel, type GetMessage } from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const connection = await amqp.connect(url);
const channel = await connection.createConfirmChannel();

const orders = 'dead-letters.replay.orders';
const parking = 'dead-letters.replay.parking-lot';
await channel.assertQueue(parking, { exclusive: true });
await channel.assertQueue(orders, {
  exclusive: true,
  arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': parking },
});

let fixed = false;
const processed: string[] = [];
/** Consumes `orders` until it has been idle for 300 ms: accepted orders are acked, refused ones rejected. */
async function work(ch: Channel) {
  let tag = '';
  await new Promise<void>((resolve) => {
    let timer = setTimeout(resolve, 300);
    void ch
      .consume(orders, (m) => {
        if (!m) return;
        clearTimeout(timer);
        const order = JSON.parse(m.content.toString()) as { id: string; currency: string };
        if (order.currency !== 'USD' && !fixed) {
          ch.reject(m, false); // the bug: "unsupported currency"
        } else {
          processed.push(order.id);
          ch.ack(m);
        }
        timer = setTimeout(resolve, 300);
      })
      .then((ok) => (tag = ok.consumerTag));
  });
  await ch.cancel(tag);
}

const currencies = ['USD', 'EUR', 'USD', 'EUR', 'EUR'];
currencies.forEach((currency, i) =>
  channel.sendToQueue(orders, Buffer.from(JSON.stringify({ id: `o-${i + 1}`, currency }))),
);
await channel.waitForConfirms();
await work(channel);
console.log(`processed: ${processed.join(', ')}`);

// 1. Inspect: get each parked message without acknowledging it, then put them all back untouched.
console.log(`parking lot holds ${(await channel.checkQueue(parking)).messageCount} messages:`);
const peeked: GetMessage[] = [];
for (let m = await channel.get(parking); m; m = await channel.get(parking)) {
  const [death] = m.properties.headers?.['x-death'] ?? [];
  console.log(`    ${m.content.toString()}  reason=${death?.reason} from ${death?.queue}`);
  peeked.push(m);
}
for (const m of peeked) channel.nack(m, false, true); // back into the parking lot, in their order

// 2. The fix is deployed. Replay: move each parked message back to the queue it died in. The copy leaves out the
// x-death and x-first-death headers (the broker writes those; a client must never send its own), confirms, and
// only then removes the parked original.
fixed = true;
let replayed = 0;
for (let m = await channel.get(parking); m; m = await channel.get(parking)) {
  const [death] = m.properties.headers?.['x-death'] ?? [];
  const headers = { ...m.properties.headers };
  for (const name of Object.keys(headers))
    if (name.startsWith('x-death') || name.startsWith('x-first-death')) delete headers[name];
  channel.sendToQueue(death!.queue, m.content, { ...m.properties, headers: { ...headers, replayed: true } });
  await channel.waitForConfirms();
  channel.ack(m);
  replayed++;
}
console.log(`replayed ${replayed} messages`);
await work(channel);
console.log(`processed: ${processed.join(', ')}`);
console.log(`parking lot holds ${(await channel.checkQueue(parking)).messageCount} messages`);

// 3. Why the replay leaves x-death out. The bug comes back; order o-6 is parked once, then replayed by a careless
// shovel that copies every property, x-death included, and fails once more.
fixed = false;
channel.sendToQueue(orders, Buffer.from(JSON.stringify({ id: 'o-6', currency: 'EUR' })));
await work(channel);
const once = await channel.get(parking);
if (once) {
  channel.sendToQueue(orders, once.content, once.properties); // the careless replay
  await channel.waitForConfirms();
  channel.ack(once);
}
await work(channel);
const twice = await channel.get(parking, { noAck: true });
const [death] = (twice && twice.properties.headers?.['x-death']) || [];
console.log(
  `o-6 replayed with its x-death copied, then failed once more: x-death says count=${death?.count}, ` +
    `though this message died only once`,
);
await connection.close();
