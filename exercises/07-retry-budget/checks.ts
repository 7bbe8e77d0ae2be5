// Trusted checks of 07-retry-budget: a fulfilment service the checks run (it ships good orders, fails a flaky one
// once and a poison one always, and notes the time of every call), and the broker's own queues. The worker is judged
// by how many times and how far apart the service was called for each order, and by what the queues hold once the
// worker has been stopped (so that anything it left unacknowledged is back in its queue), never by what it prints.
import type { IncomingMessage, ServerResponse } from 'node:http';
import amqp, { type ConfirmChannel } from 'amqplib';
import { defineChecks, type CheckContext } from '@msgbook/sandbox-server/grading/api';

const ORDERS = 'retry-budget.orders';
const RETRY = 'retry-budget.retry';
const PARKING_LOT = 'retry-budget.parking-lot';
/** The retry queue's TTL; a retry that comes back sooner than this (less some slack) did not go through it. */
const RETRY_MS = 200;
const SLACK_MS = 50;

type Kind = 'good' | 'flaky' | 'poison';

interface Scenario {
  t: CheckContext;
  channel: ConfirmChannel;
  /** The times (ms, the check's clock) at which the service was called for each order id. */
  calls: Map<string, number[]>;
  /** The body each order was published with. */
  published: Map<string, string>;
  lastCallAt: () => number;
  publish(kind: Kind): Promise<string>;
  /** Stops the worker and waits until the broker has let go of its consumers (and requeued what it held). */
  stopWorker(): Promise<void>;
  depth(queue: string): Promise<number>;
  drain(queue: string): Promise<{ body: string; messageId: unknown; headers: Record<string, unknown> }[]>;
}

/** Declares the topology afresh, starts the fulfilment service and the learner's worker, and waits until it consumes. */
async function scenario(t: CheckContext): Promise<Scenario> {
  const connection = await amqp.connect(t.endpoints.AMQP_URL);
  connection.on('error', () => {});
  t.cleanup(() => connection.close());
  const channel = await connection.createConfirmChannel();
  channel.on('error', () => {});
  // Whatever an earlier run left behind (the real broker outlives runs) goes first; the same arguments as the
  // worker's, so its own declarations are no-ops.
  const declare = async () => {
    for (const q of [ORDERS, RETRY, PARKING_LOT]) await channel.deleteQueue(q);
    await channel.assertQueue(ORDERS, {
      arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': RETRY },
    });
    await channel.assertQueue(RETRY, {
      arguments: {
        'x-message-ttl': RETRY_MS,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': ORDERS,
      },
    });
    await channel.assertQueue(PARKING_LOT);
  };
  await declare();
  t.cleanup(async () => {
    for (const q of [ORDERS, RETRY, PARKING_LOT]) await channel.deleteQueue(q).catch(() => {});
  });

  const kinds = new Map<string, Kind>();
  const calls = new Map<string, number[]>();
  let lastCallAt = 0;
  const service = await t.httpService(async (req: IncomingMessage, res: ServerResponse) => {
    const body = await new Promise<string>((resolve) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (text += chunk));
      req.on('end', () => resolve(text));
      req.on('error', () => resolve(text));
    });
    let id: string;
    try {
      id = String((JSON.parse(body) as { id?: unknown }).id);
    } catch {
      res.writeHead(400).end('the body must be the order, as JSON');
      return;
    }
    lastCallAt = performance.now();
    const times = [...(calls.get(id) ?? []), lastCallAt];
    calls.set(id, times);
    const kind = kinds.get(id);
    const fails = kind === 'poison' || (kind === 'flaky' && times.length === 1);
    res.writeHead(fails ? 500 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(fails ? { error: 'could not ship' } : { shipped: id }));
  });

  const program = await t.start({ env: { FULFILMENT_URL: service.url } });
  const consumers = async () => (await channel.checkQueue(ORDERS)).consumerCount;
  await t.waitFor(
    async () => (await consumers()) > 0,
    10_000,
    `the worker did not start consuming ${ORDERS} within 10 s`,
  );
  let n = 0;
  const published = new Map<string, string>();
  return {
    t,
    channel,
    calls,
    published,
    lastCallAt: () => lastCallAt,
    async publish(kind) {
      const id = `${kind}-${++n}-${Math.floor(Math.random() * 1e6)}`;
      kinds.set(id, kind);
      const body = JSON.stringify({ id, item: 'blue mug', quantity: n });
      published.set(id, body);
      channel.sendToQueue(ORDERS, Buffer.from(body), {
        messageId: id,
        contentType: 'application/json',
      });
      await channel.waitForConfirms();
      return id;
    },
    async stopWorker() {
      await program.stop();
      await t.waitFor(
        async () => (await consumers()) === 0,
        5000,
        'the broker still saw the worker consuming',
      );
    },
    depth: async (q) => (await channel.checkQueue(q)).messageCount,
    async drain(q) {
      const out: { body: string; messageId: unknown; headers: Record<string, unknown> }[] = [];
      for (let m = await channel.get(q, { noAck: true }); m; m = await channel.get(q, { noAck: true }))
        out.push({
          body: m.content.toString(),
          messageId: m.properties.messageId,
          headers: (m.properties.headers ?? {}) as Record<string, unknown>,
        });
      return out;
    },
  };
}

