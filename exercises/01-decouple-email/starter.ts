// Checkout in the shop of chapter 1: POST /orders records the order and has a confirmation e-mail sent. As it
// stands, checkout sends the e-mail itself and waits for it, so the customer waits for the mail server, and a
// failing mail server fails the order. Your work is where the TODO is: decouple the e-mail through an event bus.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const EMAIL_URL = process.env.EMAIL_URL;

interface Order {
  orderId: string;
  email: string;
}

/** The orders checkout has recorded. In a real shop, its database. */
const orders = new Map<string, Order>();

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

/** Asks the e-mail service to send the order's confirmation; rejects when it cannot. */
async function sendConfirmation(order: Order): Promise<void> {
  const response = await fetch(`${EMAIL_URL}/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to: order.email, orderId: order.orderId }),
  });
  if (!response.ok) throw new Error(`the e-mail service answered ${response.status}`);
}

// TODO: checkout does not need the e-mail to be sent before it answers. Publish an "order-placed" event on an
// in-process event bus instead, have a subscriber send the e-mail, and answer 202 at once. A failing e-mail must
// neither fail the order nor bring the program down.
const server = createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/orders') {
    reply(res, 404, { error: 'try POST /orders' });
    return;
  }
  const order = JSON.parse(await readBody(req)) as Order;
  orders.set(order.orderId, order);
  try {
    await sendConfirmation(order);
  } catch (err) {
    reply(res, 502, { orderId: order.orderId, status: 'failed', reason: (err as Error).message });
    return;
  }
  reply(res, 201, { orderId: order.orderId, status: 'confirmed' });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`checkout listening on port ${process.env.PORT}, e-mail service at ${EMAIL_URL}`);
});
