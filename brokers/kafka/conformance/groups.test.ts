// Consumer groups end to end with kafkajs: a consumer reads what was produced, in order per partition; commits
// survive the consumer and a new one resumes after them; 1, 3 and 4 members share 3 partitions; a member leaving
// hands its partitions over; admin sees groups, members and offsets; setOffsets/resetOffsets move a group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AssignerProtocol,
  Partitioners,
  type Admin,
  type Consumer,
  type Kafka,
  type Producer,
} from 'kafkajs';
import { Assignments, Collector, FAST, startConsumer } from './consumers';
import {
  clients,
  REBALANCING,
  target,
  unexpected,
  unique,
  type LoggedProblem,
  type Target,
  checkLogsAfterEach,
} from './target';

checkLogsAfterEach();

let t: Target;
let kafka: Kafka;
let problems: LoggedProblem[];
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  t = await target();
  ({ kafka, problems } = clients(t));
  admin = kafka.admin();
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await Promise.all([admin.connect(), producer.connect()]);
});

afterAll(async () => {
  await Promise.all([admin?.disconnect(), producer?.disconnect()]);
  await t?.stop();
});

async function topicWith(partitions: number, messages: number): Promise<string> {
  const topic = unique('groups');
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  for (let i = 0; i < messages; i++) {
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: `k${i}`, value: `v${i}`, partition: i % partitions }],
    });
  }
  return topic;
}

describe('one consumer', () => {
  it('reads every message in order, commits, and a successor resumes after the commit', async () => {
    const topic = await topicWith(1, 5);
    const groupId = unique('g');
    const first = new Collector();
    const c1 = await startConsumer(kafka, groupId, topic, first);
    expect((await first.count(5)).map((m) => m.value)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
    await c1.disconnect();
    expect(await admin.fetchOffsets({ groupId, topics: [topic] })).toEqual([
      { topic, partitions: [{ partition: 0, offset: '5', metadata: null }] },
    ]);

    await producer.send({ topic, acks: -1, messages: [{ value: 'v5' }] });
    const second = new Collector();
    const c2 = await startConsumer(kafka, groupId, topic, second);
    expect((await second.count(1)).map((m) => [m.offset, m.value])).toEqual([['5', 'v5']]);
    await c2.disconnect();
    expect(unexpected(problems, ...REBALANCING)).toEqual([]);
  });

  it('is described with its client id, host, member id and decoded assignment', async () => {
    const topic = await topicWith(2, 0);
    const groupId = unique('g');
    const assignments = new Assignments();
    const consumer = assignments.track(kafka.consumer({ ...FAST, groupId }));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: new Collector().eachMessage });
    await assignments.covering(topic, [consumer], 2);
    const [group] = (await admin.describeGroups([groupId])).groups;
    expect(group).toMatchObject({
      state: 'Stable',
      protocolType: 'consumer',
      protocol: 'RoundRobinAssigner',
    });
    const member = group!.members[0]!;
    expect(member.clientId).toBe('conformance');
    expect(member.clientHost).toBe('/127.0.0.1');
    expect(member.memberId).toMatch(/^conformance-[0-9a-f-]{36}$/);
    // Sorted: Kafka lists a topic's partitions in Metadata in no fixed order, and kafkajs assigns in that order.
    const assigned = AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment;
    expect(assigned?.[topic]?.sort()).toEqual([0, 1]);
    await consumer.disconnect();
  });

  it('receives a message produced while it waits (long-poll woken by the append)', async () => {
    const topic = await topicWith(1, 0);
    const collector = new Collector();
    const consumer = await startConsumer(kafka, unique('g'), topic, collector, { maxWaitTimeInMs: 5000 });
    const assignments = new Assignments();
    assignments.track(consumer);
    await producer.send({ topic, acks: -1, messages: [{ value: 'late' }] });
    expect((await collector.count(1))[0]?.value).toBe('late');
    await consumer.disconnect();
  });
});

