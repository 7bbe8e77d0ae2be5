// Trusted checks of 01-checkout-deadline: an inventory service the checks run (prompt, hanging, trickling or
// failing), and the learner's checkout judged only from outside: its HTTP answers, how long they took by the
// check's own clock, and whether inventory saw its request abandoned. Bounds leave two seconds of slack for load.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineChecks, type CheckContext } from '@msgbook/sandbox-server/grading/api';

/** The customer's deadline: checkout gives inventory 1000 ms, so it must answer well within this. */
const BOUND_MS = 3000;
/** How long the check itself waits for an answer before calling it "no answer". */
const PATIENCE_MS = 5000;

type Outcome =
  | { ok: true; ms: number; status: number; text: string; json: Record<string, unknown> | undefined }
  | { ok: false; ms: number; why: string };

/** Places one order as the customer would, timing it with the check's own clock. */
async function checkout(t: CheckContext, url: string, order: object): Promise<Outcome> {
  const began = performance.now();
  const ms = () => Math.round(performance.now() - began);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(order),
      signal: AbortSignal.any([t.signal, AbortSignal.timeout(PATIENCE_MS)]),
    });
    const text = await response.text();
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    return { ok: true, ms: ms(), status: response.status, text, json };
  } catch (err) {
    const e = err as Error;
    const why =
      e.name === 'TimeoutError'
        ? `no answer within ${PATIENCE_MS} ms (the check stopped waiting)`
        : `the request failed (${e.message}${e.cause ? `: ${(e.cause as Error).message}` : ''}); did the program crash?`;
    return { ok: false, ms: ms(), why };
  }
}

function describe(o: Outcome): string {
  return o.ok ? `${o.status} ${o.text.slice(0, 200)} after ${o.ms} ms` : o.why;
}

/** An order with a fresh id, so that what reaches inventory can be told apart. */
function anOrder() {
  return { orderId: `o-${Math.floor(Math.random() * 1e6)}`, item: 'blue mug', quantity: 1 };
}

const json = (res: ServerResponse, status: number, body: object) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** An inventory that accepts the request and never answers (closed when the check ends). */
const hang = (_req: IncomingMessage, _res: ServerResponse) => undefined;

