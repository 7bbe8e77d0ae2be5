// The shop's quote page in chapter 1: GET /quote asks three services (price, stock, shipping) and answers with all
// three. As it stands, it asks them one after another, so their latencies add up, and one failing service fails the
// whole quote. Your work is where the TODO is.
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
  // TODO: none of these questions needs another's answer. Ask all three at once, and when one of them fails,
  // answer with the other two and "unavailable" in its place.
  try {
    const price = await ask(`${PRICE_URL}/price`, 'price');
    const stock = await ask(`${STOCK_URL}/stock`, 'stock');
    const shipping = await ask(`${SHIPPING_URL}/shipping`, 'shipping');
    reply(res, 200, { price, stock, shipping });
  } catch (err) {
    reply(res, 502, { error: (err as Error).message });
  }
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`quotes on port ${process.env.PORT}`);
});
