// A message becomes a dead letter in three ways: a consumer rejects it without requeue, it expires (queue TTL or
// its own expiration), or it is pushed out of a full queue. Each one lands in the same dead-letter queue, and the
// broker writes down why in the x-death header. Read the header of each.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const connection = await amqp.connect(url);
const channel = await connection.createConfirmChannel();

// The dead-letter exchange is an ordinary exchange; the dead-letter queue an ordinary queue bound to it.
const dlx = 'dead-letters.reasons.dlx';
const dlq = 'dead-letters.reasons.dlq';
const queues = {
  orders: 'dead-letters.reasons.orders', // consumers reject from here
  short: 'dead-letters.reasons.short-lived', // every message lives 200 ms here
  small: 'dead-letters.reasons.small', // holds at most 2 messages
};
// Exclusive queues belong to this connection and vanish with it, so no earlier run can have left them behind.
const mine = { exclusive: true };
await channel.assertExchange(dlx, 'fanout', { durable: false });
await channel.assertQueue(dlq, mine);
await channel.bindQueue(dlq, dlx, '');
const deadLetterTo = { 'x-dead-letter-exchange': dlx };
await channel.assertQueue(queues.orders, { ...mine, arguments: deadLetterTo });
await channel.assertQueue(queues.short, { ...mine, arguments: { ...deadLetterTo, 'x-message-ttl': 200 } });
await channel.assertQueue(queues.small, { ...mine, arguments: { ...deadLetterTo, 'x-max-length': 2 } });

// 1. Rejected: a consumer says "I cannot process this, and do not give it back to me".
channel.sendToQueue(queues.orders, Buffer.from('order 1: no such product'));
await channel.waitForConfirms();
const got = await channel.get(queues.orders);
if (got) channel.reject(got, false); // requeue = false

// 2. Expired: one message outlives the queue's TTL, another its own per-message expiration (a string, in ms).
channel.sendToQueue(queues.short, Buffer.from('order 2: nobody picked me up in time'));
channel.sendToQueue(queues.orders, Buffer.from('order 3: only worth 100 ms'), { expiration: '100' });

// 3. Overflow: three messages into a queue that holds two; the oldest is pushed out of the head.
for (const n of [4, 5, 6]) channel.sendToQueue(queues.small, Buffer.from(`order ${n}: queue full`));
await channel.waitForConfirms();

// Read the dead-letter queue until all four dead letters have arrived.
const started = Date.now();
await new Promise<void>((resolve) => {
  let seen = 0;
  void channel.consume(dlq, (m) => {
    if (!m) return;
    const [death] = m.properties.headers?.['x-death'] ?? []; // amqplib types it as XDeath[]
    if (!death) return;
    const time = death.time.value; // an AMQP timestamp, in whole seconds
    console.log(`"${m.content.toString()}"`);
    console.log(`    reason=${death.reason} queue=${death.queue} count=${death.count}`);
    console.log(
      `    exchange="${death.exchange}" routing-keys=${JSON.stringify(death['routing-keys'])}` +
        ` time=${new Date(time * 1000).toISOString()}` +
        (death['original-expiration'] ? ` original-expiration=${death['original-expiration']}` : ''),
    );
    console.log(`    arrived after ${Date.now() - started} ms, redelivered=${m.fields.redelivered}`);
    channel.ack(m);
    if (++seen === 4) resolve();
  });
});

await channel.deleteExchange(dlx);
await connection.close();
