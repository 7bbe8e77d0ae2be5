// Record batch v2 (magic 2) headers: the broker validates and indexes a batch but stores the client's bytes as they
// came, patching only baseOffset (the CRC covers bytes 21..end, so the patch keeps it valid). Records are read only
// for a ListOffsets by timestamp (`recordTimes`, which inflates gzip as Kafka does; kafkajs decodes everything
// else). Control batches (transaction markers) are built here. Layout: Kafka's DefaultRecordBatch.java and
// DefaultRecord.java. Legacy message sets (magic 0/1) are refused: they carry no headers, pids or sequences.
import { gunzipSync } from 'node:zlib';
import { crc32c } from './primitives/crc32c';
import { readVarint, readVarlong, writeVarint } from './primitives/varint';

export const BATCH_HEADER_SIZE = 61;
const ATTR_TRANSACTIONAL = 0x10;
const ATTR_CONTROL = 0x20;

export interface BatchHeader {
  /** Bytes of this batch, header included. */
  size: number;
  lastOffsetDelta: number;
  firstTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
  compression: number;
  transactional: boolean;
  control: boolean;
}

export type BatchProblem = 'corrupt' | 'invalid';

/** Reads and checks the batch header at `at`; 'corrupt' = CRC or size mismatch, 'invalid' = not a v2 batch. */
export function readBatchHeader(buf: Buffer, at = 0): BatchHeader | BatchProblem {
  if (buf.length - at < BATCH_HEADER_SIZE) return 'corrupt';
  const size = buf.readInt32BE(at + 8) + 12;
  if (size < BATCH_HEADER_SIZE || at + size > buf.length) return 'corrupt';
  if (buf.readInt8(at + 16) !== 2) return 'invalid';
  if (buf.readUInt32BE(at + 17) !== crc32c(buf, at + 21, at + size)) return 'corrupt';
  const attributes = buf.readInt16BE(at + 21);
  const lastOffsetDelta = buf.readInt32BE(at + 23);
  const recordCount = buf.readInt32BE(at + 57);
  if (lastOffsetDelta < 0 || recordCount < 0 || recordCount > lastOffsetDelta + 1) return 'invalid';
  return {
    size,
    lastOffsetDelta,
    firstTimestamp: buf.readBigInt64BE(at + 27),
    maxTimestamp: buf.readBigInt64BE(at + 35),
    producerId: buf.readBigInt64BE(at + 43),
    producerEpoch: buf.readInt16BE(at + 51),
    baseSequence: buf.readInt32BE(at + 53),
    recordCount,
    compression: attributes & 0x07,
    transactional: (attributes & ATTR_TRANSACTIONAL) !== 0,
    control: (attributes & ATTR_CONTROL) !== 0,
  };
}

const COMPRESSION_NONE = 0;
const COMPRESSION_GZIP = 1;

/**
 * Each record's offset delta and timestamp delta, in log order; null when the batch is compressed with a codec the
 * broker does not carry (snappy, lz4 and zstd are kafkajs plug-ins) or its records do not parse.
 */
export function recordTimes(
  raw: Buffer,
  header: BatchHeader,
): { offsetDelta: number; timestampDelta: bigint }[] | null {
  try {
    const body =
      header.compression === COMPRESSION_NONE
        ? raw.subarray(BATCH_HEADER_SIZE, header.size)
        : header.compression === COMPRESSION_GZIP
          ? gunzipSync(raw.subarray(BATCH_HEADER_SIZE, header.size))
          : null;
    if (!body) return null;
    const out: { offsetDelta: number; timestampDelta: bigint }[] = [];
    let at = 0;
    for (let i = 0; i < header.recordCount; i++) {
      const length = readVarint(body, at);
      const timestampDelta = readVarlong(body, length.next + 1); // after the attributes byte
      const offsetDelta = readVarint(body, timestampDelta.next);
      out.push({ offsetDelta: offsetDelta.value, timestampDelta: timestampDelta.value });
      at = length.next + length.value;
    }
    return out;
  } catch {
    return null;
  }
}

/**
 * A control batch holding one transaction marker (apache ControlRecordType: 0 ABORT, 1 COMMIT): key = version 0 +
 * type, value = version 0 + coordinator epoch. kafkajs reads these and hides them from eachMessage.
 */
export function controlBatch(opts: {
  baseOffset: bigint;
  timestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  commit: boolean;
}): Buffer {
  const key = [0, 0, 0, opts.commit ? 1 : 0];
  const value = [0, 0, 0, 0, 0, 0];
  const body: number[] = [];
  writeVarint(body, 0); // attributes
  writeVarint(body, 0); // timestamp delta
  writeVarint(body, 0); // offset delta
  writeVarint(body, key.length);
  body.push(...key);
  writeVarint(body, value.length);
  body.push(...value);
  writeVarint(body, 0); // headers
  const record: number[] = [];
  writeVarint(record, body.length);
  record.push(...body);

  const buf = Buffer.alloc(BATCH_HEADER_SIZE + record.length);
  buf.writeBigInt64BE(opts.baseOffset, 0);
  buf.writeInt32BE(buf.length - 12, 8);
  buf.writeInt32BE(0, 12); // partition leader epoch
  buf.writeInt8(2, 16);
  buf.writeInt16BE(ATTR_TRANSACTIONAL | ATTR_CONTROL, 21);
  buf.writeInt32BE(0, 23);
  buf.writeBigInt64BE(opts.timestamp, 27);
  buf.writeBigInt64BE(opts.timestamp, 35);
  buf.writeBigInt64BE(opts.producerId, 43);
  buf.writeInt16BE(opts.producerEpoch, 51);
  buf.writeInt32BE(-1, 53);
  buf.writeInt32BE(1, 57);
  Buffer.from(record).copy(buf, BATCH_HEADER_SIZE);
  buf.writeUInt32BE(crc32c(buf, 21), 17);
  return buf;
}
