// `msgbook brokers`: the embedded brokers in the foreground on the docker-compose ports, with their full defaults,
// so learners can point their own projects at them. Stops cleanly on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { BrokerKind } from '@msgbook/protocol';
import type { EmbeddedBroker } from '@msgbook/broker-common';
import { brokerFactories } from '../brokers/registry';

/** The docker-compose ports (design.md §2), so a snippet's defaults reach these brokers too. */
export const DEFAULT_PORTS: Record<BrokerKind, number> = { kafka: 9092, amqp: 5672, pubsub: 8085 };

export async function runBrokers(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'kafka-port': { type: 'string' },
      'amqp-port': { type: 'string' },
      'pubsub-port': { type: 'string' },
      only: { type: 'string' },
      host: { type: 'string' },
    },
  });
  const only = values.only
    ? values.only.split(',').map((k) => BrokerKind.parse(k.trim()))
    : BrokerKind.options;
  const host = values.host ?? '127.0.0.1';
  const running: EmbeddedBroker[] = [];
  const stopAll = async () => {
    await Promise.allSettled(running.map((b) => b.stop()));
    process.exit(0);
  };
  process.once('SIGINT', () => void stopAll());
  process.once('SIGTERM', () => void stopAll());
  for (const kind of only) {
    const load = brokerFactories[kind];
    if (!load) {
      console.log(`${kind} is not available as an embedded broker yet`);
      continue;
    }
    const port = Number(values[`${kind}-port`] ?? DEFAULT_PORTS[kind]);
    let broker: EmbeddedBroker;
    try {
      broker = await (await load())({ host, port, profile: 'full' });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      console.error(
        e.code === 'EADDRINUSE'
          ? `${kind}: port ${port} on ${host} is already in use (a real broker, or another msgbook brokers?); ` +
              `stop it, or pick another port with --${kind}-port`
          : `${kind}: could not start: ${e.message}`,
      );
      await Promise.allSettled(running.map((b) => b.stop()));
      process.exit(1);
    }
    running.push(broker);
    console.log(`${kind} listening on ${broker.address.host}:${broker.address.port}`);
  }
  if (running.length === 0) process.exit(1);
}
