// The primitives against kafkajs's own: CRC32C over random buffers, zigzag varints over the int32 edge cases, and
// Reader/Writer round trips including the bounds checks that turn garbage into MalformedRequest.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { kafkajsCrc32c, kafkajsVarint } from '../../../test/kafkajs-oracle';
import { crc32c } from './crc32c';
import { MalformedRequest, Reader } from './reader';
import { readVarint, writeVarint } from './varint';
import { Writer } from './writer';

describe('crc32c', () => {
  it('agrees with kafkajs on random buffers', () => {
    for (let i = 0; i < 50; i++) {
      const buf = randomBytes(i * 37);
      expect(crc32c(buf)).toBe(kafkajsCrc32c(buf));
    }
  });

  it('agrees with kafkajs over any start and end, whatever the alignment of the bytes', () => {
    const buf = randomBytes(4096);
    for (let i = 0; i < 200; i++) {
      const start = (i * 7) % 61;
      const end = buf.length - ((i * 13) % 97);
      const view = buf.subarray(i % 5);
      expect(crc32c(view, start, end - 5)).toBe(kafkajsCrc32c(view.subarray(start, end - 5)));
    }
  });

  it('gives the Castagnoli check value for "123456789"', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });
});

describe('varint', () => {
  it('writes what kafkajs writes and reads it back', () => {
    for (const n of [0, 1, -1, 63, -64, 64, 300, -300, 2 ** 31 - 1, -(2 ** 31)]) {
      const out: number[] = [];
      writeVarint(out, n);
      expect(Buffer.from(out)).toEqual(kafkajsVarint(n));
      expect(readVarint(Buffer.from(out), 0)).toEqual({ value: n, next: out.length });
    }
  });

  it('refuses a truncated varint', () => {
    expect(() => readVarint(Buffer.from([0x80, 0x80]), 0)).toThrow(RangeError);
  });
});

describe('Reader and Writer', () => {
  it('round-trip every primitive', () => {
    const w = new Writer(4)
      .int8(-5)
      .int16(-300)
      .int32(123456789)
      .int64(-(2n ** 40n))
      .bool(true)
      .string('héllo')
      .nullableString(null)
      .bytes(Buffer.from([1, 2, 3]))
      .nullableBytes(null)
      .array([1, 2], (w, n) => w.int32(n))
      .nullableArray(null, (w, n: number) => w.int32(n));
    const r = new Reader(w.toBuffer());
    expect([r.int8(), r.int16(), r.int32(), r.int64(), r.bool(), r.string(), r.nullableString()]).toEqual([
      -5,
      -300,
      123456789,
      -(2n ** 40n),
      true,
      'héllo',
      null,
    ]);
    expect(r.bytes()).toEqual(Buffer.from([1, 2, 3]));
    expect(r.nullableBytes()).toBeNull();
    expect(r.array((r) => r.int32())).toEqual([1, 2]);
    expect(r.nullableArray((r) => r.int32())).toBeNull();
    expect(() => r.end()).not.toThrow();
  });

  it('frames with the i32 size in front', () => {
    const f = new Writer().int16(7).frame();
    expect(f).toEqual(Buffer.from([0, 0, 0, 2, 0, 7]));
  });

  it('carries shared buffers by reference and frames them as if copied', () => {
    const big = randomBytes(5000);
    const shared = new Writer(4)
      .int16(1)
      .share(big)
      .int32(2)
      .share(Buffer.from([9]))
      .share(big)
      .int8(3);
    const copied = new Writer(4)
      .int16(1)
      .raw(big)
      .int32(2)
      .raw(Buffer.from([9]))
      .raw(big)
      .int8(3);
    expect(shared.length).toBe(copied.length);
    expect(shared.frame()).toEqual(copied.frame());
    expect(shared.toBuffer()).toEqual(copied.toBuffer());
    const parts = shared.frameParts();
    expect(Buffer.concat(parts)).toEqual(copied.frame());
    expect(parts.filter((p) => p === big)).toHaveLength(2);
  });

  it('turns out-of-bounds lengths and counts into MalformedRequest', () => {
    expect(() => new Reader(Buffer.from([0, 5, 65])).string()).toThrow(MalformedRequest);
    expect(() => new Reader(Buffer.from([0xff, 0xfe])).nullableString()).toThrow(MalformedRequest);
    expect(() => new Reader(Buffer.from([0x7f, 0xff, 0xff, 0xff])).array((r) => r.int8())).toThrow(
      MalformedRequest,
    );
    expect(() => new Reader(Buffer.from([0, 0])).int32()).toThrow(MalformedRequest);
    expect(() => new Reader(Buffer.from([0, 0, 1])).end()).toThrow(MalformedRequest);
  });
});
