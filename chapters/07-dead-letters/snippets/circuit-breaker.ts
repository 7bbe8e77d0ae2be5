// A worker calls a downstream service for every message. The service goes down for 1.5 s. Without a circuit
// breaker the worker hammers it with every message, over and over. With one, after 3 failures in a row the worker
// stops consuming for a while (the messages wait in the queue, untouched), then lets one trial call through.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import amqp, { type ConsumeMessage } from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const connection = await amqp.connect(url);

// The downstream service: answers 503 until `downUntil`, then 200. It counts the calls it got while down.
let downUntil = 0;
let callsWhileDown = 0;
const service = createServer((_req, res) => {
  const down = Date.now() < downUntil;
  if (down) callsWhileDown++;
  res.statusCode = down ? 503 : 200;
  res.end();
});
service.listen(0, '127.0.0.1');
await once(service, 'listening');
const serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}/`;

/** Calls the service; resolves true on success. */
async function call(): Promise<boolean> {
  const response = await fetch(serviceUrl, { method: 'POST', signal: AbortSignal.timeout(1000) });
  return response.ok;
}

/** Runs 10 orders through a worker, with or without a breaker, while the service is down for its first 1.5 s. */
async function run(withBreaker: boolean) {
  const channel = await connection.createChannel();
  await channel.prefetch(1);
  const queue = (await channel.assertQueue('', { exclusive: true })).queue;
  for (let i = 1; i <= 10; i++) channel.sendToQueue(queue, Buffer.from(`order ${i}`));
  callsWhileDown = 0;
  downUntil = Date.now() + 1500;

  let state: 'closed' | 'open' | 'half-open' = 'closed';
  let failuresInARow = 0;
  let processed = 0;
  let opened = 0;
  let tag = '';
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    const consume = () => channel.consume(queue, (m) => void handle(m)).then((ok) => (tag = ok.consumerTag));
    async function handle(m: ConsumeMessage | null) {
      if (!m) return;
      if (state === 'open') {
        channel.nack(m, false, true); // delivered before the cancel took effect: give it back, call nobody
        return;
      }
      if (await call()) {
        state = 'closed';
        failuresInARow = 0;
        channel.ack(m);
        if (++processed === 10) resolve();
        return;
      }
      channel.nack(m, false, true); // a failure is not the message's fault: give it back as it was
      failuresInARow++;
      if (withBreaker && (state === 'half-open' || failuresInARow >= 3)) {
        // Open: stop taking messages; they wait in the queue, unharmed. After 400 ms, half-open: consume again,
        // and the next delivery is a trial call. Success closes the circuit; one more failure opens it again.
        state = 'open';
        opened++;
        await channel.cancel(tag);
        timer = setTimeout(() => {
          state = 'half-open';
          void consume();
        }, 400);
      }
    }
    void consume();
  });
  clearTimeout(timer);
  await channel.close();
  return { callsWhileDown, processed, opened };
}

const without = await run(false);
console.log(
  `without a breaker: ${without.callsWhileDown} calls while the service was down; ` +
    `${without.processed} orders processed`,
);
const withIt = await run(true);
console.log(
  `with a breaker:    ${withIt.callsWhileDown} calls while the service was down; ` +
    `${withIt.processed} orders processed; the circuit opened ${withIt.opened} times`,
);
service.close();
await connection.close();
