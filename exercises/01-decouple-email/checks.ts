// Trusted checks of 01-decouple-email: an e-mail service the checks run (slow, prompt or failing), and the learner's
// checkout judged from outside: how fast and with what it answers, by the check's own clock, whether it is still
// there after an e-mail failed, and which e-mails the e-mail service received.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineChecks, type CheckContext, type LearnerProgram } from '@msgbook/sandbox-server/grading/api';

/** How long the check waits for an answer before calling it "no answer". */
const PATIENCE_MS = 6000;
/** The e-mail service's slowness in the first check, and the bound checkout must answer within. */
const EMAIL_DELAY_MS = 4000;
const BOUND_MS = 1500;

type Outcome =
  | { ok: true; ms: number; status: number; text: string; json: Record<string, unknown> | undefined }
  | { ok: false; ms: number; why: string };

/** Places one order as the customer would, timing it with the check's own clock. */
async function placeOrder(t: CheckContext, program: LearnerProgram, order: Order): Promise<Outcome> {
  const began = performance.now();
  const ms = () => Math.round(performance.now() - began);
  try {
    const response = await fetch(program.url('/orders'), {
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
        : `the request failed (${e.message}${e.cause ? `: ${(e.cause as Error).message}` : ''})`;
    return { ok: false, ms: ms(), why };
  }
}

function describe(o: Outcome): string {
  return o.ok ? `${o.status} ${o.text.slice(0, 200)} after ${o.ms} ms` : o.why;
}

interface Order {
  orderId: string;
  email: string;
}

function anOrder(prefix = 'o'): Order {
  const n = Math.floor(Math.random() * 1e6);
  return { orderId: `${prefix}-${n}`, email: `customer${n}@example.com` };
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

/** What the e-mail service does with one e-mail, once it has read it. */
type Behaviour = (mail: { to?: unknown; orderId?: unknown }, res: ServerResponse) => void | Promise<void>;

/** An e-mail service taking POST /send {to, orderId}; `mails` lists what it received, in order. */
async function emailService(t: CheckContext, behave: Behaviour) {
  const mails: { to?: unknown; orderId?: unknown }[] = [];
  const service = await t.httpService(async (req, res) => {
    const body = await readBody(req);
    let mail: { to?: unknown; orderId?: unknown } = {};
    try {
      mail = JSON.parse(body) as typeof mail;
    } catch {
      // counted below as an e-mail without an order
    }
    if (req.method !== 'POST' || req.url !== '/send') {
      res.writeHead(404).end();
      return;
    }
    mails.push(mail);
    await behave(mail, res);
  });
  const others = () =>
    service.requests
      .filter((r) => r.method !== 'POST' || r.path !== '/send')
      .map((r) => `${r.method} ${r.path}`);
  return {
    url: service.url,
    mails,
    mailsFor: (orderId: string) => mails.filter((m) => m.orderId === orderId),
    /** What the service received, for messages. */
    summary: () =>
      `the e-mail service received ${mails.length} e-mail(s)` +
      (mails.length ? `: ${mails.map((m) => JSON.stringify(m)).join(', ')}` : '') +
      (others().length ? `, and also ${others().join(', ')}` : ''),
  };
}

const ok: Behaviour = (_mail, res) =>
  void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');

export default defineChecks({
  checks: [
    {
      name: 'answers 202 within 1.5 s while the e-mail service takes 4 s',
      timeLimit: '25s',
      async run(t: CheckContext) {
        const email = await emailService(t, async (mail, res) => {
          if (!String(mail.orderId).startsWith('warm-up')) await sleep(EMAIL_DELAY_MS);
          ok(mail, res);
        });
        const program = await t.start({ env: { EMAIL_URL: email.url } });
        // Not judged: a fresh Node process answers its first request slowly.
        await placeOrder(t, program, anOrder('warm-up'));
        const o = await placeOrder(t, program, anOrder());
        t.assert(
          o.ok && o.ms <= BOUND_MS,
          `the e-mail service takes ${EMAIL_DELAY_MS} ms per e-mail; expected checkout to answer without ` +
            `waiting for it, within ${BOUND_MS} ms, got ${describe(o)}`,
        );
        t.assert(
          o.status === 202,
          `expected 202 Accepted (the order is received, the e-mail will follow), got ${describe(o)}`,
        );
      },
    },
    {
      name: "sends the confirmation e-mail to the customer's address",
      timeLimit: '25s',
      async run(t: CheckContext) {
        const email = await emailService(t, ok);
        const program = await t.start({ env: { EMAIL_URL: email.url } });
        const order = anOrder();
        const o = await placeOrder(t, program, order);
        t.assert(
          o.ok && o.status >= 200 && o.status < 300,
          `expected the order to be accepted, got ${describe(o)}`,
        );
        await t
          .waitFor(() => email.mailsFor(order.orderId).length > 0, 5000, '')
          .catch(() =>
            t.fail(
              `checkout answered ${describe(o)}, but 5 s later no e-mail for order ${order.orderId} had reached ` +
                `POST /send: ${email.summary()}. Is the subscriber listening for the very event checkout publishes?`,
            ),
          );
        const [mail] = email.mailsFor(order.orderId);
        t.assert(
          mail!.to === order.email,
          `expected the e-mail for order ${order.orderId} to go to ${order.email}, it went to ${JSON.stringify(mail!.to)}`,
        );
      },
    },
    {
      name: 'keeps taking orders after an e-mail fails',
      timeLimit: '25s',
      async run(t: CheckContext) {
        // The mail server reads the e-mail and drops the connection: fetch rejects, whatever the code checks.
        const email = await emailService(t, (_mail, res) => void res.socket?.destroy());
        const program = await t.start({ env: { EMAIL_URL: email.url } });
        let ended: string | undefined;
        void program.exited.then((e) => (ended = e.reason ?? `exit code ${e.code}`));
        const first = anOrder();
        const a = await placeOrder(t, program, first);
        t.assert(
          a.ok && a.status === 202,
          `the e-mail service fails every e-mail; expected the order to be accepted anyway with 202, got ${describe(a)}`,
        );
        await t
          .waitFor(() => email.mailsFor(first.orderId).length > 0 || ended !== undefined, 5000, '')
          .catch(() => undefined);
        // Give a rejection nobody handles the time to end the program, as Node does since version 15.
        await Promise.race([program.exited, sleep(1500)]);
        const second = anOrder();
        const b = await placeOrder(t, program, second);
        t.assert(
          b.ok && b.status === 202,
          `the e-mail for order ${first.orderId} failed (the e-mail service dropped the connection); the next ` +
            `order got ${describe(b)}` +
            (ended
              ? `: the program had ended (${ended}). An async listener's rejection that nobody handles ends the process`
              : '') +
            ". A failed e-mail is the subscriber's business; checkout must go on taking orders",
        );
        // A process that is slow to die could still take the second order: it must also still be there after.
        await t
          .waitFor(() => email.mailsFor(second.orderId).length > 0 || ended !== undefined, 5000, '')
          .catch(() => undefined);
        await Promise.race([program.exited, sleep(500)]);
        t.assert(
          ended === undefined,
          `the e-mails for orders ${first.orderId} and ${second.orderId} failed (the e-mail service dropped the ` +
            `connection), and then the program ended (${ended}). An async listener's rejection that nobody ` +
            'handles ends the process; the subscriber has to catch its own errors',
        );
      },
    },
    {
      name: 'sends exactly one e-mail per order',
      timeLimit: '25s',
      async run(t: CheckContext) {
        const email = await emailService(t, ok);
        const program = await t.start({ env: { EMAIL_URL: email.url } });
        const orders = [anOrder(), anOrder(), anOrder()];
        for (const order of orders) await placeOrder(t, program, order);
        await t
          .waitFor(() => orders.every((o) => email.mailsFor(o.orderId).length > 0), 5000, '')
          .catch(() => undefined);
        await sleep(1000); // duplicates may trail behind
        const counts = orders.map((o) => email.mailsFor(o.orderId).length);
        t.assert(
          counts.every((n) => n === 1),
          `three orders placed one after another; expected one e-mail each, the e-mail service received ` +
            orders.map((o, i) => `${counts[i]} for ${o.orderId}`).join(', ') +
            (Math.max(...counts) > 1
              ? '. Subscribe once, when the program starts: a listener added per request adds one more every time'
              : ''),
        );
      },
    },
  ],
});
