// Idempotent and transactional producing with kafkajs: offsets of an idempotent producer; gzip batches; committed
// and aborted transactions as read_committed and read_uncommitted consumers see them; exactly-once
// consume-transform-produce with sendOffsets; a second producer with the same transactional id fencing the first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressionTypes, Partitioners, type Admin, type Kafka, type Producer } from 'kafkajs';
import { Collector, startConsumer } from './consumers';
import { divergences, tolerated } from './divergences';
import {
  clients,
  errorType,
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
let admin: Admin;
let problems: LoggedProblem[];

beforeAll(async () => {
  t = await target();
  ({ kafka, problems } = clients(t));
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
  await t?.stop();
});

async function newTopic(partitions = 1): Promise<string> {
  const topic = unique('txn');
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  return topic;
}

function transactional(id = unique('tx'), transactionTimeout?: number): Producer {
  return kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    transactionalId: id,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout,
  });
}

describe('idempotent producer', () => {
  it('appends each batch once, at consecutive offsets, gzip batches included', async () => {
    const topic = await newTopic();
    const producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      const a = await producer.send({ topic, acks: -1, messages: [{ value: 'a' }, { value: 'b' }] });
      const b = await producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.GZIP,
        messages: [{ value: 'c', headers: { h: 'x' } }, { value: 'd' }],
      });
      expect([a[0]!.baseOffset, b[0]!.baseOffset]).toEqual(['0', '2']);
    } finally {
      await producer.disconnect();
    }
    const collector = new Collector();
    const consumer = await startConsumer(kafka, unique('g'), topic, collector);
    expect((await collector.count(4)).map((m) => [m.offset, m.value])).toEqual([
      ['0', 'a'],
      ['1', 'b'],
      ['2', 'c'],
      ['3', 'd'],
    ]);
    await consumer.disconnect();
    expect(unexpected(problems, ...REBALANCING)).toEqual([]);
  });
});