const count = (s: Scenario, id: string) => s.calls.get(id)?.length ?? 0;

/**
 * Waits, up to `ms`, until `done` holds and the service has had no call for 400 ms (time for the worker to
 * acknowledge what it just shipped), or no call for 1500 ms at all, or `hopeless` holds (the check will fail
 * anyway). Never fails by itself: the assertions after it say what went wrong.
 */
async function settle(
  s: Scenario,
  done: () => boolean | Promise<boolean>,
  hopeless: () => boolean = () => false,
  ms = 8000,
) {
  const idle = () => (s.lastCallAt() > 0 ? performance.now() - s.lastCallAt() : 0);
  await s.t
    .waitFor(async () => hopeless() || idle() > 1500 || (idle() > 400 && (await done())), ms, '')
    .catch(() => {});
}

/** Fails unless the work queue and the retry queue are empty once the worker is stopped. */
async function assertNothingLeft(s: Scenario, what: string) {
  const left = await s.depth(ORDERS);
  const retrying = await s.depth(RETRY);
  s.t.assert(
    left === 0 && retrying === 0,
    `${what}; once the worker was stopped, ${left} message(s) were back in ${ORDERS} and ${retrying} in ${RETRY}. ` +
      'Every order must end acknowledged (shipped or parked), not left unacknowledged or still retrying',
  );
}

