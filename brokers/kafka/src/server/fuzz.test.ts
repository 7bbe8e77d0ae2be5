// A bounded fuzz of the wire: for a fixed time, random frames and mutated real kafkajs requests (flipped bytes,
// truncations, appended garbage, wrong versions) go to the broker on throwaway sockets. After each burst a
// well-behaved client must still be answered, no handler may throw (an `internal-error` event), and at the end
// kafkajs itself still works. The seed is printed so a failure can be replayed with MSGBOOK_FUZZ_SEED.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import type { EmbeddedBroker } from '@msgbook/broker-common';
import type { BrokerEvent } from '@msgbook/protocol';
import { kafkajsRecordBatch, kafkajsRequest } from '../../test/kafkajs-oracle';
import { RawClient } from '../../test/raw-client';
import { Writer } from '../protocol/primitives/writer';
import { startKafka } from '../index';

const DURATION_MS = Number(process.env.MSGBOOK_FUZZ_MS ?? 3000);

let broker: EmbeddedBroker;
const internalErrors: BrokerEvent[] = [];

beforeAll(async () => {
  broker = await startKafka({ profile: 'small' });
  broker.subscribe((e) => e.kind === 'internal-error' && internalErrors.push(e));
});

afterAll(() => broker.stop());

/** mulberry32: small, seedable, good enough to pick mutations. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function corpus(): Promise<{ key: number; version: number; body: Buffer }[]> {
  const topics = [
    { topic: 'f', partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1000, timestamp: -1 }] },
  ];
  const records = await kafkajsRecordBatch([{ key: 'k', value: 'v' }]);
  return [
    { key: 18, version: 2, body: Buffer.alloc(0) },
    {
      key: 3,
      version: 4,
      body: await kafkajsRequest('Metadata', 4, { topics: ['f'], allowAutoTopicCreation: true }),
    },
    {
      key: 19,
      version: 2,
      body: await kafkajsRequest('CreateTopics', 2, {
        topics: [{ topic: 'f', numPartitions: 2 }],
        timeout: 100,
      }),
    },
    {
      key: 0,
      version: 3,
      body: await kafkajsRequest('Produce', 3, {
        acks: -1,
        timeout: 100,
        topicData: [{ topic: 'f', partitions: [{ partition: 0, messages: [{ value: 'v' }] }] }],
      }),
    },
    {
      key: 1,
      version: 4,
      body: await kafkajsRequest('Fetch', 4, {
        replicaId: -1,
        maxWaitTime: 5,
        minBytes: 1,
        maxBytes: 1000,
        isolationLevel: 1,
        topics,
      }),
    },
    {
      key: 2,
      version: 2,
      body: await kafkajsRequest('ListOffsets', 2, { replicaId: -1, isolationLevel: 1, topics }),
    },
    {
      key: 11,
      version: 2,
      body: await kafkajsRequest('JoinGroup', 2, {
        groupId: 'g',
        sessionTimeout: 1000,
        rebalanceTimeout: 100,
        memberId: '',
        protocolType: 'consumer',
        groupProtocols: [{ name: 'rr', metadata: records }],
      }),
    },
    {
      key: 8,
      version: 2,
      body: await kafkajsRequest('OffsetCommit', 2, {
        groupId: 'g',
        groupGenerationId: -1,
        memberId: '',
        retentionTime: -1,
        topics: [{ topic: 'f', partitions: [{ partition: 0, offset: '1' }] }],
      }),
    },
    { key: 9, version: 3, body: await kafkajsRequest('OffsetFetch', 3, { groupId: 'g', topics: [] }) },
    {
      key: 22,
      version: 0,
      body: await kafkajsRequest('InitProducerId', 0, { transactionalId: 't', transactionTimeout: 1000 }),
    },
    { key: 15, version: 1, body: await kafkajsRequest('DescribeGroups', 1, { groupIds: ['g'] }) },
  ];
}

function mutate(next: () => number, body: Buffer): Buffer {
  const b = Buffer.from(body);
  switch (Math.floor(next() * 4)) {
    case 0:
      for (let i = 0, n = 1 + Math.floor(next() * 4); i < n && b.length > 0; i++)
        b[Math.floor(next() * b.length)] = Math.floor(next() * 256);
      return b;
    case 1:
      return b.subarray(0, Math.floor(next() * b.length));
    case 2:
      return Buffer.concat([
        b,
        Buffer.from(Array.from({ length: 1 + Math.floor(next() * 8) }, () => Math.floor(next() * 256))),
      ]);
    default:
      return Buffer.from(Array.from({ length: Math.floor(next() * 64) }, () => Math.floor(next() * 256)));
  }
}

it(
  `survives ${DURATION_MS} ms of random and mutated requests`,
  async () => {
    const seed = Number(process.env.MSGBOOK_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`fuzz seed ${seed}`);
    const next = rng(seed);
    const requests = await corpus();
    const port = broker.address.port;
    const end = Date.now() + DURATION_MS;
    let sent = 0;
    while (Date.now() < end) {
      const bad = await RawClient.open(port);
      for (let i = 0; i < 5; i++) {
        const r = requests[Math.floor(next() * requests.length)]!;
        const version = next() < 0.1 ? Math.floor(next() * 12) : r.version;
        const body = next() < 0.8 ? mutate(next, r.body) : r.body;
        if (next() < 0.05)
          bad.socket.write(
            mutate(next, new Writer().int16(r.key).int16(version).int32(i).string('fuzz').raw(body).frame()),
          );
        else bad.send(r.key, version, i, body, 'fuzz');
        sent++;
      }
      const good = await RawClient.open(port);
      good.send(18, 2, 99, Buffer.alloc(0));
      expect((await good.next())?.readInt32BE(0)).toBe(99);
      good.close();
      bad.close();
    }
    console.log(`fuzz sent ${sent} requests`);
    expect(sent).toBeGreaterThan(0);
    expect(internalErrors).toEqual([]);

    const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    expect(Array.isArray(await admin.listTopics())).toBe(true);
    await admin.disconnect();
  },
  DURATION_MS + 30_000,
);
