// Framing and reply order on one socket: a parked long-poll fetch holds back the replies behind it; acks=0 produces
// get no reply; unknown keys, unsupported versions and garbled frames close only the offending socket.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VirtualClock, type Clock, type EmbeddedBroker, type TimerHandle } from '@msgbook/broker-common';
import { kafkajsRequest } from '../../test/kafkajs-oracle';
import { RawClient } from '../../test/raw-client';
import { startKafka } from '../index';

let broker: EmbeddedBroker;
const clients: RawClient[] = [];

async function client(): Promise<RawClient> {
  const c = await RawClient.open(broker.address.port);
  clients.push(c);
  return c;
}

beforeEach(async () => {
  broker = await startKafka();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await broker.stop();
});

async function createTopic(c: RawClient, topic: string): Promise<void> {
  c.send(
    19,
    2,
    1,
    await kafkajsRequest('CreateTopics', 2, { topics: [{ topic, numPartitions: 1 }], timeout: 1000 }),
  );
  await c.next();
}

function fetchBody(topic: string, maxWaitTime: number): Promise<Buffer> {
  return kafkajsRequest('Fetch', 4, {
    replicaId: -1,
    maxWaitTime,
    minBytes: 1,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    topics: [{ topic, partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1 << 20 }] }],
  });
}

describe('one connection', () => {
  it('replies in request order when an earlier fetch is parked', async () => {
    const c = await client();
    await createTopic(c, 't');
    c.send(1, 4, 10, await fetchBody('t', 300));
    c.send(3, 4, 11, await kafkajsRequest('Metadata', 4, { topics: ['t'] }));
    const first = await c.next();
    const second = await c.next();
    expect([first?.readInt32BE(0), second?.readInt32BE(0)]).toEqual([10, 11]);
  });

  it('wakes a parked fetch when another connection appends', async () => {
    const consumer = await client();
    const producer = await client();
    await createTopic(producer, 't');
    consumer.send(1, 4, 20, await fetchBody('t', 20_000));
    const reply = consumer.next();
    const produce = await kafkajsRequest('Produce', 3, {
      acks: 1,
      timeout: 1000,
      topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ value: 'hello' }] }] }],
    });
    producer.send(0, 3, 21, produce);
    const frame = await reply;
    expect(frame?.readInt32BE(0)).toBe(20);
    expect(frame?.includes(Buffer.from('hello'))).toBe(true);
  });

  it('sends no reply to acks=0 and still answers what follows', async () => {
    const c = await client();
    await createTopic(c, 't');
    const produce = await kafkajsRequest('Produce', 3, {
      acks: 0,
      timeout: 1000,
      topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ value: 'x' }] }] }],
    });
    c.send(0, 3, 30, produce);
    c.send(18, 2, 31, Buffer.alloc(0));
    expect((await c.next())?.readInt32BE(0)).toBe(31);
    expect(broker.snapshot()).toMatchObject({
      topics: [{ name: 't', partitions: [{ highWatermark: '1' }] }],
    });
  });
});

/** A virtual clock that counts the timers still pending, to see what a closed client leaves behind. */
class CountingClock implements Clock {
  private readonly inner = new VirtualClock();
  pending = 0;
  now(): number {
    return this.inner.now();
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    let live = true;
    this.pending++;
    const end = () => {
      if (live) this.pending--;
      live = false;
    };
    const h = this.inner.setTimeout(() => {
      end();
      fn();
    }, ms);
    return {
      cancel: () => {
        end();
        h.cancel();
      },
    };
  }
}

describe('closing clients', () => {
  it('releases the timer of a parked fetch when its client goes away', async () => {
    const clock = new CountingClock();
    const own = await startKafka({ clock });
    try {
      const c = await RawClient.open(own.address.port);
      await createTopic(c, 't');
      c.send(1, 4, 40, await fetchBody('t', 1_000_000_000));
      await vi.waitFor(() => expect(clock.pending).toBe(1));
      c.close();
      await vi.waitFor(() => expect(clock.pending).toBe(0));
    } finally {
      await own.stop();
    }
  });
});

describe('bad input', () => {
  it('answers ApiVersions above v2 with UNSUPPORTED_VERSION in the v0 shape', async () => {
    const c = await client();
    c.send(18, 3, 5, Buffer.from([0, 0]));
    const frame = await c.next();
    expect(frame?.readInt32BE(0)).toBe(5);
    expect(frame?.readInt16BE(4)).toBe(35);
  });

  it.each([
    ['an unknown api key', (c: RawClient) => c.send(999, 0, 1, Buffer.alloc(0))],
    ['an unadvertised version', (c: RawClient) => c.send(3, 0, 1, Buffer.alloc(4))],
    ['a truncated body', (c: RawClient) => c.send(3, 4, 1, Buffer.from([0, 0, 0, 5]))],
    ['trailing bytes', (c: RawClient) => c.send(18, 2, 1, Buffer.from([1, 2, 3]))],
    ['a negative frame size', (c: RawClient) => c.socket.write(Buffer.from([0xff, 0xff, 0xff, 0xf0, 1, 2]))],
    [
      'an oversized frame size',
      (c: RawClient) => c.socket.write(Buffer.from([0x7f, 0xff, 0xff, 0xff, 1, 2])),
    ],
    [
      'a client dropping mid-request',
      (c: RawClient) => c.socket.end(Buffer.from([0, 0, 0, 40, 0, 18, 0, 2, 0, 0])),
    ],
  ])('closes the socket on %s, and other clients carry on', async (_, send) => {
    const bad = await client();
    const good = await client();
    send(bad);
    expect(await bad.next()).toBeNull();
    good.send(18, 2, 7, Buffer.alloc(0));
    expect((await good.next())?.readInt32BE(0)).toBe(7);
  });
});
