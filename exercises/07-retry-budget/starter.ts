// The order worker of chapter 7: it takes orders from the queue retry-budget.orders and asks the fulfilment service
// to ship each one. The service sometimes fails for a moment, and a few orders can never be shipped. As it stands,
// a failed order is requeued at once, for ever. Your work is in the consumer, where the TODO is.
import amqp, { type ConsumeMessage } from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const FULFILMENT_URL = process.env.FULFILMENT_URL;
const ORDERS = 'retry-budget.orders';
const RETRY = 'retry-budget.retry';
const PARKING_LOT = 'retry-budget.parking-lot';
const MAX_ATTEMPTS = 3;

const connection = await amqp.connect(url);
const channel = await connection.createConfirmChannel();
await channel.prefetch(5);

// The topology (do not change it: the checks declare the same queues with the same arguments). A message rejected
// without requeue from ORDERS is dead-lettered to RETRY; 200 ms later it expires from RETRY back into ORDERS.
await channel.assertQueue(ORDERS, {
  arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': RETRY },
});
await channel.assertQueue(RETRY, {
  arguments: { 'x-message-ttl': 200, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': ORDERS },
});
await channel.assertQueue(PARKING_LOT);

/** Asks the fulfilment service to ship the order; true when it did. */
async function fulfil(order: string): Promise<boolean> {
  try {
    const response = await fetch(`${FULFILMENT_URL}/fulfil`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: order,
      signal: AbortSignal.timeout(2000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

await channel.consume(ORDERS, (m: ConsumeMessage | null) => {
  if (!m) return;
  void (async () => {
    const order = m.content.toString();
    if (await fulfil(order)) {
      channel.ack(m);
      console.log(`shipped ${order}`);
      return;
    }
    // TODO: this requeues a failed order at once, and a poison order for ever. Give each order at most
    // MAX_ATTEMPTS attempts: retry through RETRY (reject without requeue), counting the earlier attempts from the
    // x-death header the broker maintains, and after the last failed attempt park the order in PARKING_LOT.
    channel.nack(m, false, true);
  })();
});
console.log(`worker consuming ${ORDERS} (attempt limit: ${MAX_ATTEMPTS})`);
