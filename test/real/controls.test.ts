// The run's control endpoint against real RabbitMQ: a program raises the memory alarm through MSGBOOK_CONTROL_URL
// (the server runs `rabbitmqctl set_vm_memory_high_watermark 0` through MSGBOOK_REAL_AMQP_CTL), sees its publish
// held and connection.blocked, then released when it clears the alarm; a run that leaves it raised does not leave
// RabbitMQ blocking everyone after it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@msgbook/sandbox-server/config';
import { launch } from '@msgbook/sandbox-server/runner/launch';

const program = readFileSync(
  new URL('../../sandbox-server/test/fixtures/programs/memory-alarm.ts', import.meta.url),
  'utf8',
);

async function run(code: string): Promise<{ code: number | null; output: string }> {
  if (!process.env.MSGBOOK_REAL_AMQP_CTL) {
    throw new Error('MSGBOOK_REAL_AMQP_CTL is not set: export it as .ci/run does to reach rabbitmqctl');
  }
  let output = '';
  const handle = await launch(
    { sessionId: 'real-controls', target: 'real', limits: DEFAULT_LIMITS },
    [{ name: 'alarm.ts', code }],
    60_000,
    (stream, data) => {
      if (stream !== 'system') output += data;
    },
  );
  const outcome = await handle.done;
  return { code: outcome.code, output };
}

describe('the memory alarm on real RabbitMQ', () => {
  it('blocks a publisher while raised and releases it when cleared', async () => {
    const { code, output } = await run(program);
    expect(output).toContain('raise: 200 {"raised":true}');
    expect(output).toContain('blocked: low on memory');
    expect(output).toContain('confirmed while raised: false');
    expect(output).toContain('confirmed after clearing: true');
    expect(code).toBe(0);
  }, 90_000);

  it('clears an alarm the run left raised', async () => {
    const first = await run(`process.env.LEAVE_RAISED = '1';\n${program}`);
    expect(first.output).toContain('blocked: low on memory');
    const second = await run(`import amqp from 'amqplib';
      const conn = await amqp.connect(process.env.AMQP_URL!);
      const ch = await conn.createConfirmChannel();
      const { queue } = await ch.assertQueue('', { exclusive: true });
      ch.sendToQueue(queue, Buffer.from('x'));
      await ch.waitForConfirms();
      console.log('confirmed');
      await conn.close();`);
    expect(second.output).toContain('confirmed');
    expect(second.code).toBe(0);
  }, 90_000);
});
