// Trusted checks of 02-price-replies: each check runs a catalogue of its own (quick for most items, slow for one),
// starts the learner's price service on a fresh requests queue, and asks for prices itself as another service
// would: through a reply queue of its own or through direct reply-to. It judges the answers the broker brings back
// (where, with which correlation id, how soon) and what the requests queue holds once the service is stopped.
import { randomBytes, randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { defineChecks, type CheckContext, type LearnerProgram } from '@msgbook/sandbox-server/grading/api';

const PRICES: Record<string, number> = {
  'blue mug': 1200,
  'red pen': 250,
  'green lamp': 4500,
  'oak table': 39900,
};
const SLOW_ITEM = 'oak table';
const SLOW_MS = 2500;

interface Service {
  queue: string;
  connection: amqp.ChannelModel;
  program: LearnerProgram;
  /** Whether the service has ended: no point waiting for answers after that. */
  ended(): boolean;
}

/** The catalogue, then the learner's service on a fresh queue, subscribed before this returns. */
async function startService(t: CheckContext): Promise<Service> {
  const catalogue = await t.httpService(async (req, res) => {
    const item = decodeURIComponent((req.url ?? '').replace(/^\/prices\//, ''));
    if (!(item in PRICES)) return void res.writeHead(404).end();
    if (item === SLOW_ITEM) await new Promise((r) => setTimeout(r, SLOW_MS));
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ item, cents: PRICES[item] }));
  });
  const queue = `patterns.ex02.price-requests.${randomBytes(4).toString('hex')}`;
  const connection = await amqp.connect(t.endpoints.AMQP_URL);
  connection.on('error', () => {});
  const ch = await connection.createChannel();
  await ch.assertQueue(queue, { durable: true });
  t.cleanup(async () => {
    await ch.deleteQueue(queue).catch(() => undefined);
    await connection.close().catch(() => undefined);
  });
  const program = await t.start({ env: { PRICE_REQUESTS: queue, CATALOGUE_URL: catalogue.url } });
  await t
    .waitFor(async () => (await ch.checkQueue(queue)).consumerCount > 0, 10_000, '')
    .catch(() => t.fail(`after 10 s, nothing consumed from ${queue}. Output: ${tail(program)}`));
  let ended = false;
  void program.exited.then(() => (ended = true));
  return { queue, connection, program, ended: () => ended };
}

/** What a learner most needs to see of the service's output: its last error line, or its last line. */
function tail(program: LearnerProgram): string {
  const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
  const lines = program.output().replace(ansi, '').trim().split('\n');
  const error = lines.filter((l) => /^\s*(\w*Error:|.*closed by server)/.test(l)).pop();
  return (error ?? lines.pop() ?? '(nothing)').trim().slice(0, 300);
}

interface Answer {
  correlationId: unknown;
  body: string;
  ms: number;
}

/** A client with a reply queue of its own (or direct reply-to); `ask` sends one request and returns its id. */
async function client(s: Service, mode: 'reply-queue' | 'direct-reply-to') {
  const ch = await s.connection.createChannel();
  ch.on('error', () => {});
  const replyTo =
    mode === 'reply-queue' ? (await ch.assertQueue('', { exclusive: true })).queue : 'amq.rabbitmq.reply-to';
  const answers: Answer[] = [];
  const began = performance.now();
  await ch.consume(
    replyTo,
    (msg) =>
      msg &&
      answers.push({
        correlationId: msg.properties.correlationId,
        body: msg.content.toString(),
        ms: Math.round(performance.now() - began),
      }),
    { noAck: true },
  );
  const sent = new Map<string, { item: string; at: number }>();
  return {
    answers,
    ask(item: string) {
      const id = randomUUID();
      sent.set(id, { item, at: Math.round(performance.now() - began) });
      ch.sendToQueue(s.queue, Buffer.from(item), { replyTo, correlationId: id });
      return id;
    },
    /** The answer carrying this id, if any, and what it says. */
    answerTo(id: string) {
      const a = answers.find((x) => x.correlationId === id);
      if (!a) return undefined;
      let price: { item?: unknown; cents?: unknown } = {};
      try {
        price = JSON.parse(a.body) as typeof price;
      } catch {
        // judged below as a wrong answer
      }
      return { ...a, price, after: a.ms - sent.get(id)!.at };
    },
    describe: () =>
      answers.length
        ? answers
            .map((a) => `${a.body.slice(0, 80)} (correlation id ${JSON.stringify(a.correlationId)})`)
            .join('; ')
        : 'no answer at all',
  };
}

