// fails: answers within 3 s when inventory sends its answer slowly
// An idle timeout taken for a deadline: http.request's `timeout` fires only after 1000 ms without a byte on the
// socket, so an inventory that trickles its answer never trips it, and the customer waits for the whole trickle.
import { createServer, request, type IncomingMessage } from 'node:http';

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
function reserve(order: string): Promise<string> {
  return new Promise((resolve) => {
    const call = request(
      `${INVENTORY_URL}/reserve`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, timeout: 1000 },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          resolve('unknown');
          return;
        }
        readBody(response).then(
          (text) => resolve((JSON.parse(text) as { stock: string }).stock),
          () => resolve('unknown'),
        );
      },
    );
    call.on('timeout', () => call.destroy(new Error('inventory timed out')));
    call.on('error', () => resolve('unknown'));
    call.end(order);
  });
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
