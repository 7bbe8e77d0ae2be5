// Checkout needs three answers that do not depend on each other: a price, the stock, a shipping quote.
// Asked one after another, their latencies add up; asked all at once, the slowest one sets the pace.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

const servers: ReturnType<typeof createServer>[] = [];
/** A service that takes `ms` to answer `body`. */
async function slowService(ms: number, body: string) {
  const server = createServer(async (_req, res) => {
    await sleep(ms);
    res.end(body);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const pricing = await slowService(300, '12.90 EUR');
const stock = await slowService(200, '4 in stock');
const shipping = await slowService(400, 'delivery on Tuesday');
console.log('pricing takes 300 ms, stock 200 ms, shipping 400 ms\n');

const get = async (url: string) => (await fetch(url)).text();

for (let round = 1; round <= 2; round++) {
  let t = performance.now();
  const a = await get(pricing);
  const b = await get(stock);
  const c = await get(shipping);
  const sequential = performance.now() - t;

  t = performance.now();
  const [x, y, z] = await Promise.all([get(pricing), get(stock), get(shipping)]);
  const parallel = performance.now() - t;

  console.log(`round ${round}: one after another: ${Math.round(sequential)} ms  (${a}, ${b}, ${c})`);
  console.log(`round ${round}: all at once:       ${Math.round(parallel)} ms  (${x}, ${y}, ${z})`);
}
console.log(
  '\nOne after another costs the sum (about 900 ms); all at once costs the slowest call (about 400 ms).',
);

for (const server of servers) {
  server.closeAllConnections();
  server.close();
}
