// Where a consumer starts and restarts: seek to replay, a committed offset beyond the log (OFFSET_OUT_OF_RANGE, so
// kafkajs falls back to its fromBeginning default), and offsets by timestamp, to the record inside a batch, gzip too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressionTypes, Partitioners, type Admin, type Kafka, type Producer } from 'kafkajs';
import { Collector, startConsumer } from './consumers';
import {
  clients,
  REBALANCING,
  target,
  unexpected,
  unique,
  type LoggedProblem,
  type Target,
  checkLogsAfterEach,
  provoke,
} from './target';

checkLogsAfterEach();

let t: Target;
let kafka: Kafka;
let problems: LoggedProblem[];
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  t = await target();
  ({ kafka, problems } = clients(t));
  admin = kafka.admin();
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await Promise.all([admin.connect(), producer.connect()]);
});

afterAll(async () => {
  await Promise.all([admin?.disconnect(), producer?.disconnect()]);
  await t?.stop();
});

async function topicWith(values: string[], timestamps?: number[]): Promise<string> {
  const topic = unique('offsets');
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  for (const [i, value] of values.entries()) {
    await producer.send({
      topic,
      acks: -1,
      messages: [{ value, timestamp: timestamps ? String(timestamps[i]) : undefined }],
    });
  }
  return topic;
}

describe('consumer positions', () => {
  it('replays a partition after seek', async () => {
    const topic = await topicWith(['a', 'b', 'c']);
    const collector = new Collector();
    const consumer = await startConsumer(kafka, unique('g'), topic, collector);
    await collector.count(3);
    consumer.seek({ topic, partition: 0, offset: '1' });
    expect((await collector.count(5)).map((m) => m.value)).toEqual(['a', 'b', 'c', 'b', 'c']);
    await consumer.disconnect();
    expect(unexpected(problems, ...REBALANCING)).toEqual([]);
  });

  it('starts from the beginning when the committed offset is past the end of the log', async () => {
    provoke('Fetch', 'Offset out of range');
    const topic = await topicWith(['a', 'b']);
    const groupId = unique('g');
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '10' }] });
    const collector = new Collector();
    const consumer = await startConsumer(kafka, groupId, topic, collector, { fromBeginning: true });
    expect((await collector.count(2)).map((m) => [m.offset, m.value])).toEqual([
      ['0', 'a'],
      ['1', 'b'],
    ]);
    await consumer.disconnect();
  });

  it('finds offsets by timestamp, and the end of the log past the last one', async () => {
    const base = Date.now() - 60_000;
    const topic = await topicWith(['a', 'b', 'c'], [base, base + 1000, base + 2000]);
    expect(await admin.fetchTopicOffsetsByTimestamp(topic, base + 500)).toEqual([
      { partition: 0, offset: '1' },
    ]);
    expect(await admin.fetchTopicOffsetsByTimestamp(topic, base)).toEqual([{ partition: 0, offset: '0' }]);
    expect(await admin.fetchTopicOffsetsByTimestamp(topic, base + 10_000)).toEqual([
      { partition: 0, offset: '3' },
    ]);
  });

  it('finds the record inside a batch by timestamp, in gzip batches too', async () => {
    const base = Date.now() - 60_000;
    const topic = unique('offsets');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const batch = (from: number) =>
      [0, 1, 2].map((i) => ({ value: `v${from + i}`, timestamp: String(base + (from + i) * 1000) }));
    await producer.send({ topic, acks: -1, messages: batch(0) });
    await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages: batch(3) });
    const at = async (ts: number) => (await admin.fetchTopicOffsetsByTimestamp(topic, ts))[0]!.offset;
    expect(await at(base + 500)).toBe('1');
    expect(await at(base + 2000)).toBe('2');
    expect(await at(base + 3500)).toBe('4');
    // No record reaches it: Kafka answers -1, which kafkajs turns into the high watermark.
    expect(await at(base + 60_000)).toBe('6');
  });
});
