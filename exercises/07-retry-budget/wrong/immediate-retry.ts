// fails: retries a failed order through the retry queue, at least 200 ms later
// Counts the attempts in the worker's memory and requeues at once. Three attempts exactly, but the retry comes a
// few milliseconds after the failure, before anything could have changed, and the count is lost whenever the worker
// restarts or another worker takes the message.
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

/** Attempts made so far, counted by this worker in memory, by message id. */
const attempts = new Map<string, number>();

await channel.consume(ORDERS, (m: ConsumeMessage | null) => {
  if (!m) return;
  void (async () => {
    const order = m.content.toString();
    if (await fulfil(order)) {
      channel.ack(m);
      console.log(`shipped ${order}`);
      return;
    }
    // The broker counts the passes through RETRY in x-death, in the message itself: any worker reads the same count.
    const id = String(m.properties.messageId);
    const attempt = (attempts.get(id) ?? 0) + 1;
    attempts.set(id, attempt);
    if (attempt < MAX_ATTEMPTS) {
      console.log(`attempt ${attempt} of ${MAX_ATTEMPTS} failed for ${order}: retrying`);
      channel.nack(m, false, true); // straight back into ORDERS
      return;
    }
    // Out of attempts: park a copy (body and message id, never the broker's x-death), confirmed before the ack,
    // so that a crash in between can repeat the parking but never lose the order.
    channel.sendToQueue(PARKING_LOT, m.content, {
      messageId: m.properties.messageId,
      contentType: m.properties.contentType,
      headers: { 'failed-attempts': attempt },
    });
    await channel.waitForConfirms();
    channel.ack(m);
    console.log(`parked ${order} after ${attempt} attempts`);
  })();
});
console.log(`worker consuming ${ORDERS} (attempt limit: ${MAX_ATTEMPTS})`);