export default defineChecks({
  checks: [
    {
      name: "passes inventory's stock line on when inventory answers in time",
      timeLimit: '20s',
      async run(t: CheckContext) {
        const line = `reserved, ${10 + Math.floor(Math.random() * 90)} left`;
        let received = 0;
        const inventory = await t.httpService(async (_req, res) => {
          // The first order warms the program up (a fresh Node process makes its first fetch slowly): answered at
          // once and not judged. The second is the one that counts.
          if (++received === 1) return json(res, 200, { stock: 'reserved (first order)' });
          await sleep(200);
          json(res, 200, { stock: line });
        });
        const program = await t.start({ env: { INVENTORY_URL: inventory.url } });
        await checkout(t, program.url('/checkout'), anOrder());
        const order = anOrder();
        const o = await checkout(t, program.url('/checkout'), order);
        t.assert(
          o.ok,
          `expected 200 with stock "${line}" once inventory answered (after 200 ms); got ${describe(o)}`,
        );
        t.assert(
          o.status === 200 && o.json?.order === 'accepted' && o.json.stock === line,
          `inventory answered {"stock":"${line}"} after 200 ms, well within checkout's 1000 ms; expected 200 ` +
            `{"order":"accepted","stock":"${line}"}, got ${describe(o)}`,
        );
        const reserves = inventory.requests.filter((r) => r.method === 'POST' && r.path === '/reserve');
        t.assert(
          reserves.length === 2,
          `expected one POST /reserve to inventory per order (2 orders), it received ` +
            `${inventory.requests.length} request(s): ` +
            (inventory.requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'none'),
        );
        t.assert(
          reserves.some((r) => r.body.includes(order.orderId)),
          `expected checkout to forward the order ${JSON.stringify(order)} to inventory as it is; inventory ` +
            `received ${reserves.map((r) => `"${r.body.slice(0, 200)}"`).join(' and ')}`,
        );
      },
    },
    {
      name: 'answers within 3 s with stock unknown when inventory hangs',
      timeLimit: '20s',
      async run(t: CheckContext) {
        const inventory = await t.httpService(hang);
        const program = await t.start({ env: { INVENTORY_URL: inventory.url } });
        const o = await checkout(t, program.url('/checkout'), anOrder());
        t.assert(
          o.ok,
          `inventory never answers; expected checkout to give up after about 1000 ms and answer 200 with stock ` +
            `"unknown" within ${BOUND_MS} ms; got ${describe(o)}`,
        );
        t.assert(
          o.status === 200 && o.json?.order === 'accepted' && o.json.stock === 'unknown',
          `inventory never answers; expected the fallback 200 {"order":"accepted","stock":"unknown"}, got ${describe(o)}`,
        );
        t.assert(
          o.ms <= BOUND_MS,
          `expected the fallback within ${BOUND_MS} ms (checkout gives inventory 1000 ms), it came after ${o.ms} ms`,
        );
      },
    },
    {
      name: 'hangs up on inventory when it stops waiting',
      timeLimit: '20s',
      async run(t: CheckContext) {
        const inventory = await t.httpService(hang);
        const program = await t.start({ env: { INVENTORY_URL: inventory.url } });
        const o = await checkout(t, program.url('/checkout'), anOrder());
        t.assert(
          o.ok,
          `inventory never answers; checkout should give up on it and answer, but got ${describe(o)}`,
        );
        t.assert(
          inventory.requests.length > 0,
          `checkout answered (${describe(o)}) but inventory never received the order: checkout must ask ` +
            'inventory, and give it 1000 ms, before it falls back',
        );
        // Closing the connection is what tells inventory to stop working for a caller who is gone.
        await t
          .waitFor(() => inventory.abandoned() >= 1, 2000, '')
          .catch(() =>
            t.fail(
              `checkout answered (${describe(o)}), but 2 s later its request to inventory was still open: ` +
                `inventory received ${inventory.requests.length} request(s) and saw ${inventory.abandoned()} ` +
                `of them abandoned. A timer that answers without aborting the request leaves it running.`,
            ),
          );
      },
    },
    {
      name: 'answers within 3 s when inventory sends its answer slowly',
      timeLimit: '20s',
      async run(t: CheckContext) {
        // Headers at once, then a byte every 200 ms for 6 s: never idle long enough to trip an idle timeout.
        const inventory = await t.httpService(async (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"stock":"reserved');
          for (let i = 0; i < 30 && !res.destroyed; i++) {
            await sleep(200);
            if (!res.destroyed) res.write(' ');
          }
          if (!res.destroyed) res.end('"}');
        });
        const program = await t.start({ env: { INVENTORY_URL: inventory.url } });
        const o = await checkout(t, program.url('/checkout'), anOrder());
        t.assert(
          o.ok && o.ms <= BOUND_MS,
          `inventory sent its headers at once and then one byte every 200 ms for 6 s; expected checkout to ` +
            `stop waiting after about 1000 ms and answer within ${BOUND_MS} ms, got ${describe(o)}. ` +
            'A deadline must cover the body too, not only the wait for the headers or for an idle socket.',
        );
        t.assert(
          o.status === 200 && o.json?.order === 'accepted' && o.json.stock === 'unknown',
          `expected the fallback 200 {"order":"accepted","stock":"unknown"}, got ${describe(o)}`,
        );
      },
    },
    {
      name: 'answers stock unknown when inventory answers with an error',
      timeLimit: '20s',
      async run(t: CheckContext) {
        const inventory = await t.httpService((_req, res) =>
          json(res, 503, { error: 'inventory database is down' }),
        );
        const program = await t.start({ env: { INVENTORY_URL: inventory.url } });
        const o = await checkout(t, program.url('/checkout'), anOrder());
        t.assert(
          o.ok && o.status === 200 && o.json?.order === 'accepted' && o.json.stock === 'unknown',
          `inventory answered 503 {"error":"inventory database is down"}; expected the fallback 200 ` +
            `{"order":"accepted","stock":"unknown"}, got ${describe(o)}. fetch resolves on every HTTP status: ` +
            'look at response.ok.',
        );
        t.assert(o.ms <= BOUND_MS, `expected the answer within ${BOUND_MS} ms, it came after ${o.ms} ms`);
      },
    },
  ],
});
