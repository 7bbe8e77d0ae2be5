// Producing and the admin client: topics are created, listed and deleted; acks=-1 sends get consecutive offsets per
// partition; keys land where kafkajs's murmur2 partitioner puts them; fetchTopicOffsets follows the high watermark;
// errors carry Kafka's codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Partitioners, type Admin } from 'kafkajs';
import {
  clients,
  errorType,
  target,
  unexpected,
  unique,
  type Target,
  checkLogsAfterEach,
  provoke,
} from './target';

checkLogsAfterEach();

let t: Target;
let admin: Admin;
let problems: ReturnType<typeof clients>['problems'];

beforeAll(async () => {
  t = await target();
  const c = clients(t);
  problems = c.problems;
  admin = c.kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
  await t?.stop();
});

describe('admin topics', () => {
  it('creates, lists and deletes a topic', async () => {
    provoke('CreateTopics');
    const topic = unique('admin');
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true })).toBe(
      true,
    );
    expect(await admin.listTopics()).toContain(topic);
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0]!.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    expect(await admin.createTopics({ topics: [{ topic }] })).toBe(false);
    await admin.deleteTopics({ topics: [topic] });
    await expect.poll(async () => (await admin.listTopics()).includes(topic)).toBe(false);
    expect(unexpected(problems, 'CreateTopics')).toEqual([]);
  });

  it('refuses a replication factor above the number of brokers', async () => {
    provoke('CreateTopics');
    const topic = unique('replicated');
    const err = await admin
      .createTopics({ topics: [{ topic, replicationFactor: 3 }] })
      .catch((e: unknown) => e);
    expect(errorType(err)).toBe('INVALID_REPLICATION_FACTOR');
  });

  it('refuses an illegal topic name', async () => {
    provoke('CreateTopics');
    const err = await admin.createTopics({ topics: [{ topic: 'bad name!' }] }).catch((e: unknown) => e);
    expect(errorType(err)).toBe('INVALID_TOPIC_EXCEPTION');
  });

  it('adds partitions to a topic and refuses to shrink it', async () => {
    provoke('CreatePartitions');
    const topic = unique('grow');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] });
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0]!.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    const shrink = await admin
      .createPartitions({ topicPartitions: [{ topic, count: 2 }] })
      .catch((e: unknown) => e);
    expect(errorType(shrink)).toBe('INVALID_PARTITIONS');
  });

  it('deleting an unknown topic fails with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    provoke('DeleteTopics', 'Could not delete topics');
    const c = clients(t, { retry: { retries: 1, initialRetryTime: 50 } });
    const quick = c.kafka.admin();
    await quick.connect();
    try {
      const err = await quick
        .deleteTopics({ topics: [unique('missing')], timeout: 2000 })
        .catch((e: unknown) => e);
      expect(errorType(err)).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    } finally {
      await quick.disconnect();
    }
  });
});

describe('producing', () => {
  it('gives consecutive offsets per partition and moves the high watermark', async () => {
    const topic = unique('produce');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const c = clients(t);
    const producer = c.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      const first = await producer.send({
        topic,
        acks: -1,
        messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }],
      });
      const second = await producer.send({ topic, acks: -1, messages: [{ value: 'd' }] });
      expect(first[0]).toMatchObject({ partition: 0, errorCode: 0, baseOffset: '0' });
      expect(second[0]).toMatchObject({ partition: 0, errorCode: 0, baseOffset: '3' });
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets).toEqual([{ partition: 0, offset: '4', high: '4', low: '0' }]);
    } finally {
      await producer.disconnect();
    }
    expect(c.problems).toEqual([]);
  });

  it('sends each key to the partition the client computes', async () => {
    const topic = unique('keys');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const c = clients(t);
    const producer = c.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      const keys = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
      for (const key of keys) {
        const [meta] = await producer.send({ topic, acks: -1, messages: [{ key, value: key }] });
        const expected = Partitioners.DefaultPartitioner()({
          topic,
          partitionMetadata: [0, 1, 2].map((p) => ({
            partitionId: p,
            leader: 1,
            partitionErrorCode: 0,
            replicas: [1],
            isr: [1],
          })),
          message: { key, value: key },
        });
        expect(meta!.partition).toBe(expected);
      }
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(keys.length);
    } finally {
      await producer.disconnect();
    }
  });

  it('fails a send to an unknown topic once metadata retries give up', async () => {
    provoke('Metadata');
    const c = clients(t, { retry: { retries: 1, initialRetryTime: 50 } });
    const producer = c.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: true,
    });
    await producer.connect();
    try {
      const err = await producer
        .send({ topic: unique('nowhere'), messages: [{ value: 'x' }] })
        .catch((e: unknown) => e);
      expect(errorType(err)).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    } finally {
      await producer.disconnect();
    }
  });
});
