// Checkout for the shop of chapter 1: POST /checkout asks inventory to reserve the order's item, then answers the
// customer with inventory's stock line. As it stands, checkout waits for inventory as long as inventory takes,
// so a hanging inventory made every checkout hang too. Solved: reserve() has a deadline and a fallback.
import { createServer, type IncomingMessage } from 'node:http';

const INVENTORY_URL = process.env.INVENTORY_URL;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/** Asks inventory to reserve what the order holds; resolves to inventory's stock line, e.g. "reserved". */
async function reserve(order: string): Promise<string> {
  try {
    // AbortSignal.timeout is a deadline for the whole exchange, body included, and when it fires fetch closes the
    // connection: inventory sees its caller hang up instead of working on for nobody.
    const response = await fetch(`${INVENTORY_URL}/reserve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: order,
      signal: AbortSignal.timeout(1000),
    });
    // fetch resolves on any HTTP status: an error answer carries no stock line to pass on.
    if (!response.ok) return 'unknown';
    const { stock } = (await response.json()) as { stock: string };
    return stock;
  } catch {
    // No answer in time, or no connection: an honest partial answer beats no answer at all.
    return 'unknown';
  }
}

const server = createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/checkout') {
    res.writeHead(404).end();
    return;
  }
  const order = await readBody(req);
  const stock = await reserve(order);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ order: 'accepted', stock }));
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`checkout listening on port ${process.env.PORT}, inventory at ${INVENTORY_URL}`);
});
