// Trusted checks of 06-rate-limited-consumer: each fills a queue of its own with a backlog of orders, runs the
// warehouse service, starts the learner's consumer, and judges what the warehouse saw (when each call arrived, by
// the check's clock, and for which order) and what the queue holds afterwards; never what the consumer prints.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp, { type ChannelModel } from 'amqplib';
import { defineChecks, type CheckContext, type LearnerProgram } from '@msgbook/sandbox-server/grading/api';

const ORDERS = 30;
const LIMIT = 5;
/** A call that arrives less than this after the calls before it counts against the same second: 50 ms are left for the network. */
const WINDOW_MS = 950;
/** 30 orders at 5 a second take about 5 s; a consumer slower than this leaves the warehouse idle. */
const DEADLINE_MS = 9000;

interface Call {
  at: number;
  orderId: string;
}

interface Run {
  program: LearnerProgram;
  queue: string;
  connection: ChannelModel;
  calls: Call[];
  began: number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', () => resolve(body));
  });
}

/** Queues ORDERS orders, starts the warehouse and the learner's consumer, and records every booking call. */
async function startConsumer(t: CheckContext): Promise<Run> {
  const queue = `backpressure.ex06.tasks.${randomBytes(4).toString('hex')}`;
  const connection = await amqp.connect(t.endpoints.AMQP_URL);
  connection.on('error', () => {});
  t.cleanup(async () => {
    const ch = await connection.createChannel();
    await ch.deleteQueue(queue).catch(() => undefined);
    await connection.close().catch(() => undefined);
  });
  const ch = await connection.createConfirmChannel();
  await ch.assertQueue(queue, { durable: true });
  for (let i = 1; i <= ORDERS; i++) ch.sendToQueue(queue, Buffer.from(JSON.stringify({ orderId: `o-${i}` })));
  await ch.waitForConfirms();
  await ch.close();

  const calls: Call[] = [];
  const warehouse = await t.httpService(async (req, res) => {
    const at = performance.now();
    const body = await readBody(req);
    if (req.method !== 'POST' || req.url !== '/book') {
      res.writeHead(404).end();
      return;
    }
    let orderId = body.slice(0, 40);
    try {
      orderId = String((JSON.parse(body) as { orderId?: unknown }).orderId);
    } catch {
      // kept as the raw body, which then matches no order
    }
    calls.push({ at, orderId });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"booked":true}');
  });
  const program = await t.start({ env: { TASKS_QUEUE: queue, WAREHOUSE_URL: warehouse.url } });
  return { program, queue, connection, calls, began: performance.now() };
}

/** The most calls that arrived within any `ms`, and when that stretch began (ms after the first call). */
function busiest(calls: Call[], ms: number): { count: number; from: number } {
  const times = calls.map((c) => c.at).sort((a, b) => a - b);
  let best = { count: 0, from: 0 };
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= ms) lo++;
    if (hi - lo + 1 > best.count) best = { count: hi - lo + 1, from: Math.round(times[lo]! - times[0]!) };
  }
  return best;
}

/** Waits until every order has been booked once, `ms` have passed, or no call has come for 4 s (the consumer stopped). */
async function waitForAll(t: CheckContext, run: Run, ms: number): Promise<void> {
  const idle = () => performance.now() - (run.calls.at(-1)?.at ?? run.began) > 4000;
  await t
    .waitFor(() => new Set(run.calls.map((c) => c.orderId)).size >= ORDERS || idle(), ms, '')
    .catch(() => undefined);
}

export default defineChecks({
  checks: [
    {
      name: 'books every order with the warehouse, once each, and acknowledges it',
      timeLimit: '35s',
      async run(t: CheckContext) {
        const run = await startConsumer(t);
        await waitForAll(t, run, 12000);
        await sleep(1000); // duplicates may trail behind
        const counts = new Map<string, number>();
        for (const c of run.calls) counts.set(c.orderId, (counts.get(c.orderId) ?? 0) + 1);
        const missing = Array.from({ length: ORDERS }, (_, i) => `o-${i + 1}`).filter(
          (id) => !counts.has(id),
        );
        const stillBooking = run.calls.length > 0 && performance.now() - run.calls.at(-1)!.at < 2000;
        t.assert(
          missing.length === 0,
          `${ORDERS} orders were waiting in the queue; the warehouse received no booking for ` +
            `${missing.length} of them (${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', …' : ''}). ` +
            (stillBooking
              ? `Calls were still arriving: at the ${LIMIT} a second the warehouse allows, ${ORDERS} orders take ` +
                'about 5 s, and this consumer is far slower than that'
              : 'A limiter must make a call wait for its turn, never skip it: an order acknowledged without being ' +
                'booked is lost'),
        );
        const twice = [...counts].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
        t.assert(twice.length === 0, `orders booked more than once: ${twice.slice(0, 8).join(', ')}`);
        // Unacknowledged orders go back to the queue when the consumer's connection closes.
        await run.program.stop();
        const ch = await run.connection.createChannel();
        await t
          .waitFor(async () => (await ch.checkQueue(run.queue)).consumerCount === 0, 5000, '')
          .catch(() => undefined);
        const left = (await ch.checkQueue(run.queue)).messageCount;
        await ch.close();
        t.assert(
          left === 0,
          `every order was booked, but when the consumer stopped ${left} orders went back to the queue: ` +
            'acknowledge each order once the warehouse has booked it',
        );
      },
    },
    {
      name: 'never calls the warehouse more than 5 times in any second',
      timeLimit: '35s',
      async run(t: CheckContext) {
        const run = await startConsumer(t);
        await waitForAll(t, run, 12000);
        await sleep(500);
        t.assert(run.calls.length > 0, 'the warehouse received no call at all');
        const worst = busiest(run.calls, WINDOW_MS);
        t.assert(
          worst.count <= LIMIT,
          `the warehouse received ${worst.count} calls within ${WINDOW_MS} ms, starting ${worst.from} ms after the ` +
            `first call; it allows ${LIMIT} in any second. ` +
            (worst.count >= 3 * LIMIT
              ? 'Nothing held those calls back. The limiter must be one object shared by every handler, and a pause ' +
                'inside an async handler pauses only that handler while the others go on'
              : 'A token bucket that starts full lets its whole capacity through at once and then its rate on top; ' +
                'and count each call until it has been answered, so that calls delayed on the way cannot bunch up'),
        );
      },
    },
    {
      name: 'books 30 orders in under 9 s, keeping up with what the warehouse allows',
      timeLimit: '35s',
      async run(t: CheckContext) {
        const run = await startConsumer(t);
        await waitForAll(t, run, DEADLINE_MS + 500);
        const booked = new Set(run.calls.map((c) => c.orderId)).size;
        const last = run.calls.length ? Math.round(run.calls.at(-1)!.at - run.began) : 0;
        t.assert(
          booked >= ORDERS,
          `at ${LIMIT} calls a second, ${ORDERS} orders take about ${ORDERS / LIMIT - 1} s; after ` +
            `${(DEADLINE_MS + 500) / 1000} s the warehouse had booked ${booked}` +
            (booked ? ` (the last call arrived ${last} ms after the consumer started)` : '') +
            '. Waiting a full second after each call leaves the warehouse idle most of the time',
        );
      },
    },
  ],
});
