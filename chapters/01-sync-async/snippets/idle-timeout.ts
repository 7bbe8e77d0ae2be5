// Not every "timeout" is a deadline. node:http's `timeout` option measures how long the socket stays idle,
// and only tells you about it. AbortSignal.timeout() is a deadline for the whole exchange, and cancels it.
import { createServer, get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

const server = createServer(async (req, res) => {
  if (req.url === '/trickle') {
    // Answers, but slowly: one byte every 100 ms for 3 seconds. The connection is never idle for long.
    res.write('.');
    for (let i = 0; i < 30 && !res.destroyed; i++) {
      await sleep(100);
      res.write('.');
    }
    res.end();
  }
  // Any other path hangs: no answer at all.
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const since = (t: number) => `${Math.round(performance.now() - t)} ms`;

// 1. A server that never answers, called with { timeout: 500 }.
let t = performance.now();
const hanging = get(`${base}/hang`, { timeout: 500 });
hanging.on('error', () => {}); // destroying it below raises an error we expect
await once(hanging, 'timeout');
console.log(`1. http.get with { timeout: 500 }, hanging server: 'timeout' event after ${since(t)}`);
await sleep(1000);
console.log(
  `   ${since(t)} after the start the request is still open (destroyed: ${hanging.destroyed}): nothing was cancelled`,
);
hanging.destroy(); // this is what actually gives up; the 'timeout' event only told us to

// 2. A server that trickles its answer, called with { timeout: 500 }.
t = performance.now();
let timedOut = false;
const trickling = get(`${base}/trickle`, { timeout: 500 });
trickling.on('timeout', () => (timedOut = true));
const [response] = (await once(trickling, 'response')) as [IncomingMessage];
let body = '';
for await (const chunk of response) body += chunk;
console.log(
  `2. http.get with { timeout: 500 }, trickling server: ${body.length} bytes after ${since(t)}, timeout event fired: ${timedOut}`,
);

// 3. The same trickling server, with a real deadline.
t = performance.now();
try {
  const answer = await fetch(`${base}/trickle`, { signal: AbortSignal.timeout(500) });
  await answer.text();
  console.log('3. fetch finished before its deadline?');
} catch (err) {
  console.log(
    `3. fetch with AbortSignal.timeout(500), trickling server: gave up after ${since(t)} (${(err as Error).name})`,
  );
}

server.closeAllConnections();
server.close();
