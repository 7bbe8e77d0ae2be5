// Pub/Sub throughput and latency (issue 6 item 7): publishing 50,000 messages of 200 bytes with the client's default
// batching, received by one streaming subscriber that acks each. The embedded emulator runs in its own process
// (`msgbook brokers`), the official emulator at MSGBOOK_REAL_PUBSUB; the clients are this process. Runs alternate.
import { PubSub } from '@google-cloud/pubsub';
import { percentile, ratioSummary, startEmbedded, type Row } from './lib';

const N = Number(process.env.BENCH_PUBSUB_MESSAGES ?? 50_000);
const ROUNDS = 5;

async function workload(host: string): Promise<{ rate: number; latencies: number[] }> {
  const pubsub = new PubSub({ projectId: 'bench', apiEndpoint: host, emulatorMode: true });
  const name = `bench-${process.pid}-${Date.now()}`;
  const [topic] = await pubsub.createTopic(name);
  const [sub] = await topic.createSubscription(name);
  const latencies: number[] = [];
  let received = 0;
  let lastAt = 0;
  const done = new Promise<void>((resolve) => {
    sub.on('message', (m) => {
      latencies.push(performance.now() - m.data.readDoubleBE(0));
      m.ack();
      if (++received === N) {
        lastAt = performance.now();
        resolve();
      }
    });
  });
  const body = Buffer.alloc(200, 'x');
  const start = performance.now();
  const publishes: Promise<string>[] = [];
  for (let i = 0; i < N; i++) {
    const data = Buffer.from(body);
    data.writeDoubleBE(performance.now(), 0);
    publishes.push(topic.publishMessage({ data }));
    if (publishes.length % 1000 === 0) await Promise.all(publishes.splice(0));
  }
  await Promise.all(publishes);
  await done;
  await sub.close();
  await sub.delete();
  await topic.delete();
  await pubsub.close();
  return { rate: N / ((lastAt - start) / 1000), latencies };
}

export async function benchPubsub(root: string): Promise<Row[]> {
  const real = process.env.MSGBOOK_REAL_PUBSUB;
  const embedded = await startEmbedded(root, 'pubsub');
  const mine: { rate: number; latencies: number[] }[] = [];
  const theirs: typeof mine = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      mine.push(await workload(embedded.address));
      if (real) theirs.push(await workload(real));
      console.error(
        `  pubsub round ${round + 1}: embedded ${mine.at(-1)!.rate.toFixed(0)}/s` +
          (real ? `, official ${theirs.at(-1)!.rate.toFixed(0)}/s` : ''),
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
    )} msg/s; latency p50 ${percentile(lat, 50).toFixed(0)} ms, p95 ${percentile(lat, 95).toFixed(0)} ms`;
  };
  return [
    {
      bench: `Pub/Sub: ${N.toLocaleString('en')} × 200 B, default batching, one streaming subscriber (${ROUNDS} rounds)`,
      subject: `embedded: ${describe(mine)}`,
      anchor: real ? `official emulator 0.8.20: ${describe(theirs)}` : 'MSGBOOK_REAL_PUBSUB not set',
      ratio: real ? ratioSummary(mine.map((m, i) => m.rate / theirs[i]!.rate)) : '',
      target: '≥ 2.0 (throughput)',
    },
  ];
}
