// fails: sends exactly one e-mail per order
// The subscription made inside the request handler: every order adds one more listener to the same bus, so the
// first order gets one e-mail, the second two, the third three.
import { EventEmitter } from 'node:events';
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

// Publish/subscribe: checkout only announces the fact; who reacts, and how long they take, is not its business.
const bus = new EventEmitter();

const server = createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/orders') {
    reply(res, 404, { error: 'try POST /orders' });
    return;
  }
  const order = JSON.parse(await readBody(req)) as Order;
  orders.set(order.orderId, order);
  bus.on('order-placed', (placed: Order) => {
    sendConfirmation(placed).catch((err: Error) =>
      console.log(`e-mail for order ${placed.orderId} failed: ${err.message}`),
    );
  });
  bus.emit('order-placed', order);
  // 202 Accepted: the order is recorded and will be processed; the e-mail is not sent yet.
  reply(res, 202, { orderId: order.orderId, status: 'received' });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`checkout listening on port ${process.env.PORT}, e-mail service at ${EMAIL_URL}`);
});
