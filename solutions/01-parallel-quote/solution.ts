// The shop's quote page in chapter 1: GET /quote asks three services (price, stock, shipping) and answers with all
// three. As it stood, it asked them one after another, so their latencies added up, and one failing service failed
// the whole quote. Solved: the three are asked at once, and a failure costs one field, not the quote.
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
  // Asked at once, the three calls overlap and the slowest alone sets the pace. allSettled waits for every call and
  // says which failed, where Promise.all would reject at the first failure and lose the answers that did arrive.
  const settled = await Promise.allSettled([
    ask(`${PRICE_URL}/price`, 'price'),
    ask(`${STOCK_URL}/stock`, 'stock'),
    ask(`${SHIPPING_URL}/shipping`, 'shipping'),
  ]);
  const [price, stock, shipping] = settled.map((r) => (r.status === 'fulfilled' ? r.value : 'unavailable'));
  reply(res, 200, { price, stock, shipping });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`quotes on port ${process.env.PORT}`);
});
