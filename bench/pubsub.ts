// Pub/Sub throughput and latency (issue 6 item 7): publishing 50,000 messages of 200 bytes with the client's default
// batching, received by one streaming subscriber that acks each. The embedded emulator runs in its own process
// (`msgbook brokers`), the official emulator at MSGBOOK_REAL_PUBSUB. The publisher runs in this thread and the
// subscriber in a worker thread, as two applications would, so the figure is not one event loop's time for both
// clients (the client library costs more CPU per message than either emulator). Runs alternate.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { PubSub } from '@google-cloud/pubsub';
import { percentile, ratioSummary, startEmbedded, type Row } from './lib';

const N = Number(process.env.BENCH_PUBSUB_MESSAGES ?? 50_000);
const ROUNDS = 5;
/** Milliseconds on a clock both threads share (each thread's performance.now() has its own origin). */
const now = () => performance.timeOrigin + performance.now();

/**
 * The subscriber thread, plain JavaScript because tsx's loader does not reach worker threads on Node 20. It reports
 * `ready` when the warm-up message arrives (its stream is open), acks every message, and reports `done` with each
 * one's publish-to-receive latency once it has received them all.
 */
const SUBSCRIBER = `
const { parentPort, workerData } = require('node:worker_threads');
const { PubSub } = require(workerData.pubsub);
const now = () => performance.timeOrigin + performance.now();
const pubsub = new PubSub({ projectId: 'bench', apiEndpoint: workerData.host, emulatorMode: true });
const sub = pubsub.subscription(workerData.subscription);
const latencies = [];
let received = 0;
sub.on('error', (e) => parentPort.postMessage({ error: String(e) }));
sub.on('message', (m) => {
  if (m.attributes.warmup) {
    m.ack();
    return parentPort.postMessage({ ready: true });
  }
  latencies.push(now() - m.data.readDoubleBE(0));
  m.ack();
  if (++received === workerData.messages) {
    const doneAt = now();
    sub.close().then(() => pubsub.close()).finally(() => parentPort.postMessage({ doneAt, latencies }));
  }
});
`;

async function workload(host: string): Promise<{ rate: number; latencies: number[] }> {
  const pubsub = new PubSub({ projectId: 'bench', apiEndpoint: host, emulatorMode: true });
  const name = `bench-${process.pid}-${Date.now()}`;
  const [topic] = await pubsub.createTopic(name);
  const [sub] = await topic.createSubscription(name);
  const subscriber = new Worker(SUBSCRIBER, {
    eval: true,
    workerData: {
      pubsub: createRequire(import.meta.url).resolve('@google-cloud/pubsub'),
      host,
      subscription: name,
      messages: N,
    },
  });
  let ready!: () => void;
  const warm = new Promise<void>((r) => (ready = r));
  const done = new Promise<{ doneAt: number; latencies: number[] }>((resolve, reject) => {
    subscriber.on('error', reject);
    subscriber.on('message', (m: { ready?: true; doneAt?: number; latencies?: number[]; error?: string }) => {
      if (m.error) reject(new Error(m.error));
      else if (m.ready) ready();
      else if (m.doneAt !== undefined) resolve({ doneAt: m.doneAt, latencies: m.latencies! });
    });
  });
  // The clock starts once both clients are connected and the subscriber's stream delivers.
  await topic.publishMessage({ data: Buffer.from('warm-up'), attributes: { warmup: '1' } });
  await Promise.race([warm, done]);
  const body = Buffer.alloc(200, 'x');
  const start = now();
  const publishes: Promise<string>[] = [];
  for (let i = 0; i < N; i++) {
    const data = Buffer.from(body);
    data.writeDoubleBE(now(), 0);
    publishes.push(topic.publishMessage({ data }));
    if (publishes.length % 1000 === 0) await Promise.all(publishes.splice(0));
  }
  await Promise.all(publishes);
  const { doneAt, latencies } = await done;
  await subscriber.terminate();
  await sub.delete();
  await topic.delete();
  await pubsub.close();
  return { rate: N / ((doneAt - start) / 1000), latencies };
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
      bench: `Pub/Sub: ${N.toLocaleString('en')} × 200 B, default batching, one streaming subscriber in its own thread (${ROUNDS} rounds)`,
      subject: `embedded: ${describe(mine)}`,
      anchor: real ? `official emulator 0.8.20: ${describe(theirs)}` : 'MSGBOOK_REAL_PUBSUB not set',
      ratio: real ? ratioSummary(mine.map((m, i) => m.rate / theirs[i]!.rate)) : '',
      target: '≥ 2.0 (throughput)',
    },
  ];
}
