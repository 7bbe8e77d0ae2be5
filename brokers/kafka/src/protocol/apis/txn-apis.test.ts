// The transaction APIs' codecs against kafkajs 2.2.4's request modules (see apis.test.ts for the method).
import { describe, expect, it } from 'vitest';
import { kafkajsRequest, kafkajsResponse } from '../../../test/kafkajs-oracle';
import type { ApiCodec } from '../api';
import { Reader } from '../primitives/reader';
import { Writer } from '../primitives/writer';
import { InitProducerId } from './22-init-producer-id';
import { AddPartitionsToTxn } from './24-add-partitions-to-txn';
import { AddOffsetsToTxn } from './25-add-offsets-to-txn';
import { EndTxn } from './26-end-txn';
import { TxnOffsetCommit } from './28-txn-offset-commit';

async function decoded<Req>(api: ApiCodec<Req, unknown>, name: string, args: unknown): Promise<Req> {
  const r = new Reader(await kafkajsRequest(name, api.maxVersion, args));
  const req = api.decodeRequest(r, api.maxVersion);
  r.end();
  return req;
}

function encoded<Res>(api: ApiCodec<unknown, Res>, res: Res): Buffer {
  const w = new Writer();
  api.encodeResponse(w, res, api.maxVersion);
  return Buffer.from(w.toBuffer());
}

describe('transaction APIs', () => {
  it('InitProducerId v0', async () => {
    expect(
      await decoded(InitProducerId, 'InitProducerId', { transactionalId: 'tx', transactionTimeout: 60000 }),
    ).toEqual({
      transactionalId: 'tx',
      transactionTimeoutMs: 60000,
    });
    expect(await decoded(InitProducerId, 'InitProducerId', { transactionTimeout: 5000 })).toEqual({
      transactionalId: null,
      transactionTimeoutMs: 5000,
    });
    const body = encoded(InitProducerId, { errorCode: 0, producerId: 42n, producerEpoch: 3 });
    expect(await kafkajsResponse('InitProducerId', 0, body)).toMatchObject({
      producerId: '42',
      producerEpoch: 3,
    });
  });

  it('AddPartitionsToTxn v0 and AddOffsetsToTxn v0', async () => {
    expect(
      await decoded(AddPartitionsToTxn, 'AddPartitionsToTxn', {
        transactionalId: 'tx',
        producerId: '42',
        producerEpoch: 3,
        topics: [{ topic: 't', partitions: [0, 2] }],
      }),
    ).toEqual({
      transactionalId: 'tx',
      producerId: 42n,
      producerEpoch: 3,
      topics: [{ name: 't', partitions: [0, 2] }],
    });
    const body = encoded(AddPartitionsToTxn, {
      topics: [{ name: 't', partitions: [{ partition: 0, errorCode: 0 }] }],
    });
    expect(await kafkajsResponse('AddPartitionsToTxn', 0, body)).toMatchObject({
      errors: [{ topic: 't', partitionErrors: [{ partition: 0, errorCode: 0 }] }],
    });
    expect(
      await decoded(AddOffsetsToTxn, 'AddOffsetsToTxn', {
        transactionalId: 'tx',
        producerId: '42',
        producerEpoch: 3,
        groupId: 'g',
      }),
    ).toEqual({ transactionalId: 'tx', producerId: 42n, producerEpoch: 3, groupId: 'g' });
    expect(
      await kafkajsResponse('AddOffsetsToTxn', 0, encoded(AddOffsetsToTxn, { errorCode: 0 })),
    ).toMatchObject({ errorCode: 0 });
  });

  it('TxnOffsetCommit v0 and EndTxn v0', async () => {
    expect(
      await decoded(TxnOffsetCommit, 'TxnOffsetCommit', {
        transactionalId: 'tx',
        groupId: 'g',
        producerId: '42',
        producerEpoch: 3,
        topics: [{ topic: 't', partitions: [{ partition: 1, offset: '9' }] }],
      }),
    ).toEqual({
      transactionalId: 'tx',
      groupId: 'g',
      producerId: 42n,
      producerEpoch: 3,
      topics: [{ name: 't', partitions: [{ partition: 1, offset: 9n, metadata: null }] }],
    });
    const body = encoded(TxnOffsetCommit, {
      topics: [{ name: 't', partitions: [{ partition: 1, errorCode: 0 }] }],
    });
    expect(await kafkajsResponse('TxnOffsetCommit', 0, body)).toMatchObject({
      topics: [{ topic: 't', partitions: [{ partition: 1, errorCode: 0 }] }],
    });
    expect(
      await decoded(EndTxn, 'EndTxn', {
        transactionalId: 'tx',
        producerId: '42',
        producerEpoch: 3,
        transactionResult: true,
      }),
    ).toEqual({
      transactionalId: 'tx',
      producerId: 42n,
      producerEpoch: 3,
      commit: true,
    });
    expect(await kafkajsResponse('EndTxn', 0, encoded(EndTxn, { errorCode: 0 }))).toMatchObject({
      errorCode: 0,
    });
  });
});
