// Trusted checks of 01-parallel-quote: price, stock and shipping services the checks run (prompt, slow or failing),
// and the learner's quote endpoint judged from outside: its answers, and how long they took by the check's own
// clock. The timing bound sits halfway between "all at once" (1 s) and "one after another" (3 s).
import { setTimeout as sleep } from 'node:timers/promises';
import {
  defineChecks,
  type CheckContext,
  type LearnerProgram,
  type TestService,
} from '@msgbook/sandbox-server/grading/api';

const PATIENCE_MS = 6000;
const SLOW_MS = 1000;
const BOUND_MS = 2000;

type Outcome =
  | { ok: true; ms: number; status: number; text: string; json: Record<string, unknown> | undefined }
  | { ok: false; ms: number; why: string };

/** Asks for a quote as the shop's page would, timing it with the check's own clock. */
async function quote(t: CheckContext, program: LearnerProgram): Promise<Outcome> {
  const began = performance.now();
  const ms = () => Math.round(performance.now() - began);
  try {
    const response = await fetch(program.url('/quote'), {
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

interface Quote {
  price: number;
  stock: number;
  shipping: string;
}

function aQuote(): Quote {
  return {
    price: 100 * (5 + Math.floor(Math.random() * 50)),
    stock: Math.floor(Math.random() * 40),
    shipping: `${1 + Math.floor(Math.random() * 5)} days`,
  };
}

/** Starts the three services, each answering `{<field>: value}` after `delayMs`, or `failing` with 503. */
async function services(t: CheckContext, q: Quote, opts: { delayMs?: number; failing?: keyof Quote } = {}) {
  const started: Record<string, TestService> = {};
  for (const field of ['price', 'stock', 'shipping'] as const) {
    started[field] = await t.httpService(async (req, res) => {
      await sleep(opts.delayMs ?? 0);
      res.setHeader('content-type', 'application/json');
      if (req.url !== `/${field}`) res.writeHead(404).end(JSON.stringify({ error: `try GET /${field}` }));
      else if (opts.failing === field) res.writeHead(503).end(JSON.stringify({ error: `${field} is down` }));
      else res.end(JSON.stringify({ [field]: q[field] }));
    });
  }
  return {
    PRICE_URL: started.price!.url,
    STOCK_URL: started.stock!.url,
    SHIPPING_URL: started.shipping!.url,
  };
}

export default defineChecks({
  checks: [
    {
      name: 'answers with the price, the stock and the shipping quote',
      timeLimit: '20s',
      async run(t: CheckContext) {
        const q = aQuote();
        const program = await t.start({ env: await services(t, q) });
        const o = await quote(t, program);
        t.assert(
          o.ok &&
            o.status === 200 &&
            o.json?.price === q.price &&
            o.json.stock === q.stock &&
            o.json.shipping === q.shipping,
          `the services answered price ${q.price}, stock ${q.stock} and shipping "${q.shipping}"; expected 200 ` +
            `${JSON.stringify(q)}, got ${describe(o)}`,
        );
      },
    },
    {
      name: 'answers within 2 s when each service takes 1 s',
      timeLimit: '20s',
      async run(t: CheckContext) {
        const q = aQuote();
        const program = await t.start({ env: await services(t, q, { delayMs: SLOW_MS }) });
        // Not judged: a fresh Node process makes its first calls slowly.
        await quote(t, program);
        const o = await quote(t, program);
        t.assert(
          o.ok && o.status === 200 && o.ms <= BOUND_MS,
          `each service takes ${SLOW_MS} ms to answer; asked all at once they cost about ${SLOW_MS} ms, one after ` +
            `another about ${3 * SLOW_MS} ms. Expected 200 within ${BOUND_MS} ms, got ${describe(o)}`,
        );
      },
    },
    {
      name: 'still answers when one service fails, with that part unavailable',
      timeLimit: '20s',
      async run(t: CheckContext) {
        const q = aQuote();
        const program = await t.start({ env: await services(t, q, { failing: 'shipping' }) });
        const o = await quote(t, program);
        const expected = { price: q.price, stock: q.stock, shipping: 'unavailable' };
        t.assert(
          o.ok &&
            o.status === 200 &&
            o.json?.price === q.price &&
            o.json.stock === q.stock &&
            o.json.shipping === 'unavailable',
          `the shipping service answered 503, price and stock answered; expected 200 ${JSON.stringify(expected)}, ` +
            `got ${describe(o)}`,
        );
      },
    },
  ],
});
