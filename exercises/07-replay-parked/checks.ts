// Trusted checks of 07-replay-parked: the checks park messages themselves, the way a failing worker would (they
// consume from two work queues and reject without requeue, so the broker dead-letters them into the parking lot
// and writes their x-death headers), then run the learner's replay tool to its end and read every queue.
import amqp, { type ConfirmChannel, type GetMessage } from 'amqplib';
import { defineChecks, type CheckContext } from '@msgbook/sandbox-server/grading/api';

const PARKING_LOT = 'replay.parking-lot';
const ORDERS = 'replay.orders';
const PAYMENTS = 'replay.payments';
const QUEUES = [PARKING_LOT, ORDERS, PAYMENTS];

interface Published {
  queue: string;
  id: string;
  body: string;
  tenant: string;
}

interface Replay {
  t: CheckContext;
  published: Published[];
  /** The program's end: its exit code, or why the sandbox ended it, or 'still running' when the check stopped it. */
  ended: { code: number | null; reason?: string } | 'still running';
  output: string;
  drain(queue: string): Promise<GetMessage[]>;
  depth(queue: string): Promise<number>;
}

/** Parks three orders and two payments through real dead-lettering, then runs the learner's tool to its end. */
async function replay(t: CheckContext): Promise<Replay> {
  const connection = await amqp.connect(t.endpoints.AMQP_URL);
  connection.on('error', () => {});
  t.cleanup(() => connection.close());
  const channel: ConfirmChannel = await connection.createConfirmChannel();
  channel.on('error', () => {});
  // The real broker outlives runs: whatever an earlier one left goes first.
  for (const q of QUEUES) await channel.deleteQueue(q);
  t.cleanup(async () => {
    for (const q of QUEUES) await channel.deleteQueue(q).catch(() => {});
  });
  await channel.assertQueue(PARKING_LOT);
  for (const q of [ORDERS, PAYMENTS])
    await channel.assertQueue(q, {
      arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': PARKING_LOT },
    });

  const run = Math.floor(Math.random() * 1e6);
  const published: Published[] = [];
  for (const [queue, kind, n] of [
    [ORDERS, 'order', 3],
    [PAYMENTS, 'payment', 2],
  ] as const) {
    for (let i = 1; i <= n; i++) {
      const id = `${kind}-${run}-${i}`;
      const body = JSON.stringify({ id, amount: 100 * i, currency: 'EUR' });
      const tenant = `tenant-${i}`;
      channel.sendToQueue(queue, Buffer.from(body), {
        messageId: id,
        contentType: 'application/json',
        headers: { tenant },
      });
      published.push({ queue, id, body, tenant });
    }
  }
  await channel.waitForConfirms();
  // The failing worker: takes each message and rejects it without requeue, so the broker parks it.
  for (const q of [ORDERS, PAYMENTS])
    for (let m = await channel.get(q); m; m = await channel.get(q)) channel.reject(m, false);
  await t.waitFor(
    async () => (await channel.checkQueue(PARKING_LOT)).messageCount === published.length,
    5000,
    `the check could not park its ${published.length} messages in ${PARKING_LOT}`,
  );

  const program = await t.start();
  const end: { ended: Replay['ended'] } = { ended: 'still running' };
  void program.exited.then((e) => (end.ended = e));
  // It has up to 10 s, and 3 s more once the parking lot is empty: a tool that is done closes and ends.
  let emptySince = 0;
  await t
    .waitFor(
      async () => {
        if (end.ended !== 'still running') return true;
        const empty = (await channel.checkQueue(PARKING_LOT)).messageCount === 0;
        emptySince = empty ? emptySince || performance.now() : 0;
        return empty && performance.now() - emptySince > 3000;
      },
      10_000,
      '',
    )
    .catch(() => {});
  // What it did by itself, before the check stops it (if it is still running) so that what it left unacknowledged
  // is back in the parking lot before anything is read.
  const ended = end.ended;
  await program.stop();
  return {
    t,
    published,
    ended,
    output: program.output(),
    async drain(q) {
      const out: GetMessage[] = [];
      for (let m = await channel.get(q, { noAck: true }); m; m = await channel.get(q, { noAck: true }))
        out.push(m);
      return out;
    },
    depth: async (q) => (await channel.checkQueue(q)).messageCount,
  };
}