describe('a group over 3 partitions', () => {
  it('spreads partitions over 1, 3 and 4 members and hands them over when members leave', async () => {
    const topic = await topicWith(3, 6);
    const groupId = unique('g');
    const assignments = new Assignments();
    const collector = new Collector();
    const members: Consumer[] = [];
    const add = async () => {
      const c = kafka.consumer({
        groupId,
        sessionTimeout: 3000,
        rebalanceTimeout: 3000,
        heartbeatInterval: 200,
        maxWaitTimeInMs: 200,
      });
      assignments.track(c);
      await c.connect();
      await c.subscribe({ topic, fromBeginning: true });
      await c.run({ eachMessage: collector.eachMessage });
      members.push(c);
      return c;
    };

    await add();
    await assignments.covering(topic, members, 3);
    expect(assignments.of(topic, members)).toEqual([[0, 1, 2]]);
    await collector.count(6);

    await add();
    await add();
    // kafkajs reports no generation, so a member's latest assignment may be from the round before: wait until the
    // members' views fit together (each partition held once) and have the expected shape.
    await assignments.until(
      () =>
        assignments.covers(topic, members, 3) && assignments.of(topic, members).every((p) => p.length === 1),
    );

    await add();
    await assignments.until(() => {
      const held = assignments.of(topic, members);
      return assignments.covers(topic, members, 3) && held.filter((p) => p.length === 1).length === 3;
    });

    const described = await admin.describeGroups([groupId]);
    expect(described.groups[0]).toMatchObject({
      groupId,
      state: 'Stable',
      protocolType: 'consumer',
      protocol: 'RoundRobinAssigner',
    });
    expect(described.groups[0]!.members).toHaveLength(4);

    // Two members leave; the two left share the three partitions.
    for (const c of members.splice(0, 2)) {
      await c.disconnect();
      assignments.forget(c);
    }
    await assignments.covering(topic, members, 3);
    expect(
      assignments
        .of(topic, members)
        .map((p) => p.length)
        .sort(),
    ).toEqual([1, 2]);

    await producer.send({
      topic,
      acks: -1,
      messages: [0, 1, 2].map((p) => ({ value: `after-${p}`, partition: p })),
    });
    await collector.until((m) => m.filter((x) => x.value?.startsWith('after-')).length === 3);
    for (const c of members) await c.disconnect();

    const groups = await admin.listGroups();
    expect(groups.groups).toContainEqual({ groupId, protocolType: 'consumer' });
    expect((await admin.describeGroups([groupId])).groups[0]).toMatchObject({ state: 'Empty', members: [] });
    expect(unexpected(problems, ...REBALANCING)).toEqual([]);
  });
});

describe('admin offsets', () => {
  it('setOffsets and resetOffsets move an idle group, and a consumer starts there', async () => {
    const topic = await topicWith(1, 4);
    const groupId = unique('g');
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '2' }] });
    expect(await admin.fetchOffsets({ groupId, topics: [topic] })).toEqual([
      { topic, partitions: [{ partition: 0, offset: '2', metadata: null }] },
    ]);
    const collector = new Collector();
    let consumer = await startConsumer(kafka, groupId, topic, collector);
    expect((await collector.count(2)).map((m) => m.value)).toEqual(['v2', 'v3']);
    await consumer.disconnect();

    await admin.resetOffsets({ groupId, topic, earliest: true });
    const again = new Collector();
    consumer = await startConsumer(kafka, groupId, topic, again);
    expect((await again.count(4)).map((m) => m.value)).toEqual(['v0', 'v1', 'v2', 'v3']);
    await consumer.disconnect();
  });

  it('deletes an empty group with its offsets, and refuses a group in use or unknown', async () => {
    const topic = await topicWith(1, 1);
    const groupId = unique('g');
    const collector = new Collector();
    const consumer = await startConsumer(kafka, groupId, topic, collector);
    await collector.count(1);
    const inUse = await admin.deleteGroups([groupId]).catch((e: unknown) => e);
    expect(inUse).toMatchObject({ name: 'KafkaJSDeleteGroupsError', groups: [{ groupId, errorCode: 68 }] });
    await consumer.disconnect();
    expect(await admin.deleteGroups([groupId])).toEqual([{ groupId, errorCode: 0 }]);
    expect((await admin.describeGroups([groupId])).groups[0]).toMatchObject({ state: 'Dead' });
    expect(await admin.fetchOffsets({ groupId, topics: [topic] })).toEqual([
      { topic, partitions: [{ partition: 0, offset: '-1', metadata: null }] },
    ]);
    const missing = unique('nobody');
    const unknown = await admin.deleteGroups([missing]).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ groups: [{ groupId: missing, errorCode: 69 }] });
  });

  it('describes an unknown group as Dead and fetches its offsets as -1', async () => {
    const groupId = unique('nobody');
    const topic = await topicWith(1, 0);
    expect((await admin.describeGroups([groupId])).groups[0]).toMatchObject({
      groupId,
      state: 'Dead',
      members: [],
    });
    expect(await admin.fetchOffsets({ groupId, topics: [topic] })).toEqual([
      { topic, partitions: [{ partition: 0, offset: '-1', metadata: null }] },
    ]);
  });
});
