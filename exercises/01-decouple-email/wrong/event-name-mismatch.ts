// fails: sends the confirmation e-mail to the customer's address
// The subscriber listens for "orderPlaced" while checkout publishes "order-placed": EventEmitter matches names
// exactly and says nothing when nobody listens, so checkout answers at once and no e-mail is ever sent.
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
bus.on('orderPlaced', (order: Order) => {
  // emit() ignores what a listener returns, so nobody would handle this promise's rejection, and Node ends the
  // whole process on an unhandled rejection: a failed e-mail is the subscriber's to deal with, here and now.
  sendConfirmation(order).catch((err: Error) =>
    console.log(`e-mail for order ${order.orderId} failed: ${err.message}`),
  );
});

const server = createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/orders') {
    reply(res, 404, { error: 'try POST /orders' });
    return;
  }
  const order = JSON.parse(await readBody(req)) as Order;
  orders.set(order.orderId, order);
  bus.emit('order-placed', order);
  // 202 Accepted: the order is recorded and will be processed; the e-mail is not sent yet.
  reply(res, 202, { orderId: order.orderId, status: 'received' });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`checkout listening on port ${process.env.PORT}, e-mail service at ${EMAIL_URL}`);
});
