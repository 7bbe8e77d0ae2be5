// The same chain, but the warehouse has stopped answering (a lock it never gets, a full disk…).
// Nobody in the chain has a timeout. New orders keep arriving, one every 300 ms.
// Watch what each service is holding. This program never ends by itself: the sandbox stops it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

async function serve(handler: Handler) {
  const server = createServer((req, res) => void handler(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** How many requests each service has accepted and not answered yet. */
const open = { checkout: 0, inventory: 0, warehouse: 0 };

function service(name: keyof typeof open, workMs: number, next?: string): Handler {
  return async (_req, res) => {
    open[name]++;
    await sleep(workMs);
    if (next) {
      const answer = await fetch(next, { method: 'POST' }); // no timeout: waits as long as `next` does
      await answer.text();
    } else {
      await new Promise(() => {}); // the warehouse hangs: this promise never settles
    }
    res.end('ok');
    open[name]--;
  };
}

const warehouse = await serve(service('warehouse', 150));
const inventory = await serve(service('inventory', 80, warehouse));
const checkout = await serve(service('checkout', 40, inventory));

console.log('the warehouse hangs, nobody has a timeout; a new order every 300 ms');
const start = performance.now();
let sent = 0;
let answered = 0;
setInterval(() => {
  sent++;
  void fetch(checkout, { method: 'POST' }).then(() => answered++);
}, 300);

setInterval(() => {
  const s = Math.round((performance.now() - start) / 1000);
  console.log(
    `still waiting after ${s} s: ${sent} orders sent, ${answered} answered;` +
      ` open requests: checkout ${open.checkout}, inventory ${open.inventory}, warehouse ${open.warehouse}`,
  );
}, 1000);
