// Checked once at start (design.md §4): a confined child can load the three client libraries and open a TCP
// connection to an embedded broker's port. Returns what is wrong, or undefined when all is well.
import path from 'node:path';
import type { BrokerHost } from '../brokers/host';
import { startRun } from '../runner/run';
import { DEFAULT_LIMITS, REPO_ROOT } from '../config';

export async function selfCheck(host: BrokerHost): Promise<string | undefined> {
  const session = `self-check-${process.pid}`;
  const { instances, failed } = await host.ensure(session, ['amqp']);
  if (!instances.amqp) return `the embedded AMQP broker did not start: ${failed.amqp ?? 'no reason given'}`;
  const { host: brokerHost, port } = instances.amqp;
  const source = `
    import { Kafka } from 'kafkajs';
    import amqp from 'amqplib';
    import { PubSub } from '@google-cloud/pubsub';
    import net from 'node:net';
    if (typeof Kafka !== 'function' || typeof amqp.connect !== 'function' || typeof PubSub !== 'function') throw new Error('a client library did not load');
    await new Promise((resolve, reject) => {
      const socket = net.connect(${port}, '${brokerHost}', () => { socket.destroy(); resolve(undefined); });
      socket.on('error', reject);
    });
    console.log('ok');`;
  let out = '';
  try {
    const run = startRun(
      {
        files: [{ name: 'self-check.ts', code: source }],
        timeLimitMs: 20_000,
        limits: DEFAULT_LIMITS,
        env: {},
        runRoot: path.join(REPO_ROOT, '.msgbook', 'runs'),
        nodeModules: path.join(REPO_ROOT, 'node_modules'),
      },
      (_s, d) => (out += d),
    );
    const outcome = await run.done;
    if (outcome.code === 0 && out.includes('ok')) return undefined;
    return `a confined node could not load the client libraries or reach the embedded AMQP broker (exit ${outcome.code ?? outcome.reason}):\n${out.slice(0, 2000)}`;
  } finally {
    await host.release(session).catch(() => undefined);
  }
}
