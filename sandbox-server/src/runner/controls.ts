// A run's control endpoint (MSGBOOK_CONTROL_URL): a small HTTP server on 127.0.0.1, one per run under a random
// path, for what a program may ask of its brokers that no client library can do, such as raising RabbitMQ's
// memory alarm to watch `connection.blocked` (chapter 06). On the embedded target the broker host passes the
// action to the session's instance; on the real target the server runs the rabbitmqctl command it was given in
// MSGBOOK_REAL_AMQP_CTL. Whatever a run raised is cleared when it ends, so no run leaves a broker blocked.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryAlarmBody, type Target } from '@msgbook/protocol';
import type { BrokerHost } from '../brokers/host';

export interface RunControls {
  /** What the program receives as MSGBOOK_CONTROL_URL. */
  readonly url: string;
  /** Clears what the run raised, then stops listening. */
  close(): Promise<void>;
}

export interface ControlsContext {
  sessionId: string;
  target: Target;
  host?: BrokerHost;
  /** The caller fixed the endpoints (AMQP_URL & co.): msgbook does not operate those brokers. */
  fixedEndpoints: boolean;
  /** The shell prefix that runs rabbitmqctl against the real broker; default MSGBOOK_REAL_AMQP_CTL. */
  rabbitmqctl?: string;
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const BODY_LIMIT = 1024;
const OUTSIDE =
  'Outside msgbook, raise it with `rabbitmqctl set_vm_memory_high_watermark 0` and clear it with ' +
  '`rabbitmqctl set_vm_memory_high_watermark 0.4`.';

export async function startControls(ctx: ControlsContext): Promise<RunControls> {
  const token = randomBytes(12).toString('hex');
  let alarmRaised = false;
  let queue: Promise<unknown> = Promise.resolve();
  /** Operations run one at a time, in the order they were asked. */
  const serial = <T>(op: () => Promise<T>): Promise<T> => {
    const next = queue.then(op, op);
    queue = next.catch(() => undefined);
    return next;
  };
  const setAlarm = (raised: boolean) =>
    serial(async () => {
      await memoryAlarm(ctx, raised);
      alarmRaised = raised;
    });

  const server = createServer((req, res) => {
    handle(req, token, setAlarm).then(
      (body) => reply(res, 200, body),
      (err: Error) => reply(res, err instanceof ControlError ? err.status : 500, { error: err.message }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${token}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await serial(async () => {
        if (alarmRaised) await memoryAlarm(ctx, false).catch(() => undefined);
        alarmRaised = false;
      });
    },
  };
}

async function handle(
  req: IncomingMessage,
  token: string,
  setAlarm: (raised: boolean) => Promise<void>,
): Promise<object> {
  const url = new URL(req.url ?? '/', 'http://control');
  const [, given, ...route] = url.pathname.split('/');
  if (given !== token) throw new ControlError(404, 'not found');
  const path = route.join('/');
  if (path !== 'amqp/memory-alarm') {
    throw new ControlError(404, `no control ${JSON.stringify(path)}; there is POST …/amqp/memory-alarm`);
  }
  if (req.method !== 'POST')
    throw new ControlError(405, 'use POST with {"raised": true} or {"raised": false}');
  const text = await readBody(req);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ControlError(400, 'the body must be JSON: {"raised": true} or {"raised": false}');
  }
  const body = MemoryAlarmBody.safeParse(json);
  if (!body.success) throw new ControlError(400, 'the body must be {"raised": true} or {"raised": false}');
  await setAlarm(body.data.raised);
  return { raised: body.data.raised };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > BODY_LIMIT) {
        reject(new ControlError(413, `the body is larger than ${BODY_LIMIT} bytes`));
        req.removeAllListeners('data');
        req.resume(); // read the rest and drop it, so the answer reaches the caller
      }
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: object): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function memoryAlarm(ctx: ControlsContext, raised: boolean): Promise<void> {
  if (ctx.fixedEndpoints) {
    throw new ControlError(501, `msgbook does not operate the broker given in AMQP_URL. ${OUTSIDE}`);
  }
  if (ctx.target === 'embedded') {
    if (!ctx.host) throw new ControlError(501, 'no broker host is running for the embedded target');
    try {
      await ctx.host.control(ctx.sessionId, 'amqp', { action: 'memory-alarm', raised });
    } catch (err) {
      throw new ControlError(409, `${(err as Error).message} (a program that imports amqplib gets one)`);
    }
    return;
  }
  const ctl = ctx.rabbitmqctl ?? process.env.MSGBOOK_REAL_AMQP_CTL;
  if (!ctl) {
    throw new ControlError(
      501,
      `this msgbook was started without MSGBOOK_REAL_AMQP_CTL, so it cannot run rabbitmqctl. ${OUTSIDE}`,
    );
  }
  await new Promise<void>((resolve, reject) =>
    execFile(
      'sh',
      ['-c', `${ctl} set_vm_memory_high_watermark ${raised ? '0' : '0.4'}`],
      { timeout: 20_000 },
      (err, _stdout, stderr) =>
        err
          ? reject(new ControlError(502, `rabbitmqctl failed: ${stderr.trim() || err.message}`))
          : resolve(),
    ),
  );
}
