// Every codec against kafkajs 2.2.4's own request modules: kafkajs's request bytes decode to the fields it was given,
// and our response bytes decode in kafkajs to what we encoded. Versions are the advertised ones, which kafkajs picks.
import { describe, expect, it } from 'vitest';
import { kafkajsDecode, kafkajsRequest, kafkajsResponse } from '../../../test/kafkajs-oracle';
import type { ApiCodec } from '../api';
import { Reader } from '../primitives/reader';
import { Writer } from '../primitives/writer';
import { Produce } from './00-produce';
import { Fetch } from './01-fetch';
import { ListOffsets } from './02-list-offsets';
import { Metadata } from './03-metadata';
import { ApiVersions } from './18-api-versions';
import { CreateTopics } from './19-create-topics';
import { DeleteTopics } from './20-delete-topics';
import { CreatePartitions } from './37-create-partitions';

async function decoded<Req>(
  api: ApiCodec<Req, unknown>,
  name: string,
  args: Record<string, unknown>,
): Promise<Req> {
  const r = new Reader(await kafkajsRequest(name, api.maxVersion, args));
  const req = api.decodeRequest(r, api.maxVersion);
  r.end();
  return req;
}

function encoded<Res>(api: ApiCodec<unknown, Res>, res: Res, version = api.maxVersion): Buffer {
  const w = new Writer();
  api.encodeResponse(w, res, version);
  return Buffer.from(w.toBuffer());
}

describe('ApiVersions', () => {
  it.each([0, 1, 2])('v%i response decodes in kafkajs', async (v) => {
    const body = encoded(
      ApiVersions,
      { errorCode: 0, apis: [{ key: 3, min: 4, max: 4 }], throttleTimeMs: 0 },
      v,
    );
    const res = await kafkajsResponse('ApiVersions', v, body);
    expect(res).toMatchObject({ errorCode: 0, apiVersions: [{ apiKey: 3, minVersion: 4, maxVersion: 4 }] });
  });
});

describe('Metadata v4', () => {
  it('decodes null topics (kafkajs sends null for []) and named topics', async () => {
    expect(await decoded(Metadata, 'Metadata', { topics: [], allowAutoTopicCreation: true })).toEqual({
      topics: null,
      allowAutoTopicCreation: true,
    });
    expect(
      await decoded(Metadata, 'Metadata', { topics: ['a', 'b'], allowAutoTopicCreation: false }),
    ).toEqual({
      topics: ['a', 'b'],
      allowAutoTopicCreation: false,
    });
  });

  it('response decodes in kafkajs', async () => {
    const body = encoded(Metadata, {
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
      clusterId: 'c',
      controllerId: 1,
      topics: [
        {
          errorCode: 0,
          name: 't',
          internal: false,
          partitions: [{ errorCode: 0, partition: 0, leader: 1, replicas: [1], isr: [1] }],
        },
      ],
    });
    expect(await kafkajsResponse('Metadata', 4, body)).toMatchObject({
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
      clusterId: 'c',
      controllerId: 1,
      topicMetadata: [
        {
          topicErrorCode: 0,
          topic: 't',
          isInternal: false,
          partitionMetadata: [{ partitionErrorCode: 0, partitionId: 0, leader: 1, replicas: [1], isr: [1] }],
        },
      ],
    });
  });
});

