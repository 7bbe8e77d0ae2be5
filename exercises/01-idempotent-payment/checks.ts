// Trusted checks of 01-idempotent-payment: a payment service the checks run, which honours Idempotency-Key as
// Stripe's API does (a key seen before is answered with its first charge, never charged again) and can lose its
// answers on purpose. The learner's checkout is judged by its HTTP answers and by the charges the service made.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineChecks, type CheckContext } from '@msgbook/sandbox-server/grading/api';

/** How long the check waits for checkout to answer: three attempts of 1000 ms, plus slack for a loaded machine. */
const PATIENCE_MS = 7000;

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

function anOrder(): { orderId: string; amount: number } {
  return {
    orderId: `o-${Math.floor(Math.random() * 1e6)}`,
    amount: 100 * (5 + Math.floor(Math.random() * 50)),
  };
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

function reply(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

interface Charge {
  chargeId: string;
  orderId: string;
  amount: unknown;
  key: string | undefined;
}

/** What the payment service does with the n-th attempt (from 1) at paying an order, after charging it. */
type Plan = (orderId: string, attempt: number) => 'answer' | 'hang' | 'drop';

/** A payment service that charges each new Idempotency-Key once; requests without a key are charged every time. */
async function paymentService(t: CheckContext, plan: Plan) {
  const charges: Charge[] = [];
  const attempts: { orderId: string; key: string | undefined }[] = [];
  const byKey = new Map<string, Charge>();
  const service = await t.httpService(async (req, res) => {
    const body = await readBody(req);
    if (req.method !== 'POST' || req.url !== '/charges') {
      reply(res, 404, { error: 'the payment service takes POST /charges' });
      return;
    }
    let parsed: { orderId?: unknown; amount?: unknown } = {};
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      reply(res, 400, { error: 'the body must be the order as JSON' });
      return;
    }
    const orderId = String(parsed.orderId);
    const header = req.headers['idempotency-key'];
    const key = typeof header === 'string' && header !== '' ? header : undefined;
    attempts.push({ orderId, key });
    let charge = key === undefined ? undefined : byKey.get(key);
    if (!charge) {
      charge = {
        chargeId: `ch_${Math.random().toString(36).slice(2, 12)}`,
        orderId,
        amount: parsed.amount,
        key,
      };
      charges.push(charge);
      if (key !== undefined) byKey.set(key, charge);
    }
    // The card is charged either way; what the plan decides is whether checkout hears about it.
    const what = plan(orderId, attempts.filter((a) => a.orderId === orderId).length);
    if (what === 'hang') return;
    if (what === 'drop') {
      req.socket.destroy();
      return;
    }
    reply(res, 200, { chargeId: charge.chargeId, orderId: charge.orderId, amount: charge.amount });
  });
  return {
    url: service.url,
    chargesOf: (orderId: string) => charges.filter((c) => c.orderId === orderId),
    attemptsOf: (orderId: string) => attempts.filter((a) => a.orderId === orderId),
    /** Why an order has no charge of its own: never asked, or asked with a key another order had used. */
    whyUncharged(orderId: string): string {
      const mine = attempts.filter((a) => a.orderId === orderId);
      if (mine.length === 0) return `the payment service never received a payment for order ${orderId}`;
      const taken = mine.map((a) => (a.key === undefined ? undefined : byKey.get(a.key))).find((c) => c);
      return taken
        ? `its payment carried Idempotency-Key "${taken.key}", which order ${taken.orderId} had used first, so ` +
            `the payment service answered with that order's charge ${taken.chargeId} and charged nothing new. ` +
            'Each order needs a key of its own'
        : `the payment service received ${mine.length} attempt(s) for it but made no charge`;
    },
    keyList: (orderId: string) =>
      attempts
        .filter((a) => a.orderId === orderId)
        .map((a) => (a.key === undefined ? '(none)' : `"${a.key}"`))
        .join(', '),
  };
}

/** Starts the program and places one order that is not judged: a fresh Node process makes its first call slowly. */
async function startWarm(t: CheckContext, paymentUrl: string) {
  const program = await t.start({ env: { PAYMENT_URL: paymentUrl } });
  await checkout(t, program.url('/checkout'), {
    orderId: `warm-up-${Math.floor(Math.random() * 1e6)}`,
    amount: 100,
  });
  return program;
}

type Payments = Awaited<ReturnType<typeof paymentService>>;

/** Fails, saying why, unless the order has a charge of its own. */
function assertCharged(t: CheckContext, payments: Payments, orderId: string, o: Outcome): void {
  if (payments.chargesOf(orderId).length === 0)
    t.fail(
      `expected order ${orderId} to be charged: ${payments.whyUncharged(orderId)}. Checkout answered ` +
        describe(o),
    );
}

export default defineChecks({
  checks: [
    {
      name: 'calls the payment service once and answers with its charge id when the payment goes through',
      timeLimit: '25s',
      async run(t: CheckContext) {
        const payments = await paymentService(t, () => 'answer');
        const program = await startWarm(t, payments.url);
        const order = anOrder();
        const o = await checkout(t, program.url('/checkout'), order);
        assertCharged(t, payments, order.orderId, o);
        const charge = payments.chargesOf(order.orderId)[0]!;
        t.assert(
          o.ok && o.status === 200 && o.json?.status === 'paid' && o.json.chargeId === charge.chargeId,
          `the payment service answered {"chargeId":"${charge.chargeId}"} at once; expected 200 ` +
            `{"status":"paid","orderId":"${order.orderId}","chargeId":"${charge.chargeId}"}, got ${describe(o)}`,
        );
        t.assert(
          charge.amount === order.amount,
          `expected the charge to be for the order's amount ${order.amount}, it was for ${JSON.stringify(charge.amount)}`,
        );
        const n = payments.attemptsOf(order.orderId).length;
        t.assert(
          n === 1,
          `the payment service answered the first attempt at once, yet it was called ${n} times for order ` +
            `${order.orderId}: retry only when an attempt failed`,
        );
      },
    },
    {
      name: 'retries when the connection drops before the answer arrives',
      timeLimit: '25s',
      async run(t: CheckContext) {
        let dropped = '';
        const payments = await paymentService(t, (orderId, attempt) => {
          if (orderId.startsWith('warm-up') || attempt > 1) return 'answer';
          dropped = orderId;
          return 'drop';
        });
        const program = await startWarm(t, payments.url);
        const order = anOrder();
        const o = await checkout(t, program.url('/checkout'), order);
        const n = payments.attemptsOf(order.orderId).length;
        assertCharged(t, payments, order.orderId, o);
        const ids = payments.chargesOf(order.orderId).map((c) => c.chargeId);
        t.assert(
          dropped === order.orderId && n >= 2,
          `the payment service charged order ${order.orderId} and then dropped the connection before answering; ` +
            `expected checkout to try again, but it called the payment service ${n} time(s) and answered ${describe(o)}`,
        );
        t.assert(
          o.ok && o.status === 200 && o.json?.status === 'paid' && ids.includes(String(o.json.chargeId)),
          `expected 200 {"status":"paid",…} with the charge id of the attempt that was answered (one of ` +
            `${ids.join(', ')}), got ${describe(o)}`,
        );
      },
    },
    {
      name: 'gives every attempt the same Idempotency-Key, so a retry does not charge twice',
      timeLimit: '25s',
      async run(t: CheckContext) {
        const payments = await paymentService(t, (orderId, attempt) =>
          orderId.startsWith('warm-up') || attempt > 1 ? 'answer' : 'hang',
        );
        const program = await startWarm(t, payments.url);
        const order = anOrder();
        const o = await checkout(t, program.url('/checkout'), order);
        const attempts = payments.attemptsOf(order.orderId);
        assertCharged(t, payments, order.orderId, o);
        const charges = payments.chargesOf(order.orderId);
        t.assert(
          attempts.length >= 2,
          `the payment service charged order ${order.orderId} and never answered; expected checkout to give up ` +
            `on that attempt after 1000 ms and try again, but it made ${attempts.length} attempt(s) and answered ` +
            describe(o),
        );
        t.assert(
          charges.length === 1,
          `the first attempt's answer was lost, so checkout retried: ${attempts.length} attempts with ` +
            `Idempotency-Key ${payments.keyList(order.orderId)}. The payment service charged the card ` +
            `${charges.length} times (${charges.map((c) => c.chargeId).join(', ')}); expected 1 charge: every ` +
            'attempt at paying one order must carry the same key',
        );
        t.assert(
          o.ok && o.status === 200 && o.json?.status === 'paid' && o.json.chargeId === charges[0]!.chargeId,
          `expected 200 {"status":"paid","orderId":"${order.orderId}","chargeId":"${charges[0]!.chargeId}"}, ` +
            `got ${describe(o)}`,
        );
      },
    },
    {
      name: 'gives each order its own Idempotency-Key',
      timeLimit: '25s',
      async run(t: CheckContext) {
        const payments = await paymentService(t, () => 'answer');
        const program = await startWarm(t, payments.url);
        const first = anOrder();
        const second = { ...anOrder(), orderId: `${first.orderId}-2` };
        const a = await checkout(t, program.url('/checkout'), first);
        const b = await checkout(t, program.url('/checkout'), second);
        for (const [order, o] of [
          [first, a],
          [second, b],
        ] as const) {
          assertCharged(t, payments, order.orderId, o);
          const charges = payments.chargesOf(order.orderId);
          t.assert(
            charges.length === 1,
            `order ${order.orderId} was charged ${charges.length} times, with Idempotency-Key ` +
              `${payments.keyList(order.orderId)}; expected 1 charge per order`,
          );
          t.assert(
            o.ok && o.status === 200 && o.json?.chargeId === charges[0]!.chargeId,
            `expected order ${order.orderId} to be answered 200 with its own charge id ${charges[0]!.chargeId}, ` +
              `got ${describe(o)}`,
          );
        }
      },
    },
    {
      name: 'charges an order once when the customer submits it twice',
      timeLimit: '25s',
      async run(t: CheckContext) {
        const payments = await paymentService(t, () => 'answer');
        const program = await startWarm(t, payments.url);
        const order = anOrder();
        const a = await checkout(t, program.url('/checkout'), order);
        const b = await checkout(t, program.url('/checkout'), order);
        assertCharged(t, payments, order.orderId, b);
        const charges = payments.chargesOf(order.orderId);
        t.assert(
          charges.length === 1,
          `the customer clicked Pay twice for order ${order.orderId}; the payment service charged it ` +
            `${charges.length} times, for Idempotency-Keys ${payments.keyList(order.orderId)}. Expected 1 charge: ` +
            'the key identifies the payment of an order, so the same order must always get the same key',
        );
        t.assert(
          a.ok && b.ok && a.status === 200 && b.status === 200 && a.json?.chargeId === b.json?.chargeId,
          `expected both answers to be 200 with the same charge id ${charges[0]!.chargeId}; got ${describe(a)} ` +
            `and ${describe(b)}`,
        );
      },
    },
  ],
});
