// Three HTTP services in a chain: checkout calls inventory, inventory calls the warehouse.
// Each one does a little work of its own, then waits for the next one before it can answer.
// Run it and compare the time the customer waited with the work each service did.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

/** What every service answers: its own share of the time, and what its downstream answered. */
interface Timing {
  service: string;
  ownMs: number;
  waitedMs: number;
  downstream?: Timing;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Starts an HTTP server on a free port of this machine and returns its URL. */
async function serve(handler: Handler) {
  const server = createServer((req, res) => void handler(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** A service that works for `workMs`, then (if it has one) calls the next service and waits for its answer. */
function service(name: string, workMs: number, next?: string): Handler {
  return async (_req, res) => {
    const start = performance.now();
    await sleep(workMs); // stands for a database query, a computation…
    const worked = performance.now();
    let downstream: Timing | undefined;
    if (next) {
      const answer = await fetch(next, { method: 'POST' }); // the call: nothing happens here until it answers
      downstream = (await answer.json()) as Timing;
    }
    const timing: Timing = {
      service: name,
      ownMs: worked - start,
      waitedMs: performance.now() - worked,
      downstream,
    };
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(timing));
  };
}

const warehouse = await serve(service('warehouse', 150));
const inventory = await serve(service('inventory', 80, warehouse.url));
const checkout = await serve(service('checkout', 40, inventory.url));
console.log('checkout -> inventory -> warehouse, each on its own port');
console.log('own work: checkout 40 ms, inventory 80 ms, warehouse 150 ms (270 ms in all)\n');

const ms = (n: number) => `${Math.round(n)} ms`.padStart(7);
for (let order = 1; order <= 3; order++) {
  const start = performance.now();
  const response = await fetch(checkout.url, { method: 'POST' });
  const timing = (await response.json()) as Timing;
  console.log(`order ${order}: the customer got an answer in ${Math.round(performance.now() - start)} ms`);
  for (let t: Timing | undefined = timing; t; t = t.downstream) {
    const waited = t.downstream ? `  + waited for ${t.downstream.service} ${ms(t.waitedMs)}` : '';
    console.log(`  ${t.service.padEnd(10)} own work ${ms(t.ownMs)}${waited}`);
  }
}
console.log('\nEvery answer took at least 270 ms: in a chain of calls, the latencies add up.');

checkout.close();
inventory.close();
warehouse.close();
