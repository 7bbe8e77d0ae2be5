// Benchmark of issue 4: kafkajs produces 100,000 records of 200 bytes in batches of 1,000 with acks=-1, one consumer
// reads them all, then single records measure produce-to-consume latency. Runs against the embedded broker, and
// against real Kafka too when MSGBOOK_REAL_KAFKA is set; prints one JSON line per target and the ratio.
// Usage: node --import tsx brokers/kafka/bench/produce-consume.ts
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { startKafka } from '../src/index';

const RECORDS = 100_000;
const BATCH = 1_000;
const LATENCY_SAMPLES = 200;

interface Result {
  target: string;
  produceRecordsPerSec: number;
  consumeRecordsPerSec: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  rssMb: number;
}

async function run(target: string, brokers: string[]): Promise<Result> {
  const kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING });
  const topic = `bench-${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const value = Buffer.alloc(200, 'x');

  const p0 = performance.now();
  for (let i = 0; i < RECORDS / BATCH; i++) {
    await producer.send({ topic, acks: -1, messages: Array.from({ length: BATCH }, () => ({ value })) });
  }
  const produceMs = performance.now() - p0;

  const consumer = kafka.consumer({
    groupId: `bench-${randomUUID()}`,
    maxWaitTimeInMs: 100,
    heartbeatInterval: 500,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let received = 0;
  const latencies: number[] = [];
  let c0 = 0;
  let consumeMs = 0;
  const all = new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        if (c0 === 0) c0 = performance.now();
        for (const m of batch.messages) {
          received++;
          const sent = m.headers?.sent;
          if (sent) latencies.push(performance.now() - Number(sent.toString()));
        }
        if (received === RECORDS) {
          consumeMs = performance.now() - c0;
          resolve();
        }
      },
    });
  });
  await all;
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const before = latencies.length;
    await producer.send({
      topic,
      acks: -1,
      messages: [{ value, headers: { sent: String(performance.now()) } }],
    });
    while (latencies.length === before) await new Promise((r) => setImmediate(r));
  }
  await consumer.disconnect();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]! * 10) / 10;
  return {
    target,
    produceRecordsPerSec: Math.round(RECORDS / (produceMs / 1000)),
    consumeRecordsPerSec: Math.round(RECORDS / (consumeMs / 1000)),
    latencyP50Ms: pct(0.5),
    latencyP95Ms: pct(0.95),
    rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}

const broker = await startKafka();
const embedded = await run('embedded', [`${broker.address.host}:${broker.address.port}`]);
await broker.stop();
console.log(JSON.stringify(embedded));
const real = process.env.MSGBOOK_REAL_KAFKA;
if (real) {
  const r = await run('real', real.split(','));
  console.log(JSON.stringify(r));
  console.log(
    JSON.stringify({
      produceRatio: Math.round((embedded.produceRecordsPerSec / r.produceRecordsPerSec) * 100) / 100,
      consumeRatio: Math.round((embedded.consumeRecordsPerSec / r.consumeRecordsPerSec) * 100) / 100,
    }),
  );
}
