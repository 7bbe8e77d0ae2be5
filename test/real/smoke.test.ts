// Smoke test of the real brokers (issue 3, `npm run test:real`): per broker, its real client library creates,
// publishes, consumes and acknowledges, against MSGBOOK_REAL_* (defaults: the docker-compose addresses). Names are
// unique per run and everything created is deleted. A broker that does not answer fails with how to start it.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PubSub, type Message } from '@google-cloud/pubsub';
import amqp from 'amqplib';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDown, probeBrokers } from '@msgbook/sandbox-server/target/health';

const KAFKA = process.env.MSGBOOK_REAL_KAFKA || 'localhost:9092';
const AMQP = process.env.MSGBOOK_REAL_AMQP || 'amqp://guest:guest@localhost:5672';
const AMQP_MANAGEMENT = process.env.MSGBOOK_REAL_AMQP_MANAGEMENT || 'http://localhost:15672';
const PUBSUB = process.env.MSGBOOK_REAL_PUBSUB || 'localhost:8085';
const versions = JSON.parse(
  readFileSync(new URL('../../real-brokers/versions.json', import.meta.url), 'utf8'),
);
const run = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const name = (what: string) => `msgbook-smoke-${what}-${run}`;

beforeAll(async () => {
  const health = await probeBrokers(
    { KAFKA_BROKERS: KAFKA, AMQP_URL: AMQP, PUBSUB_EMULATOR_HOST: PUBSUB, PUBSUB_PROJECT_ID: 'msgbook' },
    3000,
  );
  const down = health.filter((h) => !h.up).map((h) => `${describeDown(h.broker, h.address)} (${h.detail})`);
  if (down.length) throw new Error(down.join('\n'));
});

describe('Kafka through kafkajs', () => {
  const kafka = new Kafka({
    clientId: `msgbook-smoke-${run}`,
    brokers: KAFKA.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const topic = name('topic');
  const groupId = name('group');
  beforeAll(() => admin.connect());
  afterAll(async () => {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates a topic, produces, consumes in a group and commits', async () => {
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true })).toBe(
      true,
    );
    const producer = kafka.producer();
    await producer.connect();
    const [sent] = await producer.send({ topic, messages: [{ key: 'k', value: `hello ${run}` }] });
    await producer.disconnect();

    // A 2 s session is below Kafka's default minimum (6 s): it joins only with versions.json's lowered setting.
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: 2000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 200,
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = new Promise<{ partition: number; message: KafkaMessage }>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => resolve({ partition, message }),
        })
        .catch(reject);
    });
    const { partition, message } = await received;
    expect(message.value?.toString()).toBe(`hello ${run}`);
    expect(message.offset).toBe(sent?.baseOffset);
    await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
    await consumer.disconnect();

    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed?.partitions).toEqual([
      { partition, offset: String(Number(message.offset) + 1), metadata: null },
    ]);
  });

  it('does not create topics on demand (auto.create.topics.enable=false)', async () => {
    const missing = name('missing');
    const producer = kafka.producer({
      allowAutoTopicCreation: true,
      retry: { retries: 1, initialRetryTime: 100 },
    });
    await producer.connect();
    await expect(producer.send({ topic: missing, messages: [{ value: 'x' }] })).rejects.toThrow();
    await producer.disconnect();
    expect(await admin.listTopics()).not.toContain(missing);
  });
});

describe('RabbitMQ through amqplib', () => {
  const queue = name('queue');
  let connection: amqp.ChannelModel;
  beforeAll(async () => {
    connection = await amqp.connect(AMQP);
  });
  afterAll(async () => {
    const ch = await connection.createChannel();
    await ch.deleteQueue(queue);
    await connection.close();
  });

  it('is of the RabbitMQ line versions.json names', () => {
    expect(connection.connection.serverProperties.product).toBe('RabbitMQ');
    expect(connection.connection.serverProperties.version).toMatch(new RegExp(`^${versions.amqp.line}\\.`));
  });

  it('asserts a queue, publishes with a confirm, consumes and acks', async () => {
    const ch = await connection.createConfirmChannel();
    await ch.assertQueue(queue, { durable: false });
    await new Promise<void>((resolve, reject) =>
      ch.sendToQueue(queue, Buffer.from(`hello ${run}`), { messageId: run }, (err) =>
        err ? reject(err) : resolve(),
      ),
    );
    const delivered = await new Promise<amqp.ConsumeMessage>((resolve, reject) => {
      ch.once('close', () => reject(new Error('the channel closed before a delivery')));
      ch.consume(queue, (msg) => msg && resolve(msg), { noAck: false }).catch(reject);
    });
    expect(delivered.content.toString()).toBe(`hello ${run}`);
    expect(delivered.properties.messageId).toBe(run);
    ch.ack(delivered);
    // Closing a channel requeues what it has not acked: an empty queue afterwards shows the ack reached the broker.
    await ch.close();
    const check = await connection.createChannel();
    expect(await check.checkQueue(queue)).toMatchObject({ queue, messageCount: 0, consumerCount: 0 });
    await check.close();
  });

  it('serves the management API', async () => {
    const auth = Buffer.from(`${versions.amqp.user}:${versions.amqp.password}`).toString('base64');
    const res = await fetch(`${AMQP_MANAGEMENT}/api/overview`, {
      headers: { authorization: `Basic ${auth}` },
    });
    expect(res.status).toBe(200);
    const overview = (await res.json()) as { rabbitmq_version: string };
    expect(overview.rabbitmq_version).toBe(connection.connection.serverProperties.version);
  });
});

describe('Pub/Sub emulator through @google-cloud/pubsub', () => {
  // No Google credentials exist here: without this the auth library probes for a GCE metadata server and warns.
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  const pubsub = new PubSub({
    projectId: versions.pubsub.projectId,
    apiEndpoint: PUBSUB,
    emulatorMode: true,
  });
  const topicName = name('topic');
  const subName = name('sub');
  afterAll(async () => {
    await pubsub
      .subscription(subName)
      .delete()
      .catch(() => undefined);
    await pubsub
      .topic(topicName)
      .delete()
      .catch(() => undefined);
    await pubsub.close();
  });

  it('creates a topic and a subscription, publishes, receives and acks', async () => {
    const [topic] = await pubsub.createTopic(topicName);
    // Exactly-once delivery makes ackWithResponse wait for the emulator to confirm the ack.
    const [subscription] = await topic.createSubscription(subName, { enableExactlyOnceDelivery: true });
    const received = new Promise<Message>((resolve, reject) => {
      subscription.on('message', resolve);
      subscription.on('error', reject);
    });
    const id = await topic.publishMessage({ data: Buffer.from(`hello ${run}`), attributes: { run } });
    const message = await received;
    expect(message.id).toBe(id);
    expect(message.data.toString()).toBe(`hello ${run}`);
    expect(message.attributes).toEqual({ run });
    expect(await message.ackWithResponse()).toBe('SUCCESS');
    await subscription.close();
  });
});
