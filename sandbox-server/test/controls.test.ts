// The run's control endpoint on the embedded target: a program raises its session's AMQP memory alarm through
// MSGBOOK_CONTROL_URL and sees connection.blocked, a held publish, then unblocked; a run that exits with the alarm
// raised leaves the broker unblocked for the next run; and malformed requests get clear errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, type RunningServer } from '../src/server';
import { startControls } from '../src/runner/controls';
import { TestClient } from './ws-client';

let server: RunningServer;
const alarmProgram = {
  name: 'memory-alarm.ts',
  code: readFileSync(path.join(import.meta.dirname, 'fixtures', 'programs', 'memory-alarm.ts'), 'utf8'),
};

beforeAll(async () => {
  server = await startServer({
    host: '127.0.0.1',
    port: 0,
    contentRoot: path.join(import.meta.dirname, 'fixtures'),
  });
});
afterAll(() => server?.close());

const session = (id: string) => TestClient.session(server.port, server.token, id);

describe('the memory alarm through MSGBOOK_CONTROL_URL', () => {
  it('blocks publishers while raised and releases them when cleared', async () => {
    const c = await session('control-alarm');
    const { exit, output } = await c.run('a', alarmProgram);
    expect(output).toContain('confirmed before the alarm');
    expect(output).toContain('raise: 200 {"raised":true}');
    expect(output).toMatch(/blocked: \S/);
    expect(output).toContain('confirmed while raised: false');
    expect(output).toContain('clear: 200 {"raised":false}');
    expect(output).toContain('unblocked');
    expect(output).toContain('confirmed after clearing: true');
    expect(exit).toMatchObject({ code: 0 });
    c.close();
  });

  it('clears the alarm a run left raised when the run ends', async () => {
    const c = await session('control-left-raised');
    const leave = {
      name: 'leave.ts',
      code: `process.env.LEAVE_RAISED = '1';\n${alarmProgram.code}`,
    };
    const first = await c.run('leave', leave);
    expect(first.output).toContain('raise: 200 {"raised":true}');
    expect(first.output).toMatch(/blocked: \S/);
    // The same session's broker: a plain publish with a confirm goes through at once.
    const second = await c.run('after', {
      name: 'after.ts',
      code: `import amqp from 'amqplib';
        const conn = await amqp.connect(process.env.AMQP_URL!);
        const ch = await conn.createConfirmChannel();
        const { queue } = await ch.assertQueue('', { exclusive: true });
        ch.sendToQueue(queue, Buffer.from('x'));
        await ch.waitForConfirms();
        console.log('confirmed');
        await conn.close();`,
    });
    expect(second.output).toContain('confirmed');
    expect(second.exit).toMatchObject({ code: 0 });
    c.close();
  });
});

describe('the control endpoint refuses what it does not understand', () => {
  it('answers bad routes, methods, bodies and tokens with a status and a reason', async () => {
    const controls = await startControls({ sessionId: 's', target: 'embedded', fixedEndpoints: false });
    try {
      const post = (suffix: string, body: string, method = 'POST') =>
        fetch(`${controls.url}${suffix}`, { method, body: method === 'GET' ? undefined : body }).then(
          async (r) => ({ status: r.status, error: ((await r.json()) as { error?: string }).error ?? '' }),
        );
      expect(await post('/kafka/anything', '{}')).toMatchObject({
        status: 404,
        error: expect.stringContaining('memory-alarm'),
      });
      expect(await post('/amqp/memory-alarm', '', 'GET')).toMatchObject({ status: 405 });
      expect(await post('/amqp/memory-alarm', 'not json')).toMatchObject({
        status: 400,
        error: expect.stringContaining('JSON'),
      });
      expect(await post('/amqp/memory-alarm', '{"raised":"yes"}')).toMatchObject({ status: 400 });
      expect(
        await post('/amqp/memory-alarm', JSON.stringify({ raised: true, pad: 'x'.repeat(4000) })),
      ).toMatchObject({ status: 413 });
      // Without a broker host there is nothing to raise: a clear reason, not a crash.
      expect(await post('/amqp/memory-alarm', '{"raised":true}')).toMatchObject({ status: 501 });
      const wrongToken = await fetch(controls.url.replace(/\/[0-9a-f]+$/, '/0000') + '/amqp/memory-alarm', {
        method: 'POST',
        body: '{"raised":true}',
      });
      expect(wrongToken.status).toBe(404);
    } finally {
      await controls.close();
    }
  });

  it('tells a program whose broker msgbook does not operate what to do instead', async () => {
    const controls = await startControls({ sessionId: 's', target: 'embedded', fixedEndpoints: true });
    const res = await fetch(`${controls.url}/amqp/memory-alarm`, { method: 'POST', body: '{"raised":true}' });
    expect(res.status).toBe(501);
    expect(((await res.json()) as { error: string }).error).toContain(
      'rabbitmqctl set_vm_memory_high_watermark 0',
    );
    await controls.close();
  });
});
