// The replay tool of chapter 7: the bug that sent orders and payments to the parking lot is fixed, and every
// parked message must go back to the queue it died in, to be processed again. Solved: a small shovel that moves
// each parked message back without the broker's death headers, confirming each copy before it removes the original.
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
  // The broker owns the death headers: a replayed message is a new message, and its history starts anew.
  const headers = Object.fromEntries(
    Object.entries(m.properties.headers ?? {}).filter(
      ([name]) => !/^x-(death|first-death-|last-death-)/.test(name),
    ),
  );
  channel.sendToQueue(lastDeath.queue, m.content, { ...m.properties, headers });
  await channel.waitForConfirms(); // only then remove the parked original: a crash repeats, never loses
  channel.ack(m);
  replayed++;
}

console.log(`replayed ${replayed} message(s)`);
await connection.close();
