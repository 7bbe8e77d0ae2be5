// fails: answers within 3 s with stock unknown when inventory hangs
// A deadline without a fallback: checkout gives up on time, but answers 504 Gateway Timeout instead of accepting
// the order with stock "unknown". The customer gets an answer, just not a useful one.
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

class InventoryUnavailable extends Error {}

/** Asks inventory to reserve what the order holds; resolves to inventory's stock line, e.g. "reserved". */
async function reserve(order: string): Promise<string> {
  try {
    const response = await fetch(`${INVENTORY_URL}/reserve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: order,
      signal: AbortSignal.timeout(1000),
    });
    if (!response.ok) return 'unknown';
    const { stock } = (await response.json()) as { stock: string };
    return stock;
  } catch (err) {
    throw new InventoryUnavailable(`inventory did not answer: ${(err as Error).name}`);
  }
}

const server = createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/checkout') {
    res.writeHead(404).end();
    return;
  }
  const order = await readBody(req);
  let stock: string;
  try {
    stock = await reserve(order);
  } catch (err) {
    res.writeHead(504, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: (err as Error).message }));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ order: 'accepted', stock }));
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`checkout listening on port ${process.env.PORT}, inventory at ${INVENTORY_URL}`);
});