describe('CreateTopics v2 and DeleteTopics v1', () => {
  it('decode what kafkajs sends for omitted counts and configs', async () => {
    const req = await decoded(CreateTopics, 'CreateTopics', {
      topics: [{ topic: 't', configEntries: [{ name: 'retention.bytes', value: '1000' }] }],
      timeout: 5000,
      validateOnly: false,
    });
    expect(req).toEqual({
      topics: [
        {
          name: 't',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [],
          configs: [{ name: 'retention.bytes', value: '1000' }],
        },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(await decoded(DeleteTopics, 'DeleteTopics', { topics: ['a'], timeout: 100 })).toEqual({
      names: ['a'],
      timeoutMs: 100,
    });
  });

  it('responses decode in kafkajs', async () => {
    expect(
      await kafkajsDecode(
        'CreateTopics',
        2,
        encoded(CreateTopics, { topics: [{ name: 't', errorCode: 36, errorMessage: 'exists' }] }),
      ),
    ).toMatchObject({
      topicErrors: [{ topic: 't', errorCode: 36, errorMessage: 'exists' }],
    });
    expect(
      await kafkajsResponse(
        'DeleteTopics',
        1,
        encoded(DeleteTopics, { topics: [{ name: 't', errorCode: 0 }] }),
      ),
    ).toMatchObject({
      topicErrors: [{ topic: 't', errorCode: 0 }],
    });
  });
});

describe('CreatePartitions v0', () => {
  it('decodes a kafkajs request (no assignments go out as null) and its response decodes in kafkajs', async () => {
    expect(
      await decoded(CreatePartitions, 'CreatePartitions', {
        topicPartitions: [{ topic: 't', count: 3 }],
        timeout: 100,
      }),
    ).toEqual({
      topics: [{ name: 't', count: 3, assignments: null }],
      timeoutMs: 100,
      validateOnly: false,
    });
    const body = encoded(CreatePartitions, { topics: [{ name: 't', errorCode: 0, errorMessage: null }] });
    expect(await kafkajsResponse('CreatePartitions', 0, body)).toMatchObject({
      topicErrors: [{ topic: 't', errorCode: 0 }],
    });
  });
});

describe('Produce v3', () => {
  it('decodes a kafkajs produce request', async () => {
    const req = await decoded(Produce, 'Produce', {
      acks: -1,
      timeout: 30000,
      topicData: [{ topic: 't', partitions: [{ partition: 2, messages: [{ key: 'k', value: 'v' }] }] }],
    });
    expect(req).toMatchObject({
      transactionalId: null,
      acks: -1,
      timeoutMs: 30000,
      topics: [{ name: 't', partitions: [{ partition: 2 }] }],
    });
    expect(req.topics[0]!.partitions[0]!.records!.readInt8(16)).toBe(2);
  });

  it('response decodes in kafkajs', async () => {
    const body = encoded(Produce, {
      topics: [
        { name: 't', partitions: [{ partition: 2, errorCode: 0, baseOffset: 41n, logAppendTime: -1n }] },
      ],
    });
    expect(await kafkajsResponse('Produce', 3, body)).toMatchObject({
      topics: [
        {
          topicName: 't',
          partitions: [{ partition: 2, errorCode: 0, baseOffset: '41', logAppendTime: '-1' }],
        },
      ],
    });
  });
});

describe('Fetch v4 and ListOffsets v2', () => {
  it('decode kafkajs requests', async () => {
    const fetch = await decoded(Fetch, 'Fetch', {
      replicaId: -1,
      maxWaitTime: 500,
      minBytes: 1,
      maxBytes: 1000,
      isolationLevel: 1,
      topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: '7', maxBytes: 100 }] }],
    });
    expect(fetch).toEqual({
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 1000,
      isolationLevel: 1,
      topics: [{ name: 't', partitions: [{ partition: 0, fetchOffset: 7n, partitionMaxBytes: 100 }] }],
    });
    const list = await decoded(ListOffsets, 'ListOffsets', {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ topic: 't', partitions: [{ partition: 0, timestamp: -2 }] }],
    });
    expect(list).toEqual({
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: 't', partitions: [{ partition: 0, timestamp: -2n }] }],
    });
  });

  it('responses decode in kafkajs', async () => {
    const fetch = encoded(Fetch, {
      topics: [
        {
          name: 't',
          partitions: [
            {
              partition: 0,
              errorCode: 0,
              highWatermark: 5n,
              lastStableOffset: 3n,
              abortedTransactions: [{ producerId: 9n, firstOffset: 1n }],
              records: [],
            },
          ],
        },
      ],
    });
    expect(await kafkajsResponse('Fetch', 4, fetch)).toMatchObject({
      responses: [
        {
          topicName: 't',
          partitions: [
            {
              partition: 0,
              errorCode: 0,
              highWatermark: '5',
              lastStableOffset: '3',
              abortedTransactions: [{ producerId: '9', firstOffset: '1' }],
              messages: [],
            },
          ],
        },
      ],
    });
    const list = encoded(ListOffsets, {
      topics: [{ name: 't', partitions: [{ partition: 0, errorCode: 0, timestamp: -1n, offset: 12n }] }],
    });
    expect(await kafkajsResponse('ListOffsets', 2, list)).toMatchObject({
      responses: [
        { topic: 't', partitions: [{ partition: 0, errorCode: 0, timestamp: '-1', offset: '12' }] },
      ],
    });
  });
});
