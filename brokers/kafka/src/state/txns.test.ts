// The transaction coordinator on a virtual clock: markers that kafkajs decodes as control records, the LSO held by
// an open transaction, the aborted index for read_committed, staged offsets applied only on commit, and the
// transaction timeout aborting and fencing a producer that went away.
import { describe, expect, it } from 'vitest';
import { EventHub, VirtualClock } from '@msgbook/broker-common';
import { kafkajsReadBatch, kafkajsRecordBatch } from '../../test/kafkajs-oracle';
import { ErrorCode } from '../protocol/errors';
import { readBatchHeader, type BatchHeader } from '../protocol/record-batch';
import { Cluster } from './cluster';

function setup() {
  const clock = new VirtualClock();
  const c = new Cluster({
    clock,
    events: new EventHub(),
    retentionBytes: 1 << 20,
    autoCreateTopics: false,
    defaultPartitions: 1,
  });
  c.createTopic('t', 1);
  return { clock, c, log: c.partition('t', 0)! };
}

async function txnBatch(
  producerId: bigint,
  producerEpoch: number,
  firstSequence: number,
  n = 1,
): Promise<[Buffer, BatchHeader]> {
  const raw = await kafkajsRecordBatch(
    Array.from({ length: n }, (_, i) => ({ value: `v${i}` })),
    { producerId, producerEpoch, firstSequence, transactional: true },
  );
  return [raw, readBatchHeader(raw) as BatchHeader];
}

describe('transactions', () => {
  it('hold the LSO while open and write a marker kafkajs reads as a control record', async () => {
    const { c, log } = setup();
    const { producerId, producerEpoch } = c.txns.initProducerId('tx', 60_000);
    expect(
      c.txns.addPartitions('tx', producerId, producerEpoch, [{ name: 't', partitions: [0] }])[0]!
        .partitions[0]!.errorCode,
    ).toBe(0);
    expect(
      c.producers.append(log, ...(await txnBatch(producerId, producerEpoch, 0, 2)), 'tx').errorCode,
    ).toBe(0);
    expect([log.lastStableOffset, log.highWatermark]).toEqual([0n, 2n]);
    expect(c.txns.endTxn('tx', producerId, producerEpoch, true)).toBe(ErrorCode.NONE);
    expect([log.lastStableOffset, log.highWatermark]).toEqual([3n, 3n]);
    const marker = (await kafkajsReadBatch(log.batches[1]!.raw)) as {
      isControlBatch: boolean;
      inTransaction: boolean;
      records: { key: Buffer; offset: string }[];
    };
    expect(marker).toMatchObject({ isControlBatch: true, inTransaction: true });
    expect(marker.records[0]).toMatchObject({ offset: '2', key: Buffer.from([0, 0, 0, 1]) });
    // A retried commit succeeds; an abort after it is out of order.
    expect(c.txns.endTxn('tx', producerId, producerEpoch, true)).toBe(ErrorCode.NONE);
    expect(c.txns.endTxn('tx', producerId, producerEpoch, false)).toBe(ErrorCode.INVALID_TXN_STATE);
  });

  it('index aborted ranges for read_committed fetches, sorted by first offset', async () => {
    const { c, log } = setup();
    const a = c.txns.initProducerId('a', 60_000);
    const b = c.txns.initProducerId('b', 60_000);
    for (const [id, p] of [
      ['a', a],
      ['b', b],
    ] as const)
      c.txns.addPartitions(id, p.producerId, p.producerEpoch, [{ name: 't', partitions: [0] }]);
    c.producers.append(log, ...(await txnBatch(a.producerId, a.producerEpoch, 0)), 'a');
    c.producers.append(log, ...(await txnBatch(b.producerId, b.producerEpoch, 0)), 'b');
    c.txns.endTxn('b', b.producerId, b.producerEpoch, false);
    c.txns.endTxn('a', a.producerId, a.producerEpoch, false);
    expect(log.abortedBetween(0n, log.highWatermark)).toEqual([
      { producerId: a.producerId, firstOffset: 0n },
      { producerId: b.producerId, firstOffset: 1n },
    ]);
  });

  it('apply staged offsets only when the transaction commits', () => {
    const { c } = setup();
    const p = c.txns.initProducerId('tx', 60_000);
    expect(c.txns.addOffsets('tx', p.producerId, p.producerEpoch, 'g')).toBe(0);
    expect(
      c.txns.stageOffsets('tx', 'g', p.producerId, p.producerEpoch, 't', 0, { offset: 7n, metadata: null }),
    ).toBe(0);
    expect(c.groups.committed('g', 't', 0)).toBeUndefined();
    c.txns.endTxn('tx', p.producerId, p.producerEpoch, true);
    expect(c.groups.committed('g', 't', 0)).toEqual({ offset: 7n, metadata: null });
  });

  it('abort a transaction left open past its timeout and fence its producer', async () => {
    const { c, log, clock } = setup();
    const p = c.txns.initProducerId('tx', 1000);
    c.txns.addPartitions('tx', p.producerId, p.producerEpoch, [{ name: 't', partitions: [0] }]);
    c.producers.append(log, ...(await txnBatch(p.producerId, p.producerEpoch, 0)), 'tx');
    clock.advance(999);
    expect(log.lastStableOffset).toBe(0n);
    clock.advance(1);
    expect(log.lastStableOffset).toBe(log.highWatermark);
    expect(log.aborted).toHaveLength(1);
    expect(c.txns.endTxn('tx', p.producerId, p.producerEpoch, true)).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
  });

  it('refuse an unknown transactional id, a timeout above the maximum, and a partition never added', async () => {
    const { c, log } = setup();
    expect(c.txns.endTxn('nobody', 0n, 0, true)).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect(c.txns.initProducerId('tx', 900_001).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    const p = c.txns.initProducerId('tx', 60_000);
    expect(
      c.producers.append(log, ...(await txnBatch(p.producerId, p.producerEpoch, 0)), 'tx').errorCode,
    ).toBe(ErrorCode.INVALID_TXN_STATE);
  });
});
