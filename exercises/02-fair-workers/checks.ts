// Trusted checks of 02-fair-workers: each check runs the learner's worker twice against a tasks queue of its own,
// each copy with its own work service (one fast, one slow or stuck), publishes the tasks itself, and judges what
// the work services were asked to do and what the broker holds once the workers are stopped.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import amqp from 'amqplib';
import { defineChecks, type CheckContext, type LearnerProgram } from '@msgbook/sandbox-server/grading/api';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', () => resolve(body));
  });
}

/** A work service: records the task of each POST /work, then answers 200 once `delay(task)` has resolved. */
async function workService(t: CheckContext, delay: (task: string) => Promise<void>) {
  const tasks: string[] = [];
  const service = await t.httpService(async (req, res) => {
    const body = await readBody(req);
    let task = body;
    try {
      task = String((JSON.parse(body) as { taskId?: unknown }).taskId ?? body);
    } catch {
      // not JSON: counted as it is
    }
    tasks.push(task);
    await delay(task);
    res.writeHead(200).end('done');
  });
  return { url: service.url, tasks };
}
const after = (ms: number) => () => new Promise<void>((r) => setTimeout(r, ms));

interface Pool {
  queue: string;
  connection: amqp.ChannelModel;
  programs: LearnerProgram[];
  publish(n: number): Promise<string[]>;
  /** Tasks ready in the queue (not counting those held unacked by a worker). */
  ready(): Promise<number>;
}

/** A fresh durable queue, the learner's worker started once per work service, both subscribed before it returns. */
async function startPool(t: CheckContext, services: { url: string }[]): Promise<Pool> {
  const queue = `patterns.ex02.tasks.${randomBytes(4).toString('hex')}`;
  const connection = await amqp.connect(t.endpoints.AMQP_URL);
  connection.on('error', () => {});
  const ch = await connection.createConfirmChannel();
  await ch.assertQueue(queue, { durable: true });
  t.cleanup(async () => {
    await ch.deleteQueue(queue).catch(() => undefined);
    await connection.close().catch(() => undefined);
  });
  const programs: LearnerProgram[] = [];
  for (const s of services) programs.push(await t.start({ env: { TASKS_QUEUE: queue, WORK_URL: s.url } }));
  let consumers = 0;
  await t
    .waitFor(
      async () => (consumers = (await ch.checkQueue(queue)).consumerCount) >= services.length,
      10_000,
      '',
    )
    .catch(() =>
      t.fail(
        `started ${services.length} workers; after 10 s the queue ${queue} had ${consumers} consumer(s). ` +
          `Output of the first: ${programs[0]!.output().slice(-300)}`,
      ),
    );
  return {
    queue,
    connection,
    programs,
    async publish(n) {
      const ids = Array.from({ length: n }, (_, i) => `task-${i + 1}`);
      for (const id of ids)
        ch.sendToQueue(queue, Buffer.from(JSON.stringify({ taskId: id })), { persistent: true });
      await ch.waitForConfirms();
      return ids;
    },
    async ready() {
      return (await ch.checkQueue(queue)).messageCount;
    },
  };
}

/** Waits until every task has reached one of the work services, or fails naming the ones that did not. */
async function waitAllDone(
  t: CheckContext,
  ids: string[],
  services: { tasks: string[] }[],
  ms: number,
  why: string,
) {
  const done = () => new Set(services.flatMap((s) => s.tasks));
  await t
    .waitFor(() => ids.every((id) => done().has(id)), ms, '')
    .catch(() => {
      const missing = ids.filter((id) => !done().has(id));
      t.fail(
        `published ${ids.length} tasks; after ${ms / 1000} s, ${missing.length} had never reached a work service ` +
          `(${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}). ${why}`,
      );
    });
}

export default defineChecks({
  checks: [
    {
      name: 'does every task exactly once, and acks each one',
      timeLimit: '40s',
      async run(t: CheckContext) {
        const services = [await workService(t, after(30)), await workService(t, after(30))];
        const pool = await startPool(t, services);
        const ids = await pool.publish(10);
        await waitAllDone(
          t,
          ids,
          services,
          6000,
          'A worker that does not ack its task is not given another one once its prefetch limit is reached.',
        );
        await new Promise((r) => setTimeout(r, 500)); // a task done twice may trail behind
        const all = services.flatMap((s) => s.tasks);
        const twice = ids.filter((id) => all.filter((x) => x === id).length > 1);
        t.assert(
          twice.length === 0,
          `each task should be done once; done more than once: ${twice.join(', ')}`,
        );
        for (const p of pool.programs) await p.stop();
        // Stopping the workers closes their connections: whatever they held unacked goes back to the queue.
        let back = 0;
        await t.waitFor(async () => (back = await pool.ready()) > 0, 1500, '').catch(() => undefined);
        t.assert(
          back === 0,
          `all ${ids.length} tasks were done, but when the workers stopped, ${back} of them went back to the queue: ` +
            'they had never been acked, so the broker would have them done again',
        );
      },
    },
    {
      name: 'the fast worker does most of the tasks while the other one is slow',
      timeLimit: '40s',
      async run(t: CheckContext) {
        const fast = await workService(t, after(40));
        const slow = await workService(t, after(800));
        await startPool(t, [fast, slow]).then(async (pool) => {
          const ids = await pool.publish(20);
          await waitAllDone(t, ids, [fast, slow], 10_000, 'Are both workers consuming and acking?');
        });
        t.assert(
          slow.tasks.length <= 4,
          `20 tasks; the work service takes 40 ms a task for one worker and 800 ms for the other. The slow worker ` +
            `was given ${slow.tasks.length} of them and the fast one ${fast.tasks.length}` +
            (slow.tasks.length >= 8
              ? ': the broker dealt them out in turn, as if both were equally fast'
              : ': it still took more than its share') +
            '. A worker should get a new task only when it has finished the last one',
        );
      },
    },
    {
      name: 'a task whose worker dies halfway through is done by the other worker',
      timeLimit: '40s',
      async run(t: CheckContext) {
        // The stuck service never answers: its worker is stopped while it waits, in the middle of the task.
        let release = () => {};
        const released = new Promise<void>((r) => (release = r));
        t.cleanup(release);
        const fast = await workService(t, after(30));
        const stuck = await workService(t, () => released);
        const pool = await startPool(t, [fast, stuck]);
        const ids = await pool.publish(6);
        await t.waitFor(() => stuck.tasks.length > 0, 10_000, 'the stuck worker was never given a task');
        const held = stuck.tasks[0]!;
        await pool.programs[1]!.stop();
        release();
        await waitAllDone(
          t,
          ids,
          [fast],
          6000,
          `The worker that was stopped had started ${held}. A task it had not acked would have gone back to the ` +
            'queue when its connection closed; a task acked before its work was done is gone with it',
        );
      },
    },
  ],
});