function assertPrice(t: CheckContext, c: Awaited<ReturnType<typeof client>>, id: string, item: string) {
  const a = c.answerTo(id)!;
  t.assert(
    a.price.item === item && a.price.cents === PRICES[item],
    `the answer to the request for ${item} should be {"item":"${item}","cents":${PRICES[item]}}, it was ${a.body.slice(0, 200)}`,
  );
}

export default defineChecks({
  checks: [
    {
      name: 'answers each request to its replyTo with its correlation id, direct reply-to included',
      timeLimit: '30s',
      async run(t: CheckContext) {
        const s = await startService(t);
        const c = await client(s, 'reply-queue');
        const items = ['blue mug', 'red pen', 'green lamp'];
        const ids = items.map((item) => c.ask(item));
        const allAnswered = () => ids.every((id) => c.answerTo(id));
        await t.waitFor(() => allAnswered() || s.ended(), 5000, '').catch(() => undefined);
        if (!allAnswered())
          t.fail(
            `asked for ${items.join(', ')}, each with a replyTo queue and a correlation id; after 5 s, ` +
              `${ids.filter((id) => !c.answerTo(id)).length} of the three had no answer carrying its correlation ` +
              `id. The reply queue received: ${c.describe()}. The service's output ends with: ` +
              tail(s.program),
          );
        ids.forEach((id, i) => assertPrice(t, c, id, items[i]!));
        // The same service, asked through direct reply-to: it sees a generated address, not a queue's name.
        const d = await client(s, 'direct-reply-to');
        const id = d.ask('red pen');
        await t.waitFor(() => d.answerTo(id) !== undefined || s.ended(), 5000, '').catch(() => undefined);
        if (d.answerTo(id) === undefined)
          t.fail(
            'answered through a reply queue, but asked for red pen with replyTo amq.rabbitmq.reply-to (the ' +
              `service sees a generated address, amq.rabbitmq.reply-to.…), no answer after 5 s: ${d.describe()}. ` +
              `The service's output ends with: ${tail(s.program)}`,
          );
        assertPrice(t, d, id, 'red pen');
      },
    },
    {
      name: 'answers a quick request while a slow one is still being priced',
      timeLimit: '30s',
      async run(t: CheckContext) {
        const s = await startService(t);
        const c = await client(s, 'reply-queue');
        const slow = c.ask(SLOW_ITEM);
        const quick = c.ask('blue mug');
        await t
          .waitFor(() => c.answerTo(quick) !== undefined, 8000, '')
          .catch(() =>
            t.fail(`asked for ${SLOW_ITEM}, then blue mug; no answer to blue mug after 8 s: ${c.describe()}`),
          );
        const a = c.answerTo(quick)!;
        t.assert(
          a.after < 1500,
          `the catalogue takes ${SLOW_MS} ms to price ${SLOW_ITEM} and answers blue mug at once; blue mug, asked ` +
            `right after ${SLOW_ITEM}, was answered after ${a.after} ms. A service that takes one request at a time ` +
            'makes every quick question wait behind the slow ones',
        );
        await t.waitFor(() => c.answerTo(slow) !== undefined, 8000, `no answer to ${SLOW_ITEM} after 8 s`);
      },
    },
    {
      name: 'acks every request it has answered',
      timeLimit: '30s',
      async run(t: CheckContext) {
        const s = await startService(t);
        const c = await client(s, 'reply-queue');
        const ids = ['blue mug', 'red pen', 'green lamp'].map((item) => c.ask(item));
        await t.waitFor(() => c.answers.length >= ids.length || s.ended(), 5000, '').catch(() => undefined);
        if (c.answers.length < ids.length)
          t.fail(`three requests sent; after 5 s the reply queue had received: ${c.describe()}`);
        await new Promise((r) => setTimeout(r, 300)); // an ack may trail its answer a little
        await s.program.stop();
        const ch = await s.connection.createChannel();
        let back = 0;
        await t
          .waitFor(async () => (back = (await ch.checkQueue(s.queue)).messageCount) > 0, 1500, '')
          .catch(() => undefined);
        t.assert(
          back === 0,
          `three requests answered; when the service stopped, ${back} of them went back to the requests queue: ` +
            'they had never been acked, so the broker would deliver them again to be answered twice',
        );
      },
    },
  ],
});
