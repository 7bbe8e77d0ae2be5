// The introspection surface against real kafkajs traffic: the snapshot validates against the shared zod schema and
// shows topics with offsets, a group with its member, decoded assignment, committed offset and lag, and a
// transaction; the change stream reports what happened, in order.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AssignerProtocol, Kafka, logLevel, Partitioners } from 'kafkajs';
import type { EmbeddedBroker } from '@msgbook/broker-common';
import { KafkaSnapshot, type BrokerEvent } from '@msgbook/protocol';
import { decodeAssignment } from './inspect';
import { startKafka } from './index';

let broker: EmbeddedBroker;
const events: BrokerEvent[] = [];

beforeAll(async () => {
  broker = await startKafka();
  broker.subscribe((e) => events.push(e));
});

afterAll(() => broker.stop());

it('decodes a consumer-protocol assignment as kafkajs encodes it', () => {
  const buf = AssignerProtocol.MemberAssignment.encode({
    version: 1,
    assignment: { a: [0, 2], b: [1] },
    userData: Buffer.alloc(0),
  });
  expect(decodeAssignment(buf)).toEqual({ a: [0, 2], b: [1] });
  expect(decodeAssignment(Buffer.from([1]))).toEqual({});
});

it('shows topics, groups, lag and transactions, and streams the changes', async () => {
  const kafka = new Kafka({
    brokers: [`${broker.address.host}:${broker.address.port}`],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }] });
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    transactionalId: 'tx',
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const txn = await producer.transaction();
  await txn.send({
    topic: 'orders',
    messages: [
      { value: 'a', partition: 0 },
      { value: 'b', partition: 0 },
    ],
  });

  const open = KafkaSnapshot.parse(broker.snapshot());
  expect(open.transactions).toEqual([
    {
      transactionalId: 'tx',
      producerId: expect.any(String),
      epoch: 0,
      state: 'Ongoing',
      partitions: [{ topic: 'orders', partition: 0 }],
      groups: [],
      timeoutMs: 60000,
    },
  ]);
  expect(open.topics[0]!.partitions[0]).toMatchObject({ highWatermark: '2', lastStableOffset: '0' });
  await txn.commit();
  await producer.disconnect();

  await admin.setOffsets({
    groupId: 'billing',
    topic: 'orders',
    partitions: [
      { partition: 0, offset: '1' },
      { partition: 1, offset: '0' },
    ],
  });
  const snap = KafkaSnapshot.parse(broker.snapshot());
  expect(snap.topics).toEqual([
    {
      name: 'orders',
      configs: {},
      partitions: [
        {
          partition: 0,
          logStartOffset: '0',
          highWatermark: '3',
          lastStableOffset: '3',
          bytes: expect.any(Number),
        },
        { partition: 1, logStartOffset: '0', highWatermark: '0', lastStableOffset: '0', bytes: 0 },
      ],
    },
  ]);
  expect(snap.groups).toEqual([
    expect.objectContaining({
      groupId: 'billing',
      state: 'Empty',
      members: [],
      offsets: [
        { topic: 'orders', partition: 0, committed: '1', lag: 2 },
        { topic: 'orders', partition: 1, committed: '0', lag: 0 },
      ],
    }),
  ]);
  expect(snap.transactions[0]).toMatchObject({ state: 'CompleteCommit', partitions: [] });
  await admin.disconnect();

  const kinds = events.map((e) => e.kind);
  for (const k of [
    'topic-created',
    'producer-initialized',
    'transaction-started',
    'transaction-committed',
    'group-stable',
    'offset-committed',
    'group-emptied',
  ]) {
    expect(kinds).toContain(k);
  }
  expect(kinds.indexOf('transaction-started')).toBeLessThan(kinds.indexOf('transaction-committed'));
  expect(events.every((e) => e.broker === 'kafka')).toBe(true);
});
