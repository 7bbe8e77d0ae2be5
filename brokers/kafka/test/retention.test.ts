// Retention by bytes seen through kafkajs (embedded only: a real Kafka deletes whole segments on a 5-minute check, so
// the same scenario cannot run there in test time): the log start moves past dropped batches, fetchTopicOffsets
// reports it as `low`, and a consumer starting from the beginning starts there.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { EmbeddedBroker } from '@msgbook/broker-common';
import { startKafka } from '../src/index';

let broker: EmbeddedBroker;

beforeAll(async () => {
  broker = await startKafka({ profile: 'small' });
});

afterAll(() => broker.stop());

it('moves the log start as retention.bytes drops old batches', async () => {
  const kafka = new Kafka({ brokers: [`127.0.0.1:${broker.address.port}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await Promise.all([admin.connect(), producer.connect()]);
  await admin.createTopics({
    topics: [{ topic: 'r', configEntries: [{ name: 'retention.bytes', value: '3000' }] }],
  });
  for (let i = 0; i < 10; i++)
    await producer.send({ topic: 'r', acks: -1, messages: [{ value: `${i}`.padEnd(1000, '.') }] });
  const [offsets] = await admin.fetchTopicOffsets('r');
  expect(offsets!.high).toBe('10');
  const low = Number(offsets!.low);
  expect(low).toBeGreaterThan(0);
  expect(low).toBeLessThan(10);

  const consumer = kafka.consumer({ groupId: 'g', maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'r', fromBeginning: true });
  const first = new Promise<string>((resolve) => {
    void consumer.run({ eachMessage: async ({ message }) => resolve(message.offset) });
  });
  expect(await first).toBe(String(low));
  await consumer.disconnect();
  await Promise.all([admin.disconnect(), producer.disconnect()]);
});
