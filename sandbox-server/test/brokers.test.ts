// Runs on the embedded target get their session's own broker instances: each client library reaches its broker
// through the injected endpoints, and two sessions never see each other's topics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, type RunningServer } from '../src/server';
import { TestClient } from './ws-client';

let server: RunningServer;
const program = (name: string) => ({
  name: `${name}.ts`,
  code: readFileSync(path.join(import.meta.dirname, 'fixtures', 'programs', `${name}.ts`), 'utf8'),
});

beforeAll(async () => {
  server = await startServer({
    host: '127.0.0.1',
    port: 0,
    contentRoot: path.join(import.meta.dirname, 'fixtures'),
  });
});
afterAll(() => server?.close());

const session = (id: string) => TestClient.session(server.port, server.token, id);

describe('embedded brokers for a session', () => {
  it.each(['kafka', 'amqp', 'pubsub'])('a %s client round-trips a message', async (broker) => {
    const c = await session(`round-trip-${broker}`);
    const { exit, output } = await c.run('r', program(`${broker}-roundtrip`));
    expect(output).toContain(`consumed: hello ${broker}`);
    expect(exit).toMatchObject({ code: 0 });
    c.close();
  });

  it('keeps two sessions apart', async () => {
    const a = await session('isolated-a');
    const b = await session('isolated-b');
    const first = await a.run('a1', program('kafka-roundtrip'));
    expect(first.output).toMatch(/topics: fixture-topic/);
    const list = {
      name: 'list.ts',
      code: `import { Kafka, logLevel } from 'kafkajs';
        const admin = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING }).admin();
        await admin.connect();
        console.log('topics: [' + (await admin.listTopics()).join(',') + ']');
        await admin.disconnect();`,
    };
    const inA = await a.run('a2', list);
    const inB = await b.run('b1', list);
    expect(inA.output).toContain('topics: [fixture-topic]');
    expect(inB.output).toContain('topics: []');
    const snapA = await server.host.snapshot('isolated-a', 'kafka');
    expect(snapA?.broker === 'kafka' && snapA.topics.map((t) => t.name)).toEqual(['fixture-topic']);
    a.close();
    b.close();
  });
});
