// The replay tool of chapter 7: the bug that sent orders and payments to the parking lot is fixed, and every
// parked message must go back to the queue it died in, to be processed again. As it stands, the tool only counts
// what is parked. Your work is where the TODO is.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const PARKING_LOT = 'replay.parking-lot';

const connection = await amqp.connect(url);
const channel = await connection.createConfirmChannel();
const { messageCount } = await channel.checkQueue(PARKING_LOT);
console.log(`${PARKING_LOT} holds ${messageCount} message(s)`);

// TODO: move every message of PARKING_LOT back to the queue it was dead-lettered from (the queue of the first
// entry of its x-death header), with its body and properties but without the broker's x-death and x-first-death-*
// headers. Remove each parked message only once the broker has confirmed its copy, and stop when the parking lot
// is empty.
const replayed = 0;

console.log(`replayed ${replayed} message(s)`);
await connection.close();
