// The producer of the three-worker group: it waits until three workers consume, publishes six orders (some fail
// once or twice, two never succeed), follows every attempt the workers report, and then stops the workers and
// removes the queues.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const ORDERS = 'dead-letters.group.orders';
const RETRY = 'dead-letters.group.retry';
const PARKING_LOT = 'dead-letters.group.parking-lot';
const RESULTS = 'dead-letters.group.results';
const WORKERS = 3;

const connection = await amqp.connect(url);
const channel = await connection.createConfirmChannel();
// The same declarations as the workers', whoever comes first; then empty whatever an earlier run left behind.
await channel.assertQueue(ORDERS, {
  arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': RETRY },
});
await channel.assertQueue(RETRY, {
  arguments: { 'x-message-ttl': 100, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': ORDERS },
});
await channel.assertQueue(PARKING_LOT);
await channel.assertQueue(RESULTS);
for (const q of [ORDERS, RETRY, PARKING_LOT, RESULTS]) await channel.purgeQueue(q);

// Wait for the workers: each consumer registers with the broker, and the queue counts them.
let seen = -1;
for (let n = 0; n < WORKERS; n = (await channel.checkQueue(ORDERS)).consumerCount) {
  if (n !== seen) console.log(`waiting for workers: ${n} of ${WORKERS} consuming`);
  seen = n;
  await new Promise((resolve) => setTimeout(resolve, 50));
}
console.log(`${WORKERS} workers consuming; publishing 6 orders`);

const orders = [
  { id: 'o-1', failures: 0 },
  { id: 'o-2', failures: 1 },
  { id: 'o-3', failures: 2 },
  { id: 'o-4', failures: 99 },
  { id: 'o-5', failures: 1 },
  { id: 'o-6', failures: 99 },
];
for (const order of orders) channel.sendToQueue(ORDERS, Buffer.from(JSON.stringify(order)));
await channel.waitForConfirms();

// Follow the workers' reports until every order is done or parked, then until every worker has stopped.
const history = new Map<string, string[]>();
let settled = 0;
let stopped = 0;
await new Promise<void>((resolve) => {
  void channel.consume(
    RESULTS,
    (m) => {
      if (!m) return;
      const r = JSON.parse(m.content.toString()) as {
        worker: string;
        id?: string;
        attempt?: number;
        outcome: string;
      };
      if (r.outcome === 'stopped') {
        if (++stopped === WORKERS) resolve();
        return;
      }
      history.set(r.id!, [...(history.get(r.id!) ?? []), `${r.attempt}: ${r.worker} ${r.outcome}`]);
      if (r.outcome !== 'failed' && ++settled === orders.length) {
        for (const order of orders) console.log(`${order.id}: ${history.get(order.id)!.join(', ')}`);
        const parked = orders.filter((o) => history.get(o.id)!.some((h) => h.endsWith('parked')));
        console.log(`parked after 3 attempts: ${parked.map((o) => o.id).join(', ')}`);
        for (let i = 0; i < WORKERS; i++)
          channel.sendToQueue(ORDERS, Buffer.from(JSON.stringify({ stop: true })));
      }
    },
    { noAck: true },
  );
});
console.log(`all ${WORKERS} workers stopped`);
for (const q of [ORDERS, RETRY, PARKING_LOT, RESULTS]) await channel.deleteQueue(q);
await connection.close();
