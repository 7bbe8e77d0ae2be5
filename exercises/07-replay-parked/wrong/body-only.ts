// fails: keeps each message's body, message id, content type and own headers
// Replays the body alone: the message id, the content type and the publisher's own headers are lost, so a consumer
// that deduplicates by message id, or reads the tenant header, no longer can.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const PARKING_LOT = 'replay.parking-lot';

const connection = await amqp.connect(url);
const channel = await connection.createConfirmChannel();
const { messageCount } = await channel.checkQueue(PARKING_LOT);
console.log(`${PARKING_LOT} holds ${messageCount} message(s)`);

// get() takes one message at a time and returns false when the queue is empty: the loop ends by itself.
let replayed = 0;
for (let m = await channel.get(PARKING_LOT); m; m = await channel.get(PARKING_LOT)) {
  const [lastDeath] = m.properties.headers?.['x-death'] ?? [];
  if (!lastDeath) {
    console.log(`leaving a message without x-death in ${PARKING_LOT}: it was not dead-lettered there`);
    break; // unacknowledged, it goes back to the parking lot when the connection closes
  }
  channel.sendToQueue(lastDeath.queue, m.content);
  await channel.waitForConfirms(); // only then remove the parked original: a crash repeats, never loses
  channel.ack(m);
  replayed++;
}

console.log(`replayed ${replayed} message(s)`);
await connection.close();