describe('transactions', () => {
  it('hide aborted records from read_committed consumers and show them to read_uncommitted ones', async () => {
    provoke(...tolerated(t.kind, divergences.concurrentTransactions));
    const topic = await newTopic();
    const producer = transactional();
    await producer.connect();
    try {
      for (const [values, commit] of [
        [['a', 'b'], true],
        [['x'], false],
        [['c'], true],
      ] as const) {
        const txn = await producer.transaction();
        await txn.send({ topic, messages: values.map((value) => ({ value })) });
        await (commit ? txn.commit() : txn.abort());
      }
    } finally {
      await producer.disconnect();
    }
    // Three data batches and three markers: the markers take offsets too. Kafka's coordinator answers EndTxn
    // once the outcome is in its log and writes the markers to the partition after, so wait for them.
    await expect
      .poll(async () => (await admin.fetchTopicOffsets(topic))[0], { timeout: 10_000, interval: 50 })
      .toMatchObject({ high: '7', low: '0' });

    const committed = new Collector();
    const c1 = await startConsumer(kafka, unique('g'), topic, committed);
    const uncommitted = new Collector();
    const c2 = await startConsumer(kafka, unique('g'), topic, uncommitted, { readUncommitted: true });
    expect((await committed.count(3)).map((m) => m.value)).toEqual(['a', 'b', 'c']);
    expect((await uncommitted.count(4)).map((m) => m.value)).toEqual(['a', 'b', 'x', 'c']);
    await Promise.all([c1.disconnect(), c2.disconnect()]);
    expect(
      unexpected(problems, ...REBALANCING, ...tolerated(t.kind, divergences.concurrentTransactions)),
    ).toEqual([]);
  });

  it('keeps an open transaction from read_committed consumers until it commits', async () => {
    const topic = await newTopic();
    const producer = transactional();
    await producer.connect();
    try {
      const txn = await producer.transaction();
      await txn.send({ topic, messages: [{ value: 'pending' }] });
      // The last stable offset stays at the open transaction's first record; the high watermark moves on.
      const committed = await admin.fetchTopicOffsets(topic);
      expect(committed[0]).toMatchObject({ offset: '0', high: '0' });
      const collector = new Collector();
      const consumer = await startConsumer(kafka, unique('g'), topic, collector);
      await txn.commit();
      expect((await collector.count(1)).map((m) => m.value)).toEqual(['pending']);
      await consumer.disconnect();
    } finally {
      await producer.disconnect();
    }
  });

  it('commits consumed offsets with the produced records, exactly once (sendOffsets)', async () => {
    provoke('Error when calling eachMessage', ...tolerated(t.kind, divergences.concurrentTransactions));
    const input = await newTopic();
    const output = await newTopic();
    const groupId = unique('eos');
    const seed = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await seed.connect();
    await seed.send({ topic: input, acks: -1, messages: ['1', '2', '3'].map((value) => ({ value })) });
    await seed.disconnect();

    const producer = transactional();
    await producer.connect();
    const transformed = new Collector();
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: 3000,
      rebalanceTimeout: 3000,
      heartbeatInterval: 200,
      maxWaitTimeInMs: 200,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: input, fromBeginning: true });
    let abortNext = true;
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const txn = await producer.transaction();
        await txn.send({ topic: output, messages: [{ value: `x${message.value}` }] });
        await txn.sendOffsets({
          consumerGroupId: groupId,
          topics: [{ topic, partitions: [{ partition, offset: String(Number(message.offset) + 1) }] }],
        });
        // The first attempt aborts: neither its record nor its offset may count.
        if (abortNext) {
          abortNext = false;
          await txn.abort();
          throw new Error('aborted on purpose');
        }
        await txn.commit();
      },
    });
    const reader = await startConsumer(kafka, unique('g'), output, transformed);
    expect((await transformed.count(3)).map((m) => m.value)).toEqual(['x1', 'x2', 'x3']);
    await consumer.disconnect();
    await reader.disconnect();
    await producer.disconnect();
    expect(await admin.fetchOffsets({ groupId, topics: [input] })).toEqual([
      { topic: input, partitions: [{ partition: 0, offset: '3', metadata: null }] },
    ]);
  });

  it('fences the older producer when another one starts with the same transactional id', async () => {
    provoke('EndTxn', ...tolerated(t.kind, divergences.concurrentTransactions));
    const topic = await newTopic();
    const id = unique('tx');
    const first = transactional(id);
    await first.connect();
    const txn = await first.transaction();
    await txn.send({ topic, messages: [{ value: 'zombie' }] });
    const second = transactional(id);
    await second.connect();
    try {
      // kafkajs sends InitProducerId when the first transaction begins, not on connect.
      const next = await second.transaction();
      const err = await txn.commit().catch((e: unknown) => e);
      expect(errorType(err)).toBe('INVALID_PRODUCER_EPOCH');
      await next.send({ topic, messages: [{ value: 'fresh' }] });
      await next.commit();
    } finally {
      await first.disconnect();
      await second.disconnect();
    }
    const collector = new Collector();
    const consumer = await startConsumer(kafka, unique('g'), topic, collector);
    expect((await collector.count(1)).map((m) => m.value)).toEqual(['fresh']);
    await consumer.disconnect();
  });

  it('aborts a transaction left open past its timeout and fences its producer', async () => {
    provoke('EndTxn');
    const topic = await newTopic();
    const stale = transactional(unique('tx'), 1000);
    const other = transactional();
    await Promise.all([stale.connect(), other.connect()]);
    const collector = new Collector();
    const consumer = await startConsumer(kafka, unique('g'), topic, collector);
    try {
      const txn = await stale.transaction();
      await txn.send({ topic, messages: [{ value: 'abandoned' }] });
      const next = await other.transaction();
      await next.send({ topic, messages: [{ value: 'after' }] });
      await next.commit();
      // 'after' waits behind the open transaction until the coordinator aborts it: Kafka looks for expired
      // transactions every 10 s (transaction.abort.timed.out.transaction.cleanup.interval.ms), the embedded broker
      // aborts at the timeout itself. The abort bumps the epoch, so the abandoned producer is fenced.
      expect((await collector.count(1)).map((m) => m.value)).toEqual(['after']);
      const err = await txn.commit().catch((e: unknown) => e);
      expect(errorType(err)).toBe('INVALID_PRODUCER_EPOCH');
      const [offsets] = await admin.fetchTopicOffsets(topic);
      // The abandoned record, the committed one, and a marker for each transaction.
      expect(offsets).toMatchObject({ high: '4', low: '0' });
    } finally {
      await consumer.disconnect();
      await Promise.all([stale.disconnect(), other.disconnect()]);
    }
    expect(collector.messages.map((m) => m.value)).toEqual(['after']);
  }, 60_000);
});
