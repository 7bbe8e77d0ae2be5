// What more consumers change, and what they do not. The same 30 tasks of 50 ms, handled by one consumer and then by
// three, twice: once when each consumer does the work itself, once when every task is a call to one downstream
// service that handles one request at a time (a database with a single writer, a partner's API with one worker).
import amqp from 'amqplib';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const TASKS = 30;
const WORK_MS = 50;

// The downstream service: requests wait their turn, and each takes 50 ms.
let busyUntil = 0;
const service = createServer((_req, res) => {
  const start = Math.max(performance.now(), busyUntil);
  busyUntil = start + WORK_MS;
  setTimeout(() => res.end('done'), busyUntil - performance.now());
});
service.listen(0, '127.0.0.1');
await new Promise((r) => service.once('listening', r));
const downstream = `http://127.0.0.1:${(service.address() as AddressInfo).port}/`;

const connection = await amqp.connect(url);

/** Queues TASKS tasks, then drains them with `consumers` consumers; resolves with tasks per second. */
async function drain(consumers: number, work: () => Promise<unknown>): Promise<number> {
  const setup = await connection.createConfirmChannel();
  const queue = (await setup.assertQueue('', { exclusive: true })).queue;
  for (let i = 1; i <= TASKS; i++) setup.sendToQueue(queue, Buffer.from(`task-${i}`));
  await setup.waitForConfirms();
  let done = 0;
  const began = performance.now();
  const channels = await Promise.all(Array.from({ length: consumers }, () => connection.createChannel()));
  await new Promise<void>((resolve) => {
    for (const ch of channels) {
      void ch.prefetch(1).then(() =>
        ch.consume(queue, async (m) => {
          if (!m) return;
          await work();
          ch.ack(m);
          if (++done === TASKS) resolve();
        }),
      );
    }
  });
  const perSecond = TASKS / ((performance.now() - began) / 1000);
  for (const ch of [...channels, setup]) await ch.close();
  return perSecond;
}

const ownWork = () => sleep(WORK_MS);
const callDownstream = async () => (await fetch(downstream)).text();

await callDownstream(); // opens the HTTP connection before anything is timed

const results: Record<string, number[]> = {};
for (const [name, work] of [
  ['own work', ownWork],
  ['shared downstream', callDownstream],
] as const) {
  results[name] = [];
  for (const consumers of [1, 3]) {
    const rate = await drain(consumers, work);
    results[name].push(rate);
    console.log(
      `${name}, ${consumers} consumer${consumers > 1 ? 's' : ' '}: ${rate.toFixed(0).padStart(3)} tasks/s`,
    );
  }
}
const gain = (name: string) => (results[name]![1]! / results[name]![0]!).toFixed(1);
const ceiling = 1000 / WORK_MS; // the downstream finishes one request every 50 ms, whoever sends it
console.log(
  `\nthree consumers instead of one: x${gain('own work')} with their own work, ` +
    `x${gain('shared downstream')} with a shared downstream`,
);
console.log(
  results['shared downstream']![1]! <= ceiling
    ? `with the shared downstream, three consumers stayed under its ceiling of ${ceiling} tasks/s`
    : `three consumers went past the downstream's ceiling of ${ceiling} tasks/s: is it really shared?`,
);

await connection.close();
service.close();
