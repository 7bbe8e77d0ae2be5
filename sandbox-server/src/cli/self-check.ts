// Checked once at start (design.md §4): a confined child can load the three client libraries and open a TCP
// connection to a local port. Returns what is wrong, or undefined when all is well.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startRun } from '../runner/run';
import { DEFAULT_LIMITS, REPO_ROOT } from '../config';

export async function selfCheck(): Promise<string | undefined> {
  const listener = createServer((s) => s.end());
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
  const port = (listener.address() as AddressInfo).port;
  const source = `
    import { Kafka } from 'kafkajs';
    import amqp from 'amqplib';
    import { PubSub } from '@google-cloud/pubsub';
    import net from 'node:net';
    if (typeof Kafka !== 'function' || typeof amqp.connect !== 'function' || typeof PubSub !== 'function') throw new Error('a client library did not load');
    await new Promise((resolve, reject) => net.connect(${port}, '127.0.0.1', resolve).on('error', reject));
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
    return `a confined node could not load the client libraries or reach a local port (exit ${outcome.code ?? outcome.reason}):\n${out.slice(0, 2000)}`;
  } finally {
    listener.close();
  }
}
