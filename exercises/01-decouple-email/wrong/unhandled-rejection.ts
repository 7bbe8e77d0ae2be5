// fails: keeps taking orders after an e-mail fails
// An async listener without a catch: emit() ignores the promise it returns, so when the e-mail fails the rejection
// is unhandled, and Node ends the whole process. The next customer finds no checkout at all.
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
bus.on('order-placed', async (order: Order) => {
  await sendConfirmation(order);
  console.log(`e-mail for order ${order.orderId} sent`);
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
