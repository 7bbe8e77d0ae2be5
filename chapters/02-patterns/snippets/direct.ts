// Routing with a direct exchange: a message goes to every queue bound with exactly its routing key. Payments are
// routed by method; one queue is bound with two keys, two queues share a key, and one key matches no binding.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const EXCHANGE = 'patterns.payments-direct';

const connection = await amqp.connect(url);
const ch = await connection.createConfirmChannel();
await ch.deleteExchange(EXCHANGE);
await ch.assertExchange(EXCHANGE, 'direct', { durable: false });

const bindings: Record<string, string[]> = {
  cards: ['card'],
  'bank-transfers': ['sepa', 'swift'], // one queue, two binding keys
  'fraud-checks': ['card'], // a second queue with the same key as cards
};
const queues: Record<string, string> = {};
for (const [service, keys] of Object.entries(bindings)) {
  const { queue } = await ch.assertQueue('', { exclusive: true });
  for (const key of keys) await ch.bindQueue(queue, EXCHANGE, key);
  queues[service] = queue;
}

// `mandatory` asks the broker to hand back a message that no queue takes, instead of dropping it silently.
const returned: string[] = [];
ch.on('return', (msg: amqp.Message) => returned.push(msg.fields.routingKey));
for (const key of ['card', 'sepa', 'swift', 'Card', 'paypal']) {
  ch.publish(EXCHANGE, key, Buffer.from(`a payment by ${key}`), { mandatory: true });
}
await ch.waitForConfirms();

for (const [service, queue] of Object.entries(queues)) {
  const got: string[] = [];
  for (let msg; (msg = await ch.get(queue, { noAck: true }));) got.push(msg.fields.routingKey);
  console.log(
    `${service.padEnd(15)} bound to ${bindings[service]!.join(' and ').padEnd(15)} received: ${got.join(', ')}`,
  );
}
console.log(`returned as unroutable: ${returned.join(', ')}`);
await ch.deleteExchange(EXCHANGE);
await connection.close();
