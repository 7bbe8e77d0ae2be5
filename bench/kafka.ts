// Kafka throughput and latency (issue 4 item 7): kafkajs produces 100,000 records of 200 bytes in batches of 1,000
// with acks=-1 while one consumer (subscribed first) reads them all. The producer runs in this process and the
// consumer in a worker thread, as two applications would, so the figure is not one event loop's time for both
// clients' encoding and decoding. The embedded broker runs in its own process (`msgbook brokers`), real Kafka at
// MSGBOOK_REAL_KAFKA; rounds alternate, each starting with the other target. The embedded broker's CPU time and
// memory are read from /proc (Linux), real Kafka's CPU time too when real-brokers/brokers.sh started it (its pid
// file); a last phase writes 5× a topic's retention.bytes into the embedded broker to show its memory is bounded by
// retention, not by what was sent.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Kafka, logLevel } from 'kafkajs';
import { cleanEnv, percentile, ratioSummary, type Row } from './lib';

const N = Number(process.env.BENCH_KAFKA_RECORDS ?? 100_000);
const BATCH = 1000;
const ROUNDS = 7;
/** retention.bytes of the memory phase's topic, and how many times that much it is sent. */
const RETAINED = 8 * 1024 * 1024;
const OVERFILL = 5;

/** Wall-clock milliseconds with sub-millisecond precision, comparable across threads (unlike performance.now()). */
const now = () => performance.timeOrigin + performance.now();

interface Outcome {
  produceRate: number;
  endToEndRate: number;
  latencies: number[];
}

/**
 * The consumer thread, plain JavaScript because tsx's loader does not reach worker threads on Node 20. It reports
 * `joined` once it owns the partition, then `done` with every record's produce-to-consume latency.
 */
const CONSUMER = `
const { parentPort, workerData } = require('node:worker_threads');
const { Kafka, logLevel } = require(workerData.kafkajs);
const now = () => performance.timeOrigin + performance.now();
const kafka = new Kafka({ clientId: 'bench-consumer', brokers: workerData.brokers, logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId: workerData.topic, maxBytes: 16 * 1024 * 1024 });
const latencies = [];
let received = 0;
consumer.on(consumer.events.GROUP_JOIN, () => parentPort.postMessage({ joined: true }));
(async () => {
  await consumer.connect();
  await consumer.subscribe({ topic: workerData.topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const at = now();
      for (const m of batch.messages) latencies.push(at - m.value.readDoubleBE(0));
      received += batch.messages.length;
      if (received >= workerData.records) parentPort.postMessage({ doneAt: at, latencies });
    },
  });
})().catch((e) => parentPort.postMessage({ error: String(e) }));
parentPort.on('message', () => consumer.disconnect().finally(() => process.exit(0)));
`;

async function workload(brokers: string): Promise<Outcome> {
  const kafka = new Kafka({ clientId: 'bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const topic = `bench-${process.pid}-${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  const consumer = new Worker(CONSUMER, {
    eval: true,
    workerData: {
      kafkajs: createRequire(import.meta.url).resolve('kafkajs'),
      brokers: brokers.split(','),
      topic,
      records: N,
    },
  });
  let joined!: () => void;
  let finished!: (m: { doneAt: number; latencies: number[] }) => void;
  let failed!: (e: Error) => void;
  const ready = new Promise<void>((r) => (joined = r));
  const done = new Promise<{ doneAt: number; latencies: number[] }>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  consumer.on('error', (e) => failed(e));
  consumer.on('message', (m: { joined?: true; doneAt?: number; latencies?: number[]; error?: string }) => {
    if (m.joined) joined();
    else if (m.error) failed(new Error(m.error));
    else if (m.doneAt !== undefined) finished({ doneAt: m.doneAt, latencies: m.latencies! });
  });
  await Promise.race([ready, done]);
  const producer = kafka.producer();
  await producer.connect();
  const value = Buffer.alloc(200, 'x');
  const start = now();
  for (let i = 0; i < N; i += BATCH) {
    const messages = Array.from({ length: Math.min(BATCH, N - i) }, () => {
      const v = Buffer.from(value);
      v.writeDoubleBE(now(), 0);
      return { value: v };
    });
    await producer.send({ topic, acks: -1, messages });
  }
  const produced = now();
  const { doneAt, latencies } = await done;
  const exited = new Promise((r) => consumer.once('exit', r));
  consumer.postMessage('stop');
  await exited;
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  return {
    produceRate: N / ((produced - start) / 1000),
    endToEndRate: N / ((doneAt - start) / 1000),
    latencies,
  };
}

/**
 * Sends OVERFILL × RETAINED bytes of records into a topic that retains RETAINED, twice, reading the broker's memory
 * after each half: bounded by retention, the second half adds nothing to it. Returns the figures as a sentence.
 */