export default defineChecks({
  checks: [
    {
      name: 'ships each good order with one call and acknowledges it',
      timeLimit: '30s',
      async run(t: CheckContext) {
        const s = await scenario(t);
        const ids = [await s.publish('good'), await s.publish('good'), await s.publish('good')];
        await settle(s, () => ids.every((id) => count(s, id) >= 1));
        await s.stopWorker();
        for (const id of ids)
          t.assert(
            count(s, id) === 1,
            `the fulfilment service shipped order ${id} at its first call, yet it was called ${count(s, id)} ` +
              'times for it: a shipped order is acknowledged and never tried again',
          );
        await assertNothingLeft(s, 'three good orders were shipped');
        const parked = await s.depth(PARKING_LOT);
        t.assert(
          parked === 0,
          `expected no order in ${PARKING_LOT}, found ${parked}: all three were shipped`,
        );
      },
    },
    {
      name: 'retries a failed order through the retry queue, at least 200 ms later',
      timeLimit: '30s',
      async run(t: CheckContext) {
        const s = await scenario(t);
        const id = await s.publish('flaky');
        await settle(
          s,
          () => count(s, id) >= 2,
          () => count(s, id) > 2,
        );
        await s.stopWorker();
        const times = s.calls.get(id) ?? [];
        t.assert(
          times.length === 2,
          `order ${id} failed at its first call and would have shipped at the second; the fulfilment service was ` +
            `called ${times.length} time(s) for it. Expected exactly 2: a failure is retried, a success is not`,
        );
        const gap = Math.round(times[1]! - times[0]!);
        t.assert(
          gap >= RETRY_MS - SLACK_MS,
          `the retry came ${gap} ms after the failure; a retry through ${RETRY} waits its TTL of ${RETRY_MS} ms ` +
            '(reject the message without requeue, and the queue dead-letters it there)',
        );
        await assertNothingLeft(s, `order ${id} was shipped at its second attempt`);
        const parked = await s.depth(PARKING_LOT);
        t.assert(
          parked === 0,
          `order ${id} was shipped in the end, yet ${PARKING_LOT} holds ${parked} message(s)`,
        );
      },
    },
    {
      name: 'tries a poison order exactly three times',
      timeLimit: '30s',
      async run(t: CheckContext) {
        const s = await scenario(t);
        const id = await s.publish('poison');
        await settle(
          s,
          async () => (await s.depth(PARKING_LOT)) > 0,
          () => count(s, id) > 3,
        );
        await s.stopWorker();
        const times = s.calls.get(id) ?? [];
        const gaps = times.slice(1).map((at, i) => `${Math.round(at - times[i]!)} ms`);
        t.assert(
          times.length === 3,
          `order ${id} fails every time; the fulfilment service was called ${times.length} time(s) for it` +
            `${gaps.length ? ` (${gaps.join(', ')} apart)` : ''} before the check stopped the worker. ` +
            'Expected exactly 3 attempts: the attempts so far are the x-death count of the work queue, plus this one',
        );
        await assertNothingLeft(s, `order ${id} was tried 3 times`);
      },
    },
    {
      name: 'parks exactly the poison orders, unchanged, in the parking lot',
      timeLimit: '30s',
      async run(t: CheckContext) {
        const s = await scenario(t);
        const good = [await s.publish('good'), await s.publish('flaky')];
        const poison = [await s.publish('poison'), await s.publish('poison')];
        await settle(
          s,
          async () =>
            [...good, ...poison].every((id) => count(s, id) >= 1) && (await s.depth(PARKING_LOT)) >= 2,
          () => poison.some((id) => count(s, id) > 3),
        );
        await s.stopWorker();
        const parked = await s.drain(PARKING_LOT);
        const ids = parked.map((m) => {
          try {
            return String((JSON.parse(m.body) as { id?: unknown }).id);
          } catch {
            return `(not an order: ${m.body.slice(0, 60)})`;
          }
        });
        t.assert(
          ids.length === 2 && poison.every((id) => ids.includes(id)),
          `expected ${PARKING_LOT} to hold exactly the two poison orders ${poison.join(' and ')}, once each; it ` +
            `holds ${ids.length ? ids.join(', ') : 'nothing'}` +
            (ids.length === 0 ? ': an order out of attempts must be parked, not dropped' : ''),
        );
        for (const m of parked) {
          const id = String((JSON.parse(m.body) as { id?: unknown }).id);
          t.assert(
            m.body === s.published.get(id) && m.messageId === id,
            `the parked order ${id} is not as it was published: expected body ${s.published.get(id)} and message ` +
              `id "${id}", got ${m.body} and ${JSON.stringify(m.messageId)}. Park the order itself, body and message id`,
          );
          const forged = Object.keys(m.headers).filter(
            (h) => h === 'x-death' || h.startsWith('x-first-death'),
          );
          t.assert(
            forged.length === 0,
            `the parked order ${id} carries ${forged.join(', ')}, copied from the delivery by the worker: those ` +
              "headers are the broker's record of its own dead-lettering, and a client must never publish them " +
              '(replayed with them, the order would carry a death count it never earned: RabbitMQ 3.10 goes on ' +
              'counting from a copied x-death). Park the body and message id, and your own headers if you like',
          );
        }
        await assertNothingLeft(s, 'the good orders were shipped and the poison ones tried three times');
      },
    },
  ],
});
