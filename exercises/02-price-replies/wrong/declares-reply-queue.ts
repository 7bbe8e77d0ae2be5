// fails: answers each request to its replyTo with its correlation id, direct reply-to included
// The reply queue declared before answering, to be sure it exists. The asker's reply queue has a name the broker
// generated (amq.gen-…), a reserved prefix, and belongs to the asker's connection: the declare is refused and the
// channel closed, so no answer is ever sent.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const QUEUE = process.env.PRICE_REQUESTS ?? 'patterns.price-requests';
const CATALOGUE_URL = process.env.CATALOGUE_URL ?? 'http://127.0.0.1:8080';

/** Looks an item's price up in the catalogue, which is quick for most items and slow for a few. */
async function priceOf(item: string): Promise<{ item: string; cents: number }> {
  const response = await fetch(`${CATALOGUE_URL}/prices/${encodeURIComponent(item)}`);
  if (!response.ok) throw new Error(`the catalogue answered ${response.status} for ${item}`);
  return (await response.json()) as { item: string; cents: number };
}

const connection = await amqp.connect(url);
const ch = await connection.createChannel();
await ch.assertQueue(QUEUE, { durable: true });
// Up to 10 requests at a time: a slow price must not hold up the quick ones behind it.
await ch.prefetch(10);
await ch.consume(QUEUE, async (msg) => {
  if (!msg) return;
  const price = await priceOf(msg.content.toString());
  console.log(`priced ${price.item}: ${price.cents} cents`);
  // replyTo names the asker's queue (or a direct reply-to address): publish to it through the default exchange,
  // as it is, without declaring anything. The correlation id goes back unchanged, so the asker can match answers.
  await ch.assertQueue(msg.properties.replyTo as string);
  ch.sendToQueue(msg.properties.replyTo as string, Buffer.from(JSON.stringify(price)), {
    correlationId: msg.properties.correlationId as string,
  });
  ch.ack(msg);
});
console.log(`price service answering requests from ${QUEUE}`);
