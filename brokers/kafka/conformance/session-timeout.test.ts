// A member that crashes (its process is killed, so no LeaveGroup) keeps its partitions until its session times out;
// then the broker evicts it and the survivor takes them over. The crashed member is a real kafkajs consumer in a
// child process.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Admin, Kafka } from 'kafkajs';
import { Assignments, Collector, FAST } from './consumers';
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
let admin: Admin;
let problems: LoggedProblem[];

beforeAll(async () => {
  t = await target();
  ({ kafka, problems } = clients(t));
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
  await t?.stop();
});

it('evicts a crashed member after its session timeout and hands its partitions to the survivor', async () => {
  const topic = unique('crash');
  const groupId = unique('g');
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const assignments = new Assignments();
  const survivor = assignments.track(kafka.consumer({ ...FAST, groupId }));
  await survivor.connect();
  await survivor.subscribe({ topic, fromBeginning: true });
  await survivor.run({ eachMessage: new Collector().eachMessage });
  await assignments.covering(topic, [survivor], 3);

  const script = fileURLToPath(new URL('./crash-member.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, t.brokers.join(','), groupId, topic], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const lines = createInterface({ input: child.stdout! });
    const childJoined = new Promise<void>((resolve) =>
      lines.on('line', (l) => l.startsWith('joined') && resolve()),
    );
    await childJoined;
    await assignments.until(() => (assignments.of(topic, [survivor])[0]?.length ?? 3) < 3);
    const before = await admin.describeGroups([groupId]);
    expect(before.groups[0]!.members).toHaveLength(2);

    child.kill('SIGKILL');
    const killedAt = Date.now();
    await assignments.covering(topic, [survivor], 3);
    // Not at once, as after a LeaveGroup: only when the session (FAST.sessionTimeout) has run out.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(FAST.sessionTimeout! - 1000);
    const after = await admin.describeGroups([groupId]);
    expect(after.groups[0]!.members).toHaveLength(1);
  } finally {
    child.kill('SIGKILL');
    await survivor.disconnect();
  }
  expect(unexpected(problems, ...REBALANCING)).toEqual([]);
});
