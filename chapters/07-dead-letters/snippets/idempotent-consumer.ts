// A worker sends an e-mail for an order, then dies before it acknowledges the message. The broker gives the message
// to another worker, marked redelivered, and the customer gets the e-mail twice. A store of processed message ids
// (here a Set; in production a table with a unique key) lets the second worker see that the work is done.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import amqp, { type ConsumeMessage } from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';

// The e-mail service counts the e-mails sent for each order.
const sent = new Map<string, number>();
const mail = createServer((req, res) => {
  const order = req.url!.slice(1);
  sent.set(order, (sent.get(order) ?? 0) + 1);
  res.end();
});
mail.listen(0, '127.0.0.1');
await once(mail, 'listening');
const mailUrl = `http://127.0.0.1:${(mail.address() as AddressInfo).port}`;

const queue = 'dead-letters.idempotent.orders';

/** Consumes as one worker until it has been idle for 300 ms, or until `crashAfter` says to die before the ack. */
async function worker(name: string, processedIds: Set<string> | undefined, crashAfter?: string) {
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  await channel.prefetch(1);
  await new Promise<void>((resolve) => {
    let timer = setTimeout(resolve, 300);
    void channel.consume(queue, (m: ConsumeMessage | null) => {
      if (!m) return;
      clearTimeout(timer);
      void (async () => {
        const id = m.properties.messageId as string; // the producer's id: the same on every redelivery
        const flag = m.fields.redelivered ? ' (redelivered)' : '';
        if (processedIds?.has(id)) {
          console.log(`  ${name}: ${id}${flag} already processed, acknowledged without sending`);
        } else {
          await fetch(`${mailUrl}/${id}`, { method: 'POST' });
          processedIds?.add(id);
          console.log(`  ${name}: ${id}${flag} e-mail sent`);
          if (id === crashAfter) {
            console.log(`  ${name}: dies before acknowledging ${id}`);
            await connection.close(); // unacknowledged messages go back to the queue
            clearTimeout(timer);
            return resolve();
          }
        }
        channel.ack(m);
        timer = setTimeout(resolve, 300);
      })();
    });
  });
  await connection.close().catch(() => {}); // already closed if it "died"
}

async function run(processedIds: Set<string> | undefined) {
  sent.clear();
  const connection = await amqp.connect(url);
  const channel = await connection.createConfirmChannel();
  await channel.deleteQueue(queue); // shared by both workers, so not exclusive: start from a clean queue
  await channel.assertQueue(queue);
  for (const id of ['order-1', 'order-2', 'order-3'])
    channel.sendToQueue(queue, Buffer.from(`e-mail for ${id}`), { messageId: id });
  await channel.waitForConfirms();
  await worker('worker A', processedIds, 'order-2');
  await worker('worker B', processedIds);
  await channel.deleteQueue(queue);
  await connection.close();
  return [...sent].map(([id, n]) => `${id}: ${n}`).join(', ');
}

console.log('without a processed-ids store:');
console.log(`e-mails sent: ${await run(undefined)}`);
console.log('with a processed-ids store:');
console.log(`e-mails sent: ${await run(new Set())}`);
mail.close();
