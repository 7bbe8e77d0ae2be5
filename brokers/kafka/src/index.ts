// The embedded Kafka broker: `startKafka` binds a listener on 127.0.0.1 (port 0 = any free one) and advertises exactly
// the bound host:port, since kafkajs dials what Metadata advertises. One node (id 1), every API of protocol/registry.ts.
import { EventHub, realClock, type BrokerFactory, type EmbeddedBroker } from '@msgbook/broker-common';
import type { BrokerSnapshot } from '@msgbook/protocol';
import { snapshot } from './inspect';
import { Listener } from './server/listener';
import { Cluster } from './state/cluster';

/** Per-partition retention: Kafka-like for `msgbook brokers`, a few MB for per-session sandbox instances. */
const RETENTION_BYTES = { full: 64 * 1024 * 1024, small: 4 * 1024 * 1024 } as const;

export const startKafka: BrokerFactory = async (options = {}) => {
  const events = new EventHub();
  const cluster = new Cluster({
    clock: options.clock ?? realClock,
    events,
    retentionBytes: RETENTION_BYTES[options.profile ?? 'full'],
    autoCreateTopics: false,
    defaultPartitions: 1,
  });
  const listener = new Listener(cluster);
  const address = await listener.listen(options.host ?? '127.0.0.1', options.port ?? 0);
  cluster.host = address.host;
  cluster.port = address.port;
  let stopping: Promise<void> | undefined;
  const broker: EmbeddedBroker = {
    kind: 'kafka',
    address,
    snapshot: (): BrokerSnapshot => snapshot(cluster),
    subscribe: (listener) => events.subscribe(listener),
    stop() {
      stopping ??= (async () => {
        cluster.stop();
        await listener.close();
      })();
      return stopping;
    },
  };
  return broker;
};
