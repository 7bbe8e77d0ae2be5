// AMQP throughput and latency (issue 5 item 7): amqplib publishes 100,000 messages of 200 bytes with publisher
// confirms to one queue; one consumer with prefetch 100 acknowledges them. The embedded broker runs in its own
// process (`msgbook brokers`), real RabbitMQ at MSGBOOK_REAL_AMQP; the client is this process. Runs alternate.
import amqp from 'amqplib';
import { percentile, ratioSummary, startEmbedded, type Row } from './lib';

const N = Number(process.env.BENCH_AMQP_MESSAGES ?? 100_000);
const ROUNDS = 5;
const WINDOW = 1000; // unconfirmed messages in flight

async function workload(url: string): Promise<{ rate: number; latencies: number[] }> {
  const pub = await amqp.connect(url);
  const sub = await amqp.connect(url);
  const queue = `bench-${process.pid}-${Date.now()}`;
  const ch = await pub.createConfirmChannel();
  await ch.assertQueue(queue, { durable: false, autoDelete: false });
  const cch = await sub.createChannel();
  await cch.prefetch(100);
  const latencies: number[] = [];
  let received = 0;
  let lastAt = 0;
  const done = new Promise<void>((resolve) => {
    void cch.consume(queue, (m) => {
      if (!m) return;
      latencies.push(performance.now() - m.content.readDoubleBE(0));
      cch.ack(m);
      if (++received === N) {
        lastAt = performance.now();
        resolve();
      }
    });
  });
  const body = Buffer.alloc(200, 'x');
  const start = performance.now();
  let inFlight = 0;
  let wake: (() => void) | undefined;
  for (let i = 0; i < N; i++) {
    while (inFlight >= WINDOW) await new Promise<void>((r) => (wake = r));
    body.writeDoubleBE(performance.now(), 0);
    inFlight++;
    ch.sendToQueue(queue, Buffer.from(body), {}, () => {
      inFlight--;
      wake?.();
      wake = undefined;
    });
  }
  await ch.waitForConfirms();
  await done;
  await ch.deleteQueue(queue);
  await pub.close();
  await sub.close();
  return { rate: N / ((lastAt - start) / 1000), latencies };
}

export async function benchAmqp(root: string): Promise<Row[]> {
  const real = process.env.MSGBOOK_REAL_AMQP;
  const embedded = await startEmbedded(root, 'amqp');
  const mine: { rate: number; latencies: number[] }[] = [];
  const theirs: { rate: number; latencies: number[] }[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      mine.push(await workload(`amqp://guest:guest@${embedded.address}`));
      if (real) theirs.push(await workload(real));
      console.error(
        `  amqp round ${round + 1}: embedded ${mine.at(-1)!.rate.toFixed(0)}/s${real ? `, RabbitMQ ${theirs.at(-1)!.rate.toFixed(0)}/s` : ''}`,
      );
    }
  } finally {
    await embedded.stop();
  }
  const describe = (xs: typeof mine) => {
    const lat = xs.flatMap((x) => x.latencies);
    return `${percentile(
      xs.map((x) => x.rate),
      50,
    ).toFixed(
      0,
    )} msg/s; latency p50 ${percentile(lat, 50).toFixed(1)} ms, p95 ${percentile(lat, 95).toFixed(1)} ms`;
  };
  return [
    {
      bench: `AMQP: ${N.toLocaleString('en')} × 200 B, confirms, prefetch 100 (${ROUNDS} rounds)`,
      subject: `embedded: ${describe(mine)}`,
      anchor: real ? `RabbitMQ 3.10.8: ${describe(theirs)}` : 'MSGBOOK_REAL_AMQP not set',
      ratio: real ? ratioSummary(mine.map((m, i) => m.rate / theirs[i]!.rate)) : '',
      target: '≥ 1.0 (throughput)',
    },
  ];
}