async function overfill(brokers: string, pid: number): Promise<string> {
  const kafka = new Kafka({ clientId: 'bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const topic = `bench-retention-${process.pid}`;
  const admin = kafka.admin();
  const producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  await admin.createTopics({
    topics: [
      { topic, numPartitions: 1, configEntries: [{ name: 'retention.bytes', value: String(RETAINED) }] },
    ],
  });
  const value = Buffer.alloc(200, 'x');
  const messages = Array.from({ length: BATCH }, () => ({ value }));
  const rss: string[] = [];
  for (let half = 1; half <= 2; half++) {
    for (let sent = 0; sent < OVERFILL * RETAINED; sent += BATCH * value.length)
      await producer.send({ topic, acks: -1, messages });
    rss.push(`${usage(pid)?.rss.toFixed(0)} MB after ${(half * OVERFILL * RETAINED) / 2 ** 20} MB`);
  }
  const [offsets] = await admin.fetchTopicOffsets(topic);
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  return (
    `${rss.join(', ')} into a topic retaining ${RETAINED / 2 ** 20} MB ` +
    `(log start ${offsets!.low} of ${offsets!.high} records)`
  );
}

/** `msgbook brokers --only kafka` on a free port in its own process, with its pid for /proc. */
async function startBroker(root: string): Promise<{ address: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [path.join(root, 'sandbox-server/bin/msgbook.mjs'), 'brokers', '--only', 'kafka', '--kafka-port', '0'],
    { env: cleanEnv(), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  const address = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /kafka listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`msgbook brokers exited with ${code}`)));
  });
  return {
    address,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** CPU seconds over all rounds as seconds per 100,000 records. */
function perRecords(total: number): string {
  return ((total / ROUNDS) * (100_000 / N)).toFixed(2);
}

/** CPU seconds (user + system) and resident/peak memory in MB of a process, from /proc; null where there is none. */
function usage(pid: number): { cpu: number; rss: number; peak: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return {
      cpu: (Number(fields[11]) + Number(fields[12])) / 100,
      rss: kb('VmRSS') / 1024,
      peak: kb('VmHWM') / 1024,
    };
  } catch {
    return null;
  }
}

/** The pid of the Kafka that real-brokers/brokers.sh started, from its pid file ("pid start-time"), if any. */
function realKafkaPid(): number | null {
  const file = path.join(process.env.MSGBOOK_REAL_DIR ?? '/tmp/msgbook-real', 'kafka.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split(' ')[0]);
  return Number.isInteger(pid) && usage(pid) ? pid : null;
}

/** Runs the workload against `brokers`, adding the CPU seconds process `pid` spent meanwhile to `cpu.total`. */
async function measured(brokers: string, pid: number | null, cpu: { total: number }): Promise<Outcome> {
  const before = pid === null ? null : usage(pid);
  const outcome = await workload(brokers);
  const after = pid === null ? null : usage(pid);
  if (before && after) cpu.total += after.cpu - before.cpu;
  else cpu.total = NaN;
  return outcome;
}

export async function benchKafka(root: string): Promise<Row[]> {
  const real = process.env.MSGBOOK_REAL_KAFKA;
  const realPid = real ? realKafkaPid() : null;
  const embedded = await startBroker(root);
  const mine: Outcome[] = [];
  const theirs: Outcome[] = [];
  const cpu = { total: 0 };
  const realCpu = { total: 0 };
  let memory = 'memory: not measured (no /proc)';
  try {
    for (let round = 0; round < ROUNDS; round++) {
      if (real && round % 2 === 1) theirs.push(await measured(real, realPid, realCpu));
      mine.push(await measured(embedded.address, embedded.pid, cpu));
      if (real && round % 2 === 0) theirs.push(await measured(real, realPid, realCpu));
      console.error(
        `  kafka round ${round + 1}: embedded ${mine.at(-1)!.endToEndRate.toFixed(0)}/s` +
          (real ? `, Kafka ${theirs.at(-1)!.endToEndRate.toFixed(0)}/s` : ''),
      );
    }
    const afterRounds = usage(embedded.pid);
    if (afterRounds) {
      memory =
        `broker CPU ${perRecords(cpu.total)} s per 100,000 records; RSS ${afterRounds.rss.toFixed(0)} MB after ` +
        `the rounds, ${await overfill(embedded.address, embedded.pid)}, peak ${usage(embedded.pid)?.peak.toFixed(0)} MB`;
    }
    console.error(`  kafka ${memory}`);
  } finally {
    await embedded.stop();
  }
  const realCpuNote =
    realPid !== null ? `; broker CPU ${perRecords(realCpu.total)} s per 100,000 records` : '';
  const describe = (xs: Outcome[]) => {
    const lat = xs.flatMap((x) => x.latencies);
    const rates = (f: (x: Outcome) => number) => percentile(xs.map(f), 50).toFixed(0);
    return (
      `${rates((x) => x.endToEndRate)} records/s end to end (produce ${rates((x) => x.produceRate)}/s); ` +
      `latency p50 ${percentile(lat, 50).toFixed(0)} ms, p95 ${percentile(lat, 95).toFixed(0)} ms`
    );
  };
  return [
    {
      bench:
        `Kafka: ${N.toLocaleString('en')} × 200 B, batches of ${BATCH}, acks=-1, one consumer in its own thread ` +
        `(${ROUNDS} rounds)`,
      subject: `embedded: ${describe(mine)}; ${memory}`,
      anchor: real ? `Apache Kafka 4.1.1: ${describe(theirs)}${realCpuNote}` : 'MSGBOOK_REAL_KAFKA not set',
      ratio: real ? ratioSummary(mine.map((m, i) => m.endToEndRate / theirs[i]!.endToEndRate)) : '',
      target: '≥ 1.0 (throughput)',
    },
  ];
}
