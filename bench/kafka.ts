// Kafka throughput and latency (issue 4 item 7): kafkajs produces 100,000 records of 200 bytes in batches of 1,000
// with acks=-1 while one consumer (subscribed first) reads them all. The embedded broker runs in its own process
// (`msgbook brokers`), real Kafka at MSGBOOK_REAL_KAFKA; the clients are this process. Runs alternate.
import { Kafka, logLevel } from 'kafkajs';
import { percentile, ratioSummary, startEmbedded, type Row } from './lib';

const N = Number(process.env.BENCH_KAFKA_RECORDS ?? 100_000);
const BATCH = 1000;
const ROUNDS = 5;

interface Outcome {
  produceRate: number;
  endToEndRate: number;
  latencies: number[];
}

async function workload(brokers: string): Promise<Outcome> {
  const kafka = new Kafka({ clientId: 'bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const topic = `bench-${process.pid}-${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  const consumer = kafka.consumer({ groupId: topic, maxBytes: 16 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const latencies: number[] = [];
  let received = 0;
  let lastAt = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        const now = performance.now();
        for (const m of batch.messages) latencies.push(now - m.value!.readDoubleBE(0));
        received += batch.messages.length;
        if (received >= N) {
          lastAt = performance.now();
          resolve();
        }
      },
    });
  });
  await new Promise<void>((r) => consumer.on(consumer.events.GROUP_JOIN, () => r()));
  const producer = kafka.producer();
  await producer.connect();
  const value = Buffer.alloc(200, 'x');
  const start = performance.now();
  for (let i = 0; i < N; i += BATCH) {
    const messages = Array.from({ length: Math.min(BATCH, N - i) }, () => {
      const v = Buffer.from(value);
      v.writeDoubleBE(performance.now(), 0);
      return { value: v };
    });
    await producer.send({ topic, acks: -1, messages });
  }
  const produced = performance.now();
  await done;
  await producer.disconnect();
  await consumer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  return {
    produceRate: N / ((produced - start) / 1000),
    endToEndRate: N / ((lastAt - start) / 1000),
    latencies,
  };
}

export async function benchKafka(root: string): Promise<Row[]> {
  const real = process.env.MSGBOOK_REAL_KAFKA;
  const embedded = await startEmbedded(root, 'kafka');
  const mine: Outcome[] = [];
  const theirs: Outcome[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      mine.push(await workload(embedded.address));
      if (real) theirs.push(await workload(real));
      console.error(
        `  kafka round ${round + 1}: embedded ${mine.at(-1)!.endToEndRate.toFixed(0)}/s` +
          (real ? `, Kafka ${theirs.at(-1)!.endToEndRate.toFixed(0)}/s` : ''),
      );
    }
  } finally {
    await embedded.stop();
  }
  const describe = (xs: Outcome[]) => {
    const lat = xs.flatMap((x) => x.latencies);
    return (
      `${percentile(
        xs.map((x) => x.endToEndRate),
        50,
      ).toFixed(0)} records/s end to end ` +
      `(produce ${percentile(
        xs.map((x) => x.produceRate),
        50,
      ).toFixed(0)}/s); ` +
      `latency p50 ${percentile(lat, 50).toFixed(0)} ms, p95 ${percentile(lat, 95).toFixed(0)} ms`
    );
  };
  return [
    {
      bench: `Kafka: ${N.toLocaleString('en')} × 200 B, batches of ${BATCH}, acks=-1, one consumer (${ROUNDS} rounds)`,
      subject: `embedded: ${describe(mine)}`,
      anchor: real ? `Apache Kafka 4.1.1: ${describe(theirs)}` : 'MSGBOOK_REAL_KAFKA not set',
      ratio: real ? ratioSummary(mine.map((m, i) => m.endToEndRate / theirs[i]!.endToEndRate)) : '',
      target: '≥ 1.0 (throughput)',
    },
  ];
}
