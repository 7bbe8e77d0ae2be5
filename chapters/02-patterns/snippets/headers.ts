// Routing with a headers exchange: the routing key is ignored; each binding lists header values, and x-match says
// whether a message needs all of them (all) or at least one (any). Orders carry a region and a size header.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const EXCHANGE = 'patterns.orders-headers';

const connection = await amqp.connect(url);
const ch = await connection.createConfirmChannel();
await ch.deleteExchange(EXCHANGE);
await ch.assertExchange(EXCHANGE, 'headers', { durable: false });

const bindings: Record<string, Record<string, unknown>> = {
  'eu-bulk (all)': { 'x-match': 'all', region: 'eu', size: 'bulk' },
  'eu-or-bulk (any)': { 'x-match': 'any', region: 'eu', size: 'bulk' },
  'number-1 (all)': { 'x-match': 'all', priority: 1 },
};
const queues: Record<string, string> = {};
for (const [name, args] of Object.entries(bindings)) {
  const { queue } = await ch.assertQueue('', { exclusive: true });
  await ch.bindQueue(queue, EXCHANGE, '', args);
  queues[name] = queue;
}

const orders: [string, Record<string, unknown>][] = [
  ['order 1', { region: 'eu', size: 'bulk' }],
  ['order 2', { region: 'eu', size: 'small' }],
  ['order 3', { region: 'us', size: 'bulk', gift: true }],
  ['order 4', { region: 'us' }],
  ['order 5', { priority: 1 }],
  ['order 6', { priority: '1' }], // a string is not the number 1
];
for (const [order, headers] of orders) {
  ch.publish(EXCHANGE, 'ignored', Buffer.from(order), { headers });
  console.log(`published ${order} with ${JSON.stringify(headers)}`);
}
await ch.waitForConfirms();

for (const [name, queue] of Object.entries(queues)) {
  const got: string[] = [];
  for (let msg; (msg = await ch.get(queue, { noAck: true }));) got.push(msg.content.toString());
  console.log(`${name.padEnd(17)} received: ${got.join(', ') || 'nothing'}`);
}
await ch.deleteExchange(EXCHANGE);
await connection.close();
