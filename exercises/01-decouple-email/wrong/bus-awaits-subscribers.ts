// fails: answers 202 within 1.5 s while the e-mail service takes 4 s
// A bus that awaits each subscriber in turn: it catches every error, so nothing crashes, but checkout awaits
// publish() and therefore the e-mail. A synchronous call chain with a different name.
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

type Subscriber = (order: Order) => Promise<void>;

/** An event bus: delivers each event to every subscriber, one after another, and reports their failures. */
class EventBus {
  private subscribers = new Map<string, Subscriber[]>();

  subscribe(event: string, handle: Subscriber): void {
    this.subscribers.set(event, [...(this.subscribers.get(event) ?? []), handle]);
  }

  async publish(event: string, order: Order): Promise<void> {
    for (const handle of this.subscribers.get(event) ?? []) {
      try {
        await handle(order);
      } catch (err) {
        console.log(`a subscriber to ${event} failed: ${(err as Error).message}`);
      }
    }
  }
}

const bus = new EventBus();
bus.subscribe('order-placed', sendConfirmation);

const server = createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/orders') {
    reply(res, 404, { error: 'try POST /orders' });
    return;
  }
  const order = JSON.parse(await readBody(req)) as Order;
  orders.set(order.orderId, order);
  await bus.publish('order-placed', order);
  // 202 Accepted: the order is recorded and will be processed; the e-mail is not sent yet.
  reply(res, 202, { orderId: order.orderId, status: 'received' });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`checkout listening on port ${process.env.PORT}, e-mail service at ${EMAIL_URL}`);
});
