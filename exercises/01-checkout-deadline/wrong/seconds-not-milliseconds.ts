// fails: passes inventory's stock line on when inventory answers in time
// A deadline in the wrong unit: AbortSignal.timeout counts milliseconds, so "1" gives inventory one millisecond,
// and every order falls back to "unknown" even when inventory answers promptly.
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
    const response = await fetch(`${INVENTORY_URL}/reserve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: order,
      signal: AbortSignal.timeout(1), // one second
    });
    if (!response.ok) return 'unknown';
    const { stock } = (await response.json()) as { stock: string };
    return stock;
  } catch {
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
