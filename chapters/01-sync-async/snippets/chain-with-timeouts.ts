// The same chain with a deadline on every call. The warehouse is stuck for 3 s.
// Each caller gives its callee less time than it was given itself, and has a plan B for when time runs out.
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

const start = performance.now();
const log = (line: string) =>
  console.log(`+${String(Math.round(performance.now() - start)).padStart(4)} ms  ${line}`);

/** Calls `url`, but gives up after `ms`: the AbortSignal closes the connection when the time is up. */
async function call(url: string, ms: number): Promise<string> {
  const response = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(ms) });
  return response.text();
}

let warehouseDone: Promise<void> = Promise.resolve();
const warehouse = await serve(async (_req, res) => {
  const begun = performance.now();
  res.on('close', () => {
    if (!res.writableEnded)
      log(`warehouse: the caller hung up after ${Math.round(performance.now() - begun)} ms`);
  });
  warehouseDone = sleep(3000).then(() => {
    // The work goes on, whether anybody still waits for it or not.
    log('warehouse: reserved 1 blue mug for order 1 (nobody is waiting for this answer any more)');
    if (!res.destroyed) res.end('reserved');
  });
});

const inventory = await serve(async (_req, res) => {
  await sleep(80);
  try {
    res.end(`stock: ${await call(warehouse, 500)}`);
  } catch (err) {
    log(
      `inventory: no answer from the warehouse in 500 ms (${(err as Error).name}), answering "stock unknown"`,
    );
    res.end('stock: unknown, to be confirmed by e-mail'); // the fallback: a useful answer, honestly labelled
  }
});

const checkout = await serve(async (_req, res) => {
  await sleep(40);
  try {
    res.end(`order 1 accepted, ${await call(inventory, 1000)}`);
  } catch {
    res.end('sorry, try again in a minute');
  }
});

log(
  'customer: placing order 1 (deadline 2000 ms; checkout gives inventory 1000 ms, inventory gives the warehouse 500 ms)',
);
const t0 = performance.now();
const answer = await call(checkout, 2000);
log(`customer: answered in ${Math.round(performance.now() - t0)} ms: "${answer}"`);

await warehouseDone;
for (const server of servers) {
  server.closeAllConnections();
  server.close();
}
