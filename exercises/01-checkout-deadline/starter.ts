// Checkout for the shop of chapter 1: POST /checkout asks inventory to reserve the order's item, then answers the
// customer with inventory's stock line. As it stands, checkout waits for inventory as long as inventory takes,
// so a hanging inventory makes every checkout hang too. Your work is in reserve().
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
  // TODO: give inventory at most 1000 ms for the whole exchange, and fall back to "unknown" when it does not
  // answer in time or answers with an error.
  const response = await fetch(`${INVENTORY_URL}/reserve`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: order,
  });
  const { stock } = (await response.json()) as { stock: string };
  return stock;
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
