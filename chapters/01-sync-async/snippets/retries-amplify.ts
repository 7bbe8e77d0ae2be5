// The warehouse is overloaded and answers 503 to everything. Every caller in the chain retries,
// which sounds careful. Count how many requests one click of the customer sends to the warehouse.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const servers: ReturnType<typeof createServer>[] = [];
async function serve(handler: Handler) {
  const server = createServer((req, res) => void handler(req, res));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** POSTs to `url` up to `attempts` times, waiting a little longer before each new try. Returns the last status. */
async function callWithRetries(url: string, attempts: number): Promise<number> {
  let status = 0;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const response = await fetch(url, { method: 'POST' });
    await response.text();
    status = response.status;
    if (status < 500) break;
    if (attempt < attempts) await sleep(10 * attempt);
  }
  return status;
}

const received = { checkout: 0, inventory: 0, warehouse: 0 };

/** Builds the chain; `attempts` is how many times each service tries its downstream. */
async function chain(attempts: number) {
  received.checkout = received.inventory = received.warehouse = 0;
  const warehouse = await serve(async (_req, res) => {
    received.warehouse++;
    res.statusCode = 503; // "too busy": the kind of error everyone thinks is worth retrying
    res.end();
  });
  function middle(name: 'checkout' | 'inventory', next: string): Handler {
    return async (_req, res) => {
      received[name]++;
      res.statusCode = await callWithRetries(next, attempts); // passes the last status up
      res.end();
    };
  }
  const inventory = await serve(middle('inventory', warehouse));
  return serve(middle('checkout', inventory));
}

const report = () =>
  `checkout received ${received.checkout}, inventory received ${received.inventory}, ` +
  `warehouse received ${received.warehouse} requests`;

// 1. Everybody retries: the customer's app, checkout and inventory each try up to 3 times.
let checkout = await chain(3);
let status = await callWithRetries(checkout, 3);
console.log(`everybody retries 3 times:       one click -> ${status}; ${report()}`);

// 2. Only the outermost caller retries; the services inside the chain pass a failure up at once.
checkout = await chain(1);
status = await callWithRetries(checkout, 3);
console.log(`only the customer's app retries: one click -> ${status}; ${report()}`);

console.log(
  '\nRetries at every layer multiply: 3 x 3 x 3 = 27 requests to the service that was already drowning.',
);

for (const server of servers) {
  server.closeAllConnections();
  server.close();
}
