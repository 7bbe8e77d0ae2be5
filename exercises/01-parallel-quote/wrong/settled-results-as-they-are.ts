// fails: answers with the price, the stock and the shipping quote
// Parallel and tolerant, but the settled results go out as they are: each field is {"status":"fulfilled","value":…}
// instead of the value itself.
import { createServer, type ServerResponse } from 'node:http';

const { PRICE_URL, STOCK_URL, SHIPPING_URL } = process.env;

function reply(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Asks one service and resolves to one field of its JSON answer; rejects on an error status or no answer. */
async function ask(url: string, field: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return ((await response.json()) as Record<string, unknown>)[field];
}

const server = createServer(async (req, res) => {
  if (req.method !== 'GET' || req.url !== '/quote') {
    reply(res, 404, { error: 'try GET /quote' });
    return;
  }
  const [price, stock, shipping] = await Promise.allSettled([
    ask(`${PRICE_URL}/price`, 'price'),
    ask(`${STOCK_URL}/stock`, 'stock'),
    ask(`${SHIPPING_URL}/shipping`, 'shipping'),
  ]);
  reply(res, 200, { price, stock, shipping });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`quotes on port ${process.env.PORT}`);
});
