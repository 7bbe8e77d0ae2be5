// probeBrokers against a closed port and a silent one (always), and against the real brokers when MSGBOOK_REAL_* is
// set (`npm run brokers:real -- start` prints the exports). A down broker must be reported quickly and explained.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerHealth } from '@msgbook/protocol';
import { describeDown, probeBrokers } from './health';

/** A port nothing listens on: bind an ephemeral one, then release it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('probeBrokers, nothing listening', () => {
  it('reports all three down, refused, well within the timeout', async () => {
    const port = await closedPort();
    const started = performance.now();
    const health = await probeBrokers(
      {
        KAFKA_BROKERS: `127.0.0.1:${port}`,
        AMQP_URL: `amqp://guest:secret@127.0.0.1:${port}`,
        PUBSUB_EMULATOR_HOST: `127.0.0.1:${port}`,
        PUBSUB_PROJECT_ID: 'msgbook',
      },
      2000,
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(health.map((h) => BrokerHealth.parse(h))).toHaveLength(3);
    expect(health.map((h) => [h.broker, h.up])).toEqual([
      ['kafka', false],
      ['amqp', false],
      ['pubsub', false],
    ]);
    for (const h of health) expect(h.detail).toMatch(/refused/);
    const amqp = health[1];
    expect(amqp?.address).toBe(`amqp://127.0.0.1:${port}`); // the password never reaches the page
  });

  it('tries every Kafka bootstrap address', async () => {
    const [a, b] = [await closedPort(), await closedPort()];
    const [kafka] = await probeBrokers(
      {
        KAFKA_BROKERS: `127.0.0.1:${a},127.0.0.1:${b}`,
        AMQP_URL: 'amqp://127.0.0.1:1',
        PUBSUB_EMULATOR_HOST: '127.0.0.1:1',
        PUBSUB_PROJECT_ID: 'msgbook',
      },
      500,
    );
    expect(kafka).toMatchObject({ broker: 'kafka', up: false, address: `127.0.0.1:${a},127.0.0.1:${b}` });
    expect(kafka?.detail).toContain(`127.0.0.1:${b}`);
  });
});

describe('probeBrokers, a port that accepts and never answers', () => {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => sockets.add(s));
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up after the timeout and says so', async () => {
    const started = performance.now();
    const health = await probeBrokers(
      {
        KAFKA_BROKERS: `127.0.0.1:${port}`,
        AMQP_URL: `amqp://127.0.0.1:${port}`,
        PUBSUB_EMULATOR_HOST: `127.0.0.1:${port}`,
        PUBSUB_PROJECT_ID: 'msgbook',
      },
      300,
    );
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
    for (const h of health)
      expect(h).toMatchObject({ up: false, detail: expect.stringMatching(/within 300 ms/) });
  });
});

describe('describeDown', () => {
  it('names the broker, the address and both ways to start it', () => {
    const text = describeDown('amqp', 'amqp://127.0.0.1:5672');
    expect(text).toContain('RabbitMQ');
    expect(text).toContain('amqp://127.0.0.1:5672');
    expect(text).toContain('npm run brokers:real -- start');
    expect(text).toContain('docker compose up -d');
    expect(describeDown('kafka', 'localhost:9092')).toMatch(/^Kafka is not reachable at localhost:9092/);
    expect(describeDown('pubsub', 'localhost:8085')).toMatch(
      /Pub\/Sub emulator is not reachable at localhost:8085/,
    );
  });
});

const real = {
  KAFKA_BROKERS: process.env.MSGBOOK_REAL_KAFKA,
  AMQP_URL: process.env.MSGBOOK_REAL_AMQP,
  PUBSUB_EMULATOR_HOST: process.env.MSGBOOK_REAL_PUBSUB,
};

describe.skipIf(!real.KAFKA_BROKERS || !real.AMQP_URL || !real.PUBSUB_EMULATOR_HOST)(
  'probeBrokers, real brokers',
  () => {
    it('finds all three up through their own protocols', async () => {
      const health = await probeBrokers(
        {
          KAFKA_BROKERS: real.KAFKA_BROKERS ?? '',
          AMQP_URL: real.AMQP_URL ?? '',
          PUBSUB_EMULATOR_HOST: real.PUBSUB_EMULATOR_HOST ?? '',
          PUBSUB_PROJECT_ID: 'msgbook',
        },
        3000,
      );
      const [kafka, amqp, pubsub] = health;
      expect(kafka).toMatchObject({
        broker: 'kafka',
        up: true,
        detail: expect.stringMatching(/ApiVersions answered/),
      });
      expect(amqp).toMatchObject({
        broker: 'amqp',
        up: true,
        detail: expect.stringMatching(/^RabbitMQ \d+\.\d+\.\d+/),
      });
      expect(pubsub).toMatchObject({
        broker: 'pubsub',
        up: true,
        detail: expect.stringMatching(/^HTTP 200/),
      });
    });
  },
);
