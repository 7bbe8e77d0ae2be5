// fails: leaves out the x-death and x-first-death headers the broker wrote
// Replays each message with all its properties, the broker's x-death and x-first-death headers included: the new
// message claims a death history that no broker wrote, and RabbitMQ 3.10 goes on counting from it if the message
// dies again.
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
  channel.sendToQueue(lastDeath.queue, m.content, m.properties);
  await channel.waitForConfirms(); // only then remove the parked original: a crash repeats, never loses
  channel.ack(m);
  replayed++;
}

console.log(`replayed ${replayed} message(s)`);
await connection.close();
