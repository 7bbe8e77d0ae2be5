// fails: empties the parking lot and ends by itself
// Replays with a consumer, which is right, but a consumer never learns that the queue is empty: the tool waits for
// more parked messages for ever, and whoever runs it at night never sees it finish.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const PARKING_LOT = 'replay.parking-lot';

const connection = await amqp.connect(url);
const channel = await connection.createConfirmChannel();
const { messageCount } = await channel.checkQueue(PARKING_LOT);
console.log(`${PARKING_LOT} holds ${messageCount} message(s)`);

// Consumes the parking lot and replays each message as it arrives.
let replayed = 0;
await channel.consume(PARKING_LOT, (m) => {
  if (!m) return;
  const [lastDeath] = m.properties.headers?.['x-death'] ?? [];
  if (!lastDeath) return;
  const headers = Object.fromEntries(
    Object.entries(m.properties.headers ?? {}).filter(
      ([name]) => !/^x-(death|first-death-|last-death-)/.test(name),
    ),
  );
  channel.sendToQueue(lastDeath.queue, m.content, { ...m.properties, headers });
  void channel.waitForConfirms().then(() => {
    channel.ack(m);
    console.log(`replayed ${++replayed} message(s)`);
  });
});

// A consumer waits for more messages for ever: nothing here ever closes the connection.
