// real-brokers/versions.json is the one list of the real brokers and their settings (design.md section 7): this
// checks that docker-compose.yml (parsed) and brokers.sh (run in its `config` and `env` modes, which start nothing)
// say the same versions, ports and Kafka settings, and that the brokers installed on this machine are those versions.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '../..');
const versions = JSON.parse(readFileSync(path.join(root, 'real-brokers/versions.json'), 'utf8'));
const { kafka, amqp, pubsub } = versions;
const settings = Object.entries(kafka.settings as Record<string, string | number | boolean>);

/** The KRaft and listener properties each configuration sets for itself; every other property is a setting. */
const structural = [
  'node.id',
  'process.roles',
  'listeners',
  'advertised.listeners',
  'controller.listener.names',
  'listener.security.protocol.map',
  'controller.quorum.voters',
  'log.dirs',
];

describe('versions.json', () => {
  it('is consistent with itself', () => {
    expect(kafka.image).toBe(`apache/kafka:${kafka.version}`);
    expect(kafka.maven).toMatch(new RegExp(`:${kafka.version}$`));
    expect(amqp.version.startsWith(`${amqp.line}.`)).toBe(true);
    expect(amqp.image).toBe(`rabbitmq:${amqp.version}-management`);
    expect(amqp.plugins).toContain('rabbitmq_management');
    expect(pubsub.image).toMatch(new RegExp(`:${pubsub.gcloud.replaceAll('.', '\\.')}-emulators$`));
    expect({ kafka: kafka.ports.client, amqp: amqp.ports.amqp, mgmt: amqp.ports.management }).toEqual({
      kafka: 9092,
      amqp: 5672,
      mgmt: 15672,
    });
    expect(pubsub.ports.grpc).toBe(8085);
    expect(kafka.settings).toMatchObject({
      'auto.create.topics.enable': false,
      'group.initial.rebalance.delay.ms': 0,
      'group.min.session.timeout.ms': 1000,
    });
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'));
  const service = (name: string) => compose.services[name];

  it('runs the pinned images, each with a health check', () => {
    expect(service('kafka').image).toBe(kafka.image);
    expect(service('rabbitmq').image).toBe(amqp.image);
    expect(service('pubsub').image).toBe(pubsub.image);
    for (const name of ['kafka', 'rabbitmq', 'pubsub']) expect(service(name).healthcheck?.test).toBeTruthy();
  });

  it('publishes the ports of versions.json', () => {
    const published = (name: string) => service(name).ports.map(String);
    expect(published('kafka')).toContain(`${kafka.ports.client}:${kafka.ports.client}`);
    expect(published('rabbitmq')).toEqual(
      expect.arrayContaining([
        `${amqp.ports.amqp}:${amqp.ports.amqp}`,
        `${amqp.ports.management}:${amqp.ports.management}`,
      ]),
    );
    expect(published('pubsub')).toContain(`${pubsub.ports.grpc}:${pubsub.ports.grpc}`);
  });

  it('gives Kafka exactly the settings of versions.json, one KRaft node advertised as localhost', () => {
    const env = service('kafka').environment as Record<string, string>;
    const asEnv = (key: string) => `KAFKA_${key.toUpperCase().replaceAll('.', '_')}`;
    for (const [key, value] of settings) expect(env[asEnv(key)], key).toBe(String(value));
    const own = Object.keys(env).filter((k) => !structural.map(asEnv).includes(k));
    expect(own.sort()).toEqual(settings.map(([k]) => asEnv(k)).sort());
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env.KAFKA_ADVERTISED_LISTENERS).toBe(`PLAINTEXT://localhost:${kafka.ports.client}`);
    expect(env.KAFKA_LISTENERS).toContain(`:${kafka.ports.client}`);
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`1@localhost:${kafka.ports.controller}`);
  });

  it('binds the emulator to every interface of its container, for the project of versions.json', () => {
    const command = [service('pubsub').command].flat().join(' ');
    expect(command).toContain(`--host-port=0.0.0.0:${pubsub.ports.grpc}`);
    expect(command).toContain(`--project=${pubsub.projectId}`);
  });
});

