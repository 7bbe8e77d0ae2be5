// The order flow again, decoupled: checkout records the order, publishes an "order-placed" event
// on an in-process event bus and answers at once. Inventory, e-mail and analytics react in their own time.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

const start = performance.now();
const log = (line: string) =>
  console.log(`+${String(Math.round(performance.now() - start)).padStart(4)} ms  ${line}`);

interface OrderPlaced {
  orderId: number;
  item: string;
  email: string;
}
type Subscriber = (event: OrderPlaced) => Promise<void>;

/** A minimal event bus: publish() hands the event to every subscriber and returns without waiting for them. */
class EventBus {
  private subscribers: { name: string; handle: Subscriber }[] = [];
  private inFlight = new Set<Promise<void>>();
  failures: string[] = [];

  subscribe(name: string, handle: Subscriber): void {
    this.subscribers.push({ name, handle });
  }

  publish(event: OrderPlaced): void {
    for (const { name, handle } of this.subscribers) {
      const delivery = sleep(0) // start the handler on a later turn of the event loop, never inside publish()
        .then(() => handle(event))
        .catch((err: unknown) => {
          // A failing subscriber is the bus's problem to report, not the publisher's.
          this.failures.push(name);
          log(`bus: ${name} failed on order ${event.orderId}: ${(err as Error).message}`);
        })
        .finally(() => this.inFlight.delete(delivery));
      this.inFlight.add(delivery);
    }
  }

  /** Resolves when every delivery made so far has finished (used here only to end the program cleanly). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }
}

// What each service knows about the order. In a real system each would keep its own copy in its own database.
const orders = new Map<number, { stock: string; email: string }>();
const bus = new EventBus();

bus.subscribe('inventory', async (e) => {
  await sleep(800); // asks the warehouse, slowly
  orders.get(e.orderId)!.stock = 'reserved';
  log(`inventory: reserved 1 ${e.item} for order ${e.orderId}`);
});
bus.subscribe('email', async (e) => {
  await sleep(1500); // the mail server is slow today
  orders.get(e.orderId)!.email = 'sent';
  log(`email: confirmation sent to ${e.email}`);
});
bus.subscribe('analytics', async () => {
  await sleep(300);
  throw new Error('analytics database is down');
});

const server = createServer((req, res) => {
  const id = Number(req.url?.split('/')[2]);
  if (req.method === 'POST') {
    orders.set(id, { stock: 'pending', email: 'pending' });
    bus.publish({ orderId: id, item: 'blue mug', email: 'ada@example.com' });
    res.statusCode = 202; // "Accepted": received and will be processed, not "done"
    res.end(JSON.stringify({ orderId: id, status: 'received' }));
  } else {
    res.end(JSON.stringify(orders.get(id)));
  }
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const checkout = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// The first request of a process also loads the HTTP client and opens a connection: make it before measuring.
await (await fetch(`${checkout}/orders/0`)).text();

const t0 = performance.now();
const response = await fetch(`${checkout}/orders/1`, { method: 'POST' });
const body = await response.text();
log(`customer: checkout answered in ${Math.round(performance.now() - t0)} ms: ${response.status} ${body}`);
log(`customer: right after, order 1 looks like ${await (await fetch(`${checkout}/orders/1`)).text()}`);

await bus.drain();
const final = orders.get(1)!;
log(`customer: once the subscribers are done, order 1 looks like ${JSON.stringify(final)}`);
console.log(
  `\nstock ${final.stock}, e-mail ${final.email}; ${bus.failures.length} subscriber failed (${bus.failures.join(', ')}),` +
    ' and the checkout had answered long before.',
);

server.closeAllConnections();
server.close();
