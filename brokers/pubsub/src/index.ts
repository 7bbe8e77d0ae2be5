// The embedded Google Cloud Pub/Sub emulator: a grpc-js server for the v1 Publisher and Subscriber services that the
// real @google-cloud/pubsub client talks to through PUBSUB_EMULATOR_HOST (issue #6, research/pubsub-embedded.md).
// One instance per call to `startPubsub`; its state, timers and streams die with `stop()`.
import * as grpc from '@grpc/grpc-js';
import { realClock, type BrokerFactory, type EmbeddedBroker } from '@msgbook/broker-common';
import { PubsubEmulator } from './emulator';
import { inspect } from './inspect';
import { PROFILES } from './limits';
import { pubsubServices } from './protos';
import { publisherService } from './rpc/publisher';
import { subscriberService } from './rpc/subscriber';

export { PubsubEmulator } from './emulator';

// The publisher batches up to 9 MiB (BATCH_LIMITS.maxBytes); grpc-js receives only 4 MiB by default.
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export const startPubsub: BrokerFactory = async (options = {}) => {
  const clock = options.clock ?? realClock;
  const emu = new PubsubEmulator(clock, PROFILES[options.profile ?? 'full']);
  const services = pubsubServices();
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  server.addService(services.publisher, publisherService(emu));
  server.addService(services.subscriber, subscriberService(emu, { pullWaitMs: 1000 }));
  const host = options.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
  let stopped: Promise<void> | undefined;
  const broker: EmbeddedBroker = {
    kind: 'pubsub',
    address: { host, port },
    snapshot: () => inspect(emu),
    subscribe: (listener) => emu.hub.subscribe(listener),
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        emu.shutdown();
        // Not broker time: a grace period in wall-clock time so a stuck call cannot hold shutdown up.
        const force = setTimeout(() => server.forceShutdown(), 2000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      return stopped;
    },
  };
  return broker;
};