describe('brokers.sh', () => {
  const state = mkdtempSync(path.join(tmpdir(), 'msgbook-versions-test-'));
  afterAll(() => rmSync(state, { recursive: true, force: true }));
  const script = (...args: string[]) =>
    execFileSync('bash', [path.join(root, 'real-brokers/brokers.sh'), ...args], {
      env: { ...process.env, MSGBOOK_REAL_DIR: state },
      encoding: 'utf8',
    });
  /** `name=value` lines (properties or environment), comments skipped. */
  const pairs = (text: string, sep: string) =>
    Object.fromEntries(
      text
        .split('\n')
        .filter((l) => l.includes(sep) && !l.startsWith('#'))
        .map((l) => [l.slice(0, l.indexOf(sep)).trim(), l.slice(l.indexOf(sep) + sep.length).trim()]),
    );

  it('runs Kafka of versions.json with exactly its settings', () => {
    const out = script('config', 'kafka');
    expect(out.split('\n')[0]).toContain(
      `Apache Kafka ${kafka.version} (${kafka.maven}, Java ${kafka.java})`,
    );
    const props = pairs(out, '=');
    for (const [key, value] of settings) expect(props[key], key).toBe(String(value));
    expect(
      Object.keys(props)
        .filter((k) => !structural.includes(k))
        .sort(),
    ).toEqual(settings.map(([k]) => k).sort());
    expect(props['process.roles']).toBe('broker,controller');
    expect(props.listeners).toBe(
      `PLAINTEXT://127.0.0.1:${kafka.ports.client},CONTROLLER://127.0.0.1:${kafka.ports.controller}`,
    );
    expect(props['advertised.listeners']).toBe(`PLAINTEXT://127.0.0.1:${kafka.ports.client}`);
  });

  it('runs RabbitMQ on the ports, node and plugins of versions.json', () => {
    const out = script('config', 'amqp');
    expect(out.split('\n')[0]).toContain(
      `RabbitMQ ${amqp.version} (Debian ${amqp.debianPackage}, node ${amqp.node})`,
    );
    const env = pairs(out, '=');
    expect(env).toMatchObject({
      RABBITMQ_NODENAME: amqp.node,
      RABBITMQ_NODE_PORT: String(amqp.ports.amqp),
      RABBITMQ_DIST_PORT: String(amqp.ports.distribution),
      ERL_EPMD_PORT: String(amqp.ports.epmd),
    });
    expect(pairs(out, ' = ')['management.tcp.port']).toBe(String(amqp.ports.management));
    expect(out).toContain(`[${amqp.plugins.join(',')}].`);
  });

  it('runs the emulator of versions.json on its port', () => {
    const out = script('config', 'pubsub');
    expect(out.split('\n')[0]).toContain(`Pub/Sub emulator ${pubsub.emulator} (gcloud ${pubsub.gcloud}`);
    expect(out).toContain(`--port=${pubsub.ports.grpc}`);
  });

  it('prints the exports for the real target', () => {
    expect(script('env').trim().split('\n')).toEqual([
      `export MSGBOOK_REAL_KAFKA=127.0.0.1:${kafka.ports.client}`,
      `export MSGBOOK_REAL_AMQP=amqp://${amqp.user}:${amqp.password}@127.0.0.1:${amqp.ports.amqp}`,
      `export MSGBOOK_REAL_AMQP_MANAGEMENT=http://127.0.0.1:${amqp.ports.management}`,
      `export MSGBOOK_REAL_PUBSUB=127.0.0.1:${pubsub.ports.grpc}`,
      `export MSGBOOK_REAL_AMQP_CTL="bash ${path.join(root, 'real-brokers')}/brokers.sh rabbitmqctl"`,
    ]);
  });
});

describe('the brokers installed on this machine', () => {
  const emulatorLib = '/usr/lib/google-cloud-sdk/platform/pubsub-emulator/lib';
  it.skipIf(!existsSync(emulatorLib))('the Pub/Sub emulator is the version of versions.json', () => {
    expect(readdirSync(emulatorLib)).toContain(`cloud-pubsub-emulator-${pubsub.emulator}-all.jar`);
  });

  it.skipIf(!existsSync('/usr/lib/rabbitmq/bin/rabbitmq-server'))(
    'RabbitMQ is the version of versions.json',
    () => {
      const installed = execFileSync('dpkg-query', ['-W', '-f', '${Version}', amqp.debianPackage], {
        encoding: 'utf8',
      });
      expect(installed.startsWith(`${amqp.version}-`)).toBe(true);
    },
  );
});

describe('the embedded brokers agree with versions.json', () => {
  it('Kafka: the session-timeout floor, and topics are never created on demand', async () => {
    const { MIN_SESSION_TIMEOUT_MS } = await import('../../brokers/kafka/src/state/groups');
    expect(MIN_SESSION_TIMEOUT_MS).toBe(kafka.settings['group.min.session.timeout.ms']);
    expect(kafka.settings['auto.create.topics.enable']).toBe(false);
    const { startKafka } = await import('@msgbook/kafka');
    const { Kafka, logLevel } = await import('kafkajs');
    const broker = await startKafka();
    const client = new Kafka({
      brokers: [`${broker.address.host}:${broker.address.port}`],
      logLevel: logLevel.NOTHING,
    });
    const producer = client.producer({ retry: { retries: 0 } });
    try {
      await producer.connect();
      await expect(producer.send({ topic: 'never-created', messages: [{ value: 'x' }] })).rejects.toThrow();
      const snap = broker.snapshot();
      expect(snap.broker === 'kafka' && snap.topics.map((t) => t.name)).toEqual([]);
    } finally {
      await producer.disconnect();
      await broker.stop();
    }
  });
});
