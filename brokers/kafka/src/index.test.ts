// Instance lifecycle: a per-session instance starts fast on an ephemeral port and advertises exactly that address;
// two instances share nothing; stop() closes the listener and every client socket, and is idempotent.
import { connect } from 'node:net';
import { expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaSnapshot } from '@msgbook/protocol';
import { startKafka } from './index';

it('starts an isolated instance on an ephemeral port in well under 50 ms', async () => {
  await (await startKafka()).stop(); // warm the module graph, as a long-running broker host has it
  const t0 = performance.now();
  const a = await startKafka({ profile: 'small' });
  const elapsed = performance.now() - t0;
  const b = await startKafka({ profile: 'small' });
  try {
    expect(elapsed).toBeLessThan(50);
    expect(a.address.host).toBe('127.0.0.1');
    expect(a.address.port).not.toBe(b.address.port);
    const admin = new Kafka({ brokers: [`127.0.0.1:${a.address.port}`], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'only-in-a' }] });
    await admin.disconnect();
    expect(KafkaSnapshot.parse(a.snapshot()).topics.map((x) => x.name)).toEqual(['only-in-a']);
    expect(KafkaSnapshot.parse(b.snapshot()).topics).toEqual([]);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

it('closes every client socket and the listener on stop', async () => {
  const broker = await startKafka();
  const socket = connect(broker.address.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  await broker.stop();
  await closed;
  await broker.stop();
  const refused = await new Promise<boolean>((resolve) => {
    const s = connect(broker.address.port, '127.0.0.1');
    s.once('error', () => resolve(true));
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
  });
  expect(refused).toBe(true);
});
