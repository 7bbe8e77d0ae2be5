// Request/reply over queues: a price service takes requests from a queue; the client sends each request with a
// reply queue of its own (replyTo) and a correlation id, and matches each reply to its request by that id, since
// replies come back in the order the service finishes them, not the order they were asked.
import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const REQUESTS = 'patterns.price-requests';

// The price service, on a connection of its own as if in another process. Some prices take longer to find.
const serviceConnection = await amqp.connect(url);
const service = await serviceConnection.createChannel();
await service.deleteQueue(REQUESTS);
await service.assertQueue(REQUESTS, { exclusive: true });
const lookup: Record<string, [number, number]> = {
  'blue mug': [1200, 300],
  'red pen': [250, 50],
  'green lamp': [4500, 150],
  'slow sofa': [39900, 600],
};
await service.consume(REQUESTS, async (msg) => {
  if (!msg) return;
  const item = msg.content.toString();
  const [cents, ms] = lookup[item] ?? [0, 0];
  await sleep(ms); // looking the price up
  service.sendToQueue(msg.properties.replyTo as string, Buffer.from(JSON.stringify({ item, cents })), {
    correlationId: msg.properties.correlationId as string,
  });
  service.ack(msg);
});

// The client: one reply queue for all its requests, and a table of the requests still waiting for an answer.
const connection = await amqp.connect(url);
const ch = await connection.createChannel();
const { queue: replies } = await ch.assertQueue('', { exclusive: true });
const waiting = new Map<string, (reply: string) => void>();
let dropped: (id: string) => void = () => {};
await ch.consume(
  replies,
  (msg) => {
    if (!msg) return;
    const id = msg.properties.correlationId as string;
    const resolve = waiting.get(id);
    if (resolve) resolve(msg.content.toString());
    else dropped(id); // nobody is waiting for it any more
  },
  { noAck: true },
);

const arrived: string[] = [];
function ask(item: string, timeoutMs = 2000): Promise<string> {
  const correlationId = randomUUID();
  const answer = new Promise<string>((resolve, reject) => {
    waiting.set(correlationId, resolve);
    setTimeout(() => reject(new Error(`no price for ${item} within ${timeoutMs} ms`)), timeoutMs).unref();
  }).finally(() => waiting.delete(correlationId));
  ch.sendToQueue(REQUESTS, Buffer.from(item), { replyTo: replies, correlationId });
  console.log(`asked for ${item} (correlation id ${correlationId.slice(0, 8)}…)`);
  return answer.then((reply) => (arrived.push(item), reply));
}

const answers = await Promise.all(['blue mug', 'red pen', 'green lamp'].map((item) => ask(item)));
for (const a of answers) console.log(`reply: ${a}`);
console.log(
  `asked in the order blue mug, red pen, green lamp; replies arrived in the order ${arrived.join(', ')}`,
);

// A caller that gives up before the service answers: the reply still comes, and finds nobody waiting.
const late = new Promise<string>((resolve) => (dropped = resolve));
await ask('slow sofa', 200).catch((err: Error) => console.log(err.message));
const id = await late;
console.log(
  `a reply with correlation id ${id.slice(0, 8)}… arrived after its caller gave up, and was dropped`,
);

await connection.close();
await serviceConnection.close();
