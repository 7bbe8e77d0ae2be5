// The idempotence window on real kafkajs record batches: duplicates answered with their original offset and not
// appended, gaps refused, an older epoch fenced, a new epoch starting at sequence 0; and retention by bytes moving
// the log start by whole batches.
import { describe, expect, it } from 'vitest';
import { EventHub, VirtualClock } from '@msgbook/broker-common';
import { kafkajsRecordBatch } from '../../test/kafkajs-oracle';
import { ErrorCode } from '../protocol/errors';
import { readBatchHeader, type BatchHeader } from '../protocol/record-batch';
import { Cluster } from './cluster';

function cluster(retentionBytes = 1 << 20): Cluster {
  const c = new Cluster({
    clock: new VirtualClock(),
    events: new EventHub(),
    retentionBytes,
    autoCreateTopics: false,
    defaultPartitions: 1,
  });
  c.createTopic('t', 1);
  return c;
}

async function batch(
  n: number,
  opts: Parameters<typeof kafkajsRecordBatch>[1] = {},
): Promise<[Buffer, BatchHeader]> {
  const raw = await kafkajsRecordBatch(
    Array.from({ length: n }, (_, i) => ({ value: `m${i}` })),
    opts,
  );
  return [raw, readBatchHeader(raw) as BatchHeader];
}

describe('idempotent appends', () => {
  it('answers a duplicate with the original offset and does not append it again', async () => {
    const c = cluster();
    const log = c.partition('t', 0)!;
    const { producerId } = c.producers.allocate();
    const first = await batch(2, { producerId, producerEpoch: 0, firstSequence: 0 });
    const second = await batch(3, { producerId, producerEpoch: 0, firstSequence: 2 });
    expect(c.producers.append(log, ...first, null)).toEqual({ errorCode: 0, baseOffset: 0n });
    expect(c.producers.append(log, ...second, null)).toEqual({ errorCode: 0, baseOffset: 2n });
    expect(c.producers.append(log, ...first, null)).toEqual({ errorCode: 0, baseOffset: 0n });
    expect(log.highWatermark).toBe(5n);
  });

  it('refuses a sequence gap and a new epoch not starting at 0, without appending', async () => {
    const c = cluster();
    const log = c.partition('t', 0)!;
    const { producerId } = c.producers.allocate();
    c.producers.append(log, ...(await batch(1, { producerId, producerEpoch: 0, firstSequence: 0 })), null);
    const gap = await batch(1, { producerId, producerEpoch: 0, firstSequence: 5 });
    expect(c.producers.append(log, ...gap, null).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    const epoch = c.producers.bumpEpoch(producerId);
    const late = await batch(1, { producerId, producerEpoch: epoch, firstSequence: 1 });
    expect(c.producers.append(log, ...late, null).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(log.highWatermark).toBe(1n);
  });

  it('fences a batch from an older epoch', async () => {
    const c = cluster();
    const log = c.partition('t', 0)!;
    const { producerId } = c.producers.allocate();
    c.producers.bumpEpoch(producerId);
    const stale = await batch(1, { producerId, producerEpoch: 0, firstSequence: 0 });
    expect(c.producers.append(log, ...stale, null).errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
  });

  it('appends non-idempotent batches whatever their sequence', async () => {
    const c = cluster();
    const log = c.partition('t', 0)!;
    const b = await batch(2);
    expect(c.producers.append(log, ...b, null)).toEqual({ errorCode: 0, baseOffset: 0n });
    expect(c.producers.append(log, ...b, null)).toEqual({ errorCode: 0, baseOffset: 2n });
  });
});

describe('retention by bytes', () => {
  it('drops whole batches from the front, keeps the newest, and moves the log start', async () => {
    const [raw, header] = await batch(1);
    const c = cluster(raw.length * 2);
    const log = c.partition('t', 0)!;
    for (let i = 0; i < 5; i++) log.append(raw, header);
    expect([log.logStart, log.highWatermark, log.batches.length]).toEqual([3n, 5n, 2]);
    expect(log.bytes).toBe(raw.length * 2);
  });
});
