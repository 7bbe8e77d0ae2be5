// Request/reply with RabbitMQ's direct reply-to: instead of declaring a reply queue, the client consumes from the
// pseudo-queue amq.rabbitmq.reply-to (with automatic acks) and publishes its requests on the same channel with
// replyTo set to that name. The broker rewrites replyTo into a private address that leads back to this channel.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const REQUESTS = 'patterns.stock-requests';
const REPLY_TO = 'amq.rabbitmq.reply-to';

// The stock service, on its own connection: it answers whatever address it finds in replyTo.
const serviceConnection = await amqp.connect(url);
const service = await serviceConnection.createChannel();
await service.deleteQueue(REQUESTS);
await service.assertQueue(REQUESTS, { exclusive: true });
await service.consume(REQUESTS, (msg) => {
  if (!msg) return;
  console.log(`service: a request for "${msg.content}", to be answered to ${msg.properties.replyTo}`);
  service.sendToQueue(msg.properties.replyTo as string, Buffer.from('3 in stock'), {
    correlationId: msg.properties.correlationId as string,
  });
  service.ack(msg);
});

const connection = await amqp.connect(url);
const ch = await connection.createChannel();
const reply = new Promise<amqp.ConsumeMessage>((resolve) => {
  // Consume first, with noAck: the broker refuses an acking consumer on this pseudo-queue.
  void ch.consume(REPLY_TO, (msg) => msg && resolve(msg), { noAck: true });
});
ch.sendToQueue(REQUESTS, Buffer.from('blue mug'), { replyTo: REPLY_TO, correlationId: 'stock-1' });
const msg = await reply;
console.log(
  `client: "${msg.content}" (correlation id ${msg.properties.correlationId}), no reply queue declared`,
);

// The same request from a channel that did not consume from amq.rabbitmq.reply-to first.
const careless = await connection.createChannel();
const closed = new Promise<Error>((resolve) => careless.on('error', resolve));
careless.sendToQueue(REQUESTS, Buffer.from('red pen'), { replyTo: REPLY_TO });
console.log(`without consuming first, the broker closes the channel: ${(await closed).message}`);

await connection.close();
await serviceConnection.close();