const idOf = (m: GetMessage) => String(m.properties.messageId ?? m.content.toString().slice(0, 40));

export default defineChecks({
  checks: [
    {
      name: 'sends every parked message back to the queue it died in',
      timeLimit: '30s',
      async run(t: CheckContext) {
        const r = await replay(t);
        for (const q of [ORDERS, PAYMENTS]) {
          const expected = r.published.filter((p) => p.queue === q).map((p) => p.body);
          const got = (await r.drain(q)).map((m) => m.content.toString());
          const missing = expected.filter((b) => !got.includes(b));
          const extra = got.filter((b) => !expected.includes(b));
          t.assert(
            missing.length === 0 && extra.length === 0 && got.length === expected.length,
            `expected ${q} to hold its ${expected.length} parked message(s) again, once each; ` +
              (missing.length ? `missing: ${missing.join(', ')}; ` : '') +
              (extra.length ? `not from ${q}: ${extra.join(', ')}; ` : '') +
              `it holds ${got.length}. The queue a message died in is in its x-death header (the first entry's queue)`,
          );
        }
      },
    },
    {
      name: "keeps each message's body, message id, content type and own headers",
      timeLimit: '30s',
      async run(t: CheckContext) {
        const r = await replay(t);
        const got = [...(await r.drain(ORDERS)), ...(await r.drain(PAYMENTS))];
        t.assert(got.length > 0, 'nothing was replayed into the work queues');
        for (const m of got) {
          const body = m.content.toString();
          const original = r.published.find((p) => p.body === body);
          t.assert(original, `a replayed message has a body that was never parked: ${body.slice(0, 120)}`);
          const p = m.properties;
          t.assert(
            p.messageId === original.id &&
              p.contentType === 'application/json' &&
              p.headers?.tenant === original.tenant,
            `${original.id} came back as messageId ${JSON.stringify(p.messageId)}, contentType ` +
              `${JSON.stringify(p.contentType)}, header tenant ${JSON.stringify(p.headers?.tenant)}; expected ` +
              `"${original.id}", "application/json" and "${original.tenant}", as it was published: replay the ` +
              "message's properties and its own headers along with its body",
          );
        }
      },
    },
    {
      name: 'leaves out the x-death and x-first-death headers the broker wrote',
      timeLimit: '30s',
      async run(t: CheckContext) {
        const r = await replay(t);
        const got = [...(await r.drain(ORDERS)), ...(await r.drain(PAYMENTS))];
        t.assert(got.length > 0, 'nothing was replayed into the work queues');
        for (const m of got) {
          const forged = Object.keys(m.properties.headers ?? {}).filter((h) =>
            /^x-(death|first-death-|last-death-)/.test(h),
          );
          t.assert(
            forged.length === 0,
            `${idOf(m)} was replayed with ${forged.join(', ')}: those headers are the broker's record of its own ` +
              'dead-lettering, and a client must never publish them: RabbitMQ 3.10 goes on counting from a copied ' +
              'x-death, so the replayed message would claim deaths it never died. It starts a new history: leave them out',
          );
        }
      },
    },
    {
      name: 'empties the parking lot and ends by itself',
      timeLimit: '30s',
      async run(t: CheckContext) {
        const r = await replay(t);
        t.assert(
          r.ended !== 'still running' && r.ended.code === 0,
          r.ended === 'still running'
            ? 'the tool was still running (3 s after the parking lot was empty, or 10 s after it started): stop ' +
                'when the parking lot is empty (channel.get answers false) and close the connection'
            : `the tool ended ${r.ended.reason ?? `with exit code ${r.ended.code}`}; expected exit code 0`,
        );
        const left = await r.depth(PARKING_LOT);
        t.assert(
          left === 0,
          `${PARKING_LOT} still holds ${left} of its ${r.published.length} message(s) after the tool ended: ` +
            'acknowledge each parked message once its copy is confirmed, or it goes back to the parking lot',
        );
      },
    },
  ],
});
