// A claim to test: "declare the queue with x-max-length and x-overflow: drop-head, and publishers find out when it
// is full". Publish 20 orders into a queue capped at 10, on a confirm channel, and look at what the publisher
// hears, what the queue keeps, and where the other 10 went (a dead-letter exchange collects what drop-head drops).
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const QUEUE = 'backpressure.drop-head.orders';
const DLX = 'backpressure.drop-head.dlx';

const connection = await amqp.connect(url);
const channel = await connection.createConfirmChannel();

// Names we fix may survive an earlier run that crashed, perhaps with other arguments: start clean.
await channel.deleteQueue(QUEUE);
await channel.deleteExchange(DLX);
await channel.assertExchange(DLX, 'fanout', { durable: false, autoDelete: false });
const dropped = (await channel.assertQueue('', { exclusive: true })).queue;
await channel.bindQueue(dropped, DLX, '');
await channel.assertQueue(QUEUE, {
  durable: true, // RabbitMQ 4.3 refuses non-durable queues that are not exclusive; deleted at the end
  arguments: { 'x-max-length': 10, 'x-overflow': 'drop-head', 'x-dead-letter-exchange': DLX },
});

// What the source expects: a publish that fails once the queue is full. Count what really happens: on a confirm
// channel the broker answers every publish with an ack ("I have it") or a nack ("I refused it").
let acked = 0;
let nacked = 0;
let errors = 0;
const confirms: Promise<void>[] = [];
for (let i = 1; i <= 20; i++) {
  try {
    confirms.push(
      new Promise((resolve) =>
        channel.sendToQueue(QUEUE, Buffer.from(`order-${i}`), {}, (err) => {
          if (err) nacked++;
          else acked++;
          resolve();
        }),
      ),
    );
  } catch {
    errors++;
  }
}
await Promise.all(confirms);
console.log(`publisher: 20 publishes, ${errors} errors, ${acked} acked, ${nacked} nacked`);

/** Takes every message from a queue, in order, without waiting for more. */
async function drain(queue: string): Promise<string[]> {
  const bodies: string[] = [];
  for (let m; (m = await channel.get(queue, { noAck: true }));) bodies.push(m.content.toString());
  return bodies;
}

const kept = await drain(QUEUE);
console.log(`queue ${QUEUE} holds ${kept.length}: ${kept.join(' ')}`);
// Dead-lettering happens after the publish: consume the dead-letter queue until it has what the main queue lost.
const lost = 20 - kept.length;
const dead = await new Promise<{ body: string; reason?: string }[]>((resolve) => {
  const got: { body: string; reason?: string }[] = [];
  if (lost === 0) resolve(got);
  void channel.consume(
    dropped,
    (m) => {
      if (!m) return;
      const death = (m.properties.headers?.['x-death'] as { reason?: string }[] | undefined)?.[0];
      got.push({ body: m.content.toString(), reason: death?.reason });
      if (got.length === lost) resolve(got);
    },
    { noAck: true },
  );
});
console.log(
  `dead-lettered ${dead.length}: ${dead.map((m) => m.body).join(' ')} (x-death reason: ${[...new Set(dead.map((m) => m.reason))].join(', ')})`,
);

const oldestGone = kept[0] === 'order-11' && dead[0]?.body === 'order-1';
console.log(
  oldestGone && acked === 20 && errors === 0
    ? 'drop-head accepted every publish and dropped the OLDEST messages: the publisher was never told to slow down'
    : 'unexpected: drop-head did something else',
);

await channel.deleteQueue(QUEUE);
await channel.deleteExchange(DLX);
await connection.close();
