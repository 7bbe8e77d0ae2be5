// One of three identical workers sharing a work queue and its retry queue. An order fails as many times as its
// "failures" field says; the worker counts attempts from x-death, which travels in the message, so whichever
// worker gets the next attempt knows its number. It reports each attempt, and stops on a "stop" message.
import { randomBytes } from 'node:crypto';
import amqp, { type ConsumeMessage } from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const name = `worker ${randomBytes(2).toString('hex')}`;
const ORDERS = 'dead-letters.group.orders';
const RETRY = 'dead-letters.group.retry';
const PARKING_LOT = 'dead-letters.group.parking-lot';
const RESULTS = 'dead-letters.group.results';
const MAX_ATTEMPTS = 3;

const connection = await amqp.connect(url);
const channel = await connection.createConfirmChannel();
await channel.prefetch(1);
// Every member declares the same topology with the same arguments: whoever starts first creates it.
await channel.assertQueue(ORDERS, {
  arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': RETRY },
});
await channel.assertQueue(RETRY, {
  arguments: { 'x-message-ttl': 100, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': ORDERS },
});
await channel.assertQueue(PARKING_LOT);
await channel.assertQueue(RESULTS);

const report = (what: object) =>
  channel.sendToQueue(RESULTS, Buffer.from(JSON.stringify({ worker: name, ...what })));

let tag = '';
await new Promise<void>((resolve) => {
  void channel
    .consume(ORDERS, (m: ConsumeMessage | null) => {
      if (!m) return;
      const order = JSON.parse(m.content.toString()) as { id: string; failures?: number; stop?: boolean };
      if (order.stop) {
        // Cancel first, so that the other "stop" messages go to the other workers, then acknowledge.
        void channel.cancel(tag).then(() => {
          channel.ack(m);
          resolve();
        });
        return;
      }
      const earlier = m.properties.headers?.['x-death']?.find(
        (d) => d.queue === ORDERS && d.reason === 'rejected',
      );
      const attempt = (earlier?.count ?? 0) + 1;
      if (attempt > (order.failures ?? 0)) {
        console.log(`${name}: ${order.id} attempt ${attempt}: done`);
        report({ id: order.id, attempt, outcome: 'done' });
        channel.ack(m);
      } else if (attempt < MAX_ATTEMPTS) {
        console.log(`${name}: ${order.id} attempt ${attempt}: failed, retrying`);
        report({ id: order.id, attempt, outcome: 'failed' });
        channel.reject(m, false);
      } else {
        console.log(`${name}: ${order.id} attempt ${attempt}: failed, parking`);
        channel.sendToQueue(PARKING_LOT, m.content);
        report({ id: order.id, attempt, outcome: 'parked' });
        void channel.waitForConfirms().then(() => channel.ack(m));
      }
    })
    .then((ok) => (tag = ok.consumerTag));
});
report({ outcome: 'stopped' });
await channel.waitForConfirms();
console.log(`${name}: stopped`);
await connection.close();
