// Where the conformance suite runs: the real RabbitMQ named by MSGBOOK_REAL_AMQP when MSGBOOK_TEST_TARGET=real,
// otherwise an embedded broker started in this process for the test file. Plus the few helpers every scenario
// uses, so each test reads as amqplib calls and the outcome RabbitMQ gives.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { AmqpBroker } from '../src/broker';

export const isReal = process.env.MSGBOOK_TEST_TARGET === 'real';

export interface Target {
  readonly url: string;
  readonly real: boolean;
  /** The embedded instance, when there is one (for its snapshot and admin surface). */
  readonly broker: AmqpBroker | undefined;
  connect(options?: Record<string, unknown>): Promise<ChannelModel>;
  /**
   * Raises or clears the memory alarm: the embedded broker's admin hook, or on RabbitMQ
   * `set_vm_memory_high_watermark 0 | 0.4` through the command in MSGBOOK_REAL_AMQP_CTL (a shell prefix such as
   * `HOME=… RABBITMQ_NODENAME=… rabbitmqctl -q`). Undefined when the real target has no such command.
   */
  setAlarm: ((on: boolean) => void) | undefined;
  close(): Promise<void>;
}

export async function target(): Promise<Target> {
  const broker = isReal ? undefined : await AmqpBroker.start();
  const url = isReal
    ? (process.env.MSGBOOK_REAL_AMQP ?? 'amqp://guest:guest@localhost:5672')
    : `amqp://guest:guest@127.0.0.1:${broker!.address.port}`;
  const open = new Set<ChannelModel>();
  const ctl = process.env.MSGBOOK_REAL_AMQP_CTL;
  const setAlarm = broker
    ? (on: boolean) => broker.setAlarm(on)
    : ctl
      ? (on: boolean) => {
          execFileSync('sh', ['-c', `${ctl} set_vm_memory_high_watermark ${on ? '0' : '0.4'}`], {
            stdio: 'ignore',
          });
        }
      : undefined;
  return {
    url,
    real: isReal,
    broker,
    setAlarm,
    async connect(options = {}) {
      const c = await amqp.connect(url, options);
      c.on('error', () => {});
      open.add(c);
      c.on('close', () => open.delete(c));
      return c;
    },
    async close() {
      await Promise.all([...open].map((c) => c.close().catch(() => {})));
      if (broker) {
        // Every scenario ends with the embedded broker's memory accounting intact: with all clients gone, the
        // bytes it counts as held are exactly the ready bytes of the queues that remain.
        const ready = [...broker.vhost.queues.values()].reduce((n, q) => n + q.readyBytes, 0);
        if (broker.vhost.heldBytes !== ready) {
          throw new Error(`held bytes ${broker.vhost.heldBytes} != ready bytes ${ready}`);
        }
        await broker.stop();
      }
    },
  };
}

/** A name no other test (or earlier run against the same real broker) uses. */
export function uniq(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** A channel with an error listener, so a channel error is something to assert rather than a crash. */
export async function channel(c: ChannelModel): Promise<Channel> {
  const ch = await c.createChannel();
  ch.on('error', () => {});
  return ch;
}

export async function confirmChannel(c: ChannelModel): Promise<ConfirmChannel> {
  const ch = await c.createConfirmChannel();
  ch.on('error', () => {});
  return ch;
}

/** The code and message of an operation's failure (amqplib's `Error` with `code`), or of its absence. */
export async function failure(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { code?: number };
    return { code: err.code ?? -1, message: err.message };
  }
  return { code: 0, message: 'no error' };
}

/** Resolves with the error an asynchronous channel close (e.g. after a publish) reports. */
export function nextError(emitter: Channel | ChannelModel): Promise<{ code: number; message: string }> {
  return new Promise((resolve) => {
    emitter.once('error', (e: Error & { code?: number }) =>
      resolve({ code: e.code ?? -1, message: e.message }),
    );
  });
}

/** Collects `n` deliveries from a queue in arrival order. */
export async function take(ch: Channel, queue: string, n: number, options: amqp.Options.Consume = {}) {
  const got: amqp.ConsumeMessage[] = [];
  let tag = '';
  await new Promise<void>((resolve, reject) => {
    ch.consume(
      queue,
      (m) => {
        if (!m) return reject(new Error('consumer cancelled by server'));
        got.push(m);
        if (got.length === n) resolve();
      },
      options,
    ).then((ok) => (tag = ok.consumerTag), reject);
  });
  await ch.cancel(tag);
  return got;
}

/** Bodies as strings, for order assertions. */
export const bodies = (ms: { content: Buffer }[]) => ms.map((m) => m.content.toString());
