// Trusted checks of 06-bounded-orders: each starts the learner's producer against a queue name of its own, plays
// fulfilment itself (absent at first, then draining the queue), and judges only what the broker shows: the queue's
// depth, whether a publish of the check's own is refused when the queue is full, and which orders arrive.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp, { type ChannelModel } from 'amqplib';
import { defineChecks, type CheckContext, type LearnerProgram } from '@msgbook/sandbox-server/grading/api';

const CAP = 20;
const ORDER_COUNT = 200;

interface Run {
  program: LearnerProgram;
  queue: string;
  connection: ChannelModel;
  /** The program's exit, once it has ended. */
  ended(): string | undefined;
}

/** Starts the producer on a fresh queue name; the check's connection and the queue go away after the check. */
async function startProducer(t: CheckContext): Promise<Run> {
  const queue = `backpressure.ex06.orders.${randomBytes(4).toString('hex')}`;
  const connection = await amqp.connect(t.endpoints.AMQP_URL);
  connection.on('error', () => {});
  t.cleanup(async () => {
    const ch = await connection.createChannel();
    await ch.deleteQueue(queue).catch(() => undefined);
    await connection.close().catch(() => undefined);
  });
  const program = await t.start({ env: { ORDERS_QUEUE: queue, ORDER_COUNT: String(ORDER_COUNT) } });
  let ended: string | undefined;
  void program.exited.then((e) => (ended = e.reason ?? `exit code ${e.code}`));
  return { program, queue, connection, ended: () => ended };
}

/** The queue's depth, or undefined while it does not exist (a passive declare of a missing queue closes its channel). */
async function depth(run: Run): Promise<number | undefined> {
  const ch = await run.connection.createChannel();
  ch.on('error', () => {});
  try {
    return (await ch.checkQueue(run.queue)).messageCount;
  } catch {
    return undefined;
  } finally {
    await ch.close().catch(() => undefined);
  }
}

/** Waits until the queue holds at least `n` orders; fails if the program ends or never gets there. */
async function waitForDepth(t: CheckContext, run: Run, n: number, ms: number): Promise<number> {
  let last: number | undefined;
  await t
    .waitFor(
      async () => {
        last = await depth(run);
        return (last ?? 0) >= n || run.ended() !== undefined;
      },
      ms,
      '',
    )
    .catch(() => undefined);
  if ((last ?? 0) >= n) return last!;
  t.fail(
    last === undefined
      ? `no queue named ORDERS_QUEUE (${run.queue}) appeared within ${ms / 1000} s` +
          (run.ended() ? `; the program ended (${run.ended()})` : '')
      : `with nobody consuming, expected the queue to fill up to ${n} orders; it holds ${last}` +
          (run.ended()
            ? ` and the program ended (${run.ended()}). Closing the connection right after sendToQueue can lose ` +
              'what was still buffered: wait for the confirms, or close the channel first'
            : ` after ${ms / 1000} s`),
  );
}

export default defineChecks({
  checks: [
    {
      name: 'never lets the queue hold more than 20 orders',
      timeLimit: '25s',
      async run(t: CheckContext) {
        const run = await startProducer(t);
        await waitForDepth(t, run, CAP, 8000);
        // Nobody consumes: for two seconds the producer has 180 more orders to place and nowhere to put them.
        let most = 0;
        for (const until = Date.now() + 2000; Date.now() < until; await sleep(50)) {
          most = Math.max(most, (await depth(run)) ?? 0);
          if (most > CAP) break;
        }
        t.assert(
          most <= CAP,
          `with nobody consuming, the queue held ${most} orders; expected it never to hold more than ${CAP}. ` +
            'Declare it with x-max-length',
        );
      },
    },
    {
      name: 'refuses new orders when full, instead of dropping the oldest',
      timeLimit: '25s',
      async run(t: CheckContext) {
        const run = await startProducer(t);
        const full = await waitForDepth(t, run, CAP, 8000);
        t.assert(
          full <= CAP,
          `the queue holds ${full} orders: expected at most ${CAP}. Declare it with x-max-length`,
        );
        // The check publishes one more message of its own, on a confirm channel, to the full queue.
        const ch = await run.connection.createConfirmChannel();
        const acked = await new Promise<boolean>((resolve) =>
          ch.sendToQueue(run.queue, Buffer.from('{"orderId":"probe"}'), {}, (err) => resolve(!err)),
        );
        await ch.close().catch(() => undefined);
        t.assert(
          !acked,
          `the queue was full (${full} orders) and the broker still accepted (acked) one more publish: it must have ` +
            'dropped an older order to make room. x-overflow drop-head, the default, drops the oldest; ' +
            'reject-publish refuses the new one and nacks it',
        );
      },
    },
    {
      name: 'delivers every order exactly once when fulfilment catches up',
      timeLimit: '40s',
      async run(t: CheckContext) {
        const run = await startProducer(t);
        await waitForDepth(t, run, Math.min(CAP, 1), 8000);
        await sleep(1500); // fulfilment is late: the producer meets a full queue for a while
        const received = new Map<string, number>();
        const ch = await run.connection.createChannel();
        await ch.prefetch(10);
        let last = Date.now();
        await ch.consume(run.queue, (m) => {
          if (!m) return;
          let id: string;
          try {
            id = String((JSON.parse(m.content.toString()) as { orderId?: unknown }).orderId);
          } catch {
            id = m.content.toString().slice(0, 40);
          }
          received.set(id, (received.get(id) ?? 0) + 1);
          last = Date.now();
          setTimeout(() => ch.ack(m), 2); // fulfilment's work
        });
        // Done when every order arrived, or the program has ended and nothing came for a second.
        await t
          .waitFor(
            () => received.size >= ORDER_COUNT || (run.ended() !== undefined && Date.now() - last > 1000),
            30000,
            '',
          )
          .catch(() => undefined);
        await sleep(300); // duplicates may trail behind
        const missing = Array.from({ length: ORDER_COUNT }, (_, i) => `o-${i + 1}`).filter(
          (id) => !received.has(id),
        );
        const twice = [...received].filter(([, n]) => n > 1).map(([id]) => id);
        t.assert(
          missing.length === 0,
          `${ORDER_COUNT} orders placed, ${missing.length} never reached fulfilment (${missing.slice(0, 8).join(', ')}` +
            `${missing.length > 8 ? ', …' : ''})` +
            (run.ended() ? `; the program had ended (${run.ended()})` : '') +
            '. An order refused by a full queue is lost unless the producer hears the refusal (a confirm channel) ' +
            'and sends it again',
        );
        t.assert(
          twice.length === 0,
          `orders ${twice.slice(0, 8).join(', ')} reached fulfilment more than once: send again only what was refused`,
        );
        const exit = await Promise.race([run.program.exited, sleep(5000).then(() => undefined)]);
        t.assert(
          exit !== undefined && exit.code === 0,
          exit
            ? `every order arrived, but the program ended with ${exit.reason ?? `exit code ${exit.code}`}`
            : 'every order arrived, but the program was still running 5 s later: end once every order is confirmed',
        );
      },
    },
  ],
});
