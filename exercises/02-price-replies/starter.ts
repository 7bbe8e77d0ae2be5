// The shop's price service: other services ask it for prices over the broker. Each request is a message on the
// requests queue whose body is an item's name; the price comes from the catalogue (GET $CATALOGUE_URL/prices/ITEM).
// Your work is where the TODO is: the answer never goes back to whoever asked.
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
  // TODO: send `price` (as JSON) back to whoever asked. The request says where to send it, and carries an id that
  // the asker needs on the answer to know which of its requests it answers.
  ch.ack(msg);
});
console.log(`price service answering requests from ${QUEUE}`);
