// fails: gives every attempt the same Idempotency-Key, so a retry does not charge twice
// A fresh key for every attempt: each retry looks like a brand-new payment to the payment service, so a retry after
// a lost answer charges the card again, exactly as with no key at all.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';

const PAYMENT_URL = process.env.PAYMENT_URL;
const ATTEMPTS = 3;

interface Order {
  orderId: string;
  amount: number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Charges the order, trying up to 3 times; resolves to the payment service's charge id. */
async function charge(order: Order): Promise<string> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const response = await fetch(`${PAYMENT_URL}/charges`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify(order),
        signal: AbortSignal.timeout(1000),
      });
      if (response.ok) return ((await response.json()) as { chargeId: string }).chargeId;
      lastError = new Error(`the payment service answered ${response.status}`);
    } catch (err) {
      // Timed out or lost the connection: the charge may or may not have happened.
      lastError = err;
    }
    if (attempt < ATTEMPTS) await sleep(100);
  }
  throw lastError;
}

const server = createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/checkout') {
    reply(res, 404, { error: 'try POST /checkout' });
    return;
  }
  const order = JSON.parse(await readBody(req)) as Order;
  try {
    const chargeId = await charge(order);
    reply(res, 200, { status: 'paid', orderId: order.orderId, chargeId });
  } catch (err) {
    console.log(`order ${order.orderId}: no answer from the payment service (${(err as Error).message})`);
    reply(res, 502, { status: 'unknown', orderId: order.orderId });
  }
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`checkout listening on port ${process.env.PORT}, payments at ${PAYMENT_URL}`);
});
