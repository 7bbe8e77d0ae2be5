// Timestamp lookup in a partition log over real kafkajs batches: the first record reaching the timestamp inside its
// batch, with that record's own timestamp, in plain and gzip batches; never before the log start; null past the end.
import { describe, expect, it } from 'vitest';
import { kafkajsRecordBatch } from '../../test/kafkajs-oracle';
import { readBatchHeader, type BatchHeader } from '../protocol/record-batch';
import { PartitionLog } from './log';

const T0 = 1_700_000_000_000;

async function append(log: PartitionLog, from: number, compression = 0): Promise<void> {
  const raw = await kafkajsRecordBatch(
    [0, 1, 2].map((i) => ({ value: `v${from + i}`, timestamp: T0 + (from + i) * 1000 })),
    { compression },
  );
  log.append(Buffer.from(raw), readBatchHeader(raw) as BatchHeader);
}

describe('offsetForTimestamp', () => {
  it('finds the record inside plain and gzip batches and reports its timestamp', async () => {
    const log = new PartitionLog('t', 0, 1 << 20);
    await append(log, 0);
    await append(log, 3, 1);
    expect(log.batches[1]!.header.compression).toBe(1);
    expect(log.offsetForTimestamp(BigInt(T0 - 5))).toEqual({ offset: 0n, timestamp: BigInt(T0) });
    expect(log.offsetForTimestamp(BigInt(T0 + 1500))).toEqual({ offset: 2n, timestamp: BigInt(T0 + 2000) });
    expect(log.offsetForTimestamp(BigInt(T0 + 3001))).toEqual({ offset: 4n, timestamp: BigInt(T0 + 4000) });
    expect(log.offsetForTimestamp(BigInt(T0 + 5001))).toBeNull();
  });

  it('never answers below the log start', async () => {
    const log = new PartitionLog('t', 0, 1 << 20);
    await append(log, 0);
    await append(log, 3);
    log.logStart = 1n;
    expect(log.offsetForTimestamp(BigInt(T0))).toEqual({ offset: 1n, timestamp: BigInt(T0 + 1000) });
  });
});
