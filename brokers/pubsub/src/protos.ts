// Loads the Pub/Sub v1 service definitions from the .proto files shipped inside @google-cloud/pubsub itself, so the
// embedded server speaks exactly the wire format of the client it serves. Also types the few messages we build.
// Loader options follow the client's own (int64 as strings, enums as names, unset messages as null).
import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const require = createRequire(import.meta.url);

function protoDirs(): string[] {
  const pubsubRoot = path.dirname(require.resolve('@google-cloud/pubsub/package.json'));
  // google-gax has an exports map, so its package.json cannot be resolved; walk up from its entry point instead.
  const gaxEntry = require.resolve('google-gax', { paths: [pubsubRoot] });
  const gaxRoot = gaxEntry.slice(0, gaxEntry.lastIndexOf(`${path.sep}build${path.sep}`));
  return [path.join(pubsubRoot, 'build', 'protos'), path.join(gaxRoot, 'build', 'protos')];
}

let loaded: { publisher: grpc.ServiceDefinition; subscriber: grpc.ServiceDefinition } | undefined;

/** The Publisher and Subscriber service definitions, loaded once per process (they are immutable). */
export function pubsubServices(): { publisher: grpc.ServiceDefinition; subscriber: grpc.ServiceDefinition } {
  if (loaded) return loaded;
  const def = protoLoader.loadSync('google/pubsub/v1/pubsub.proto', {
    includeDirs: protoDirs(),
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    google: { pubsub: { v1: Record<'Publisher' | 'Subscriber', { service: grpc.ServiceDefinition }> } };
  };
  const subscriber = { ...pkg.google.pubsub.v1.Subscriber.service };
  for (const rpc of ['StreamingPull', 'Pull']) subscriber[rpc] = passBuffers(subscriber[rpc]!);
  loaded = { publisher: pkg.google.pubsub.v1.Publisher.service, subscriber };
  return loaded;
}

/** Lets a handler reply with bytes it encoded itself (rpc/wire.ts); objects still go through the loader's encoder. */
function passBuffers(
  method: grpc.MethodDefinition<unknown, unknown>,
): grpc.MethodDefinition<unknown, unknown> {
  const encode = method.responseSerialize;
  return { ...method, responseSerialize: (value) => (Buffer.isBuffer(value) ? value : encode(value)) };
}

/** google.protobuf.Duration / Timestamp as the loader hands them over (int64 seconds as a string). */
export interface Duration {
  seconds: string | number;
  nanos: number;
}
export type Timestamp = Duration;

export function durationMs(d: Duration | null | undefined): number | null {
  if (!d) return null;
  return Number(d.seconds) * 1000 + Math.floor((d.nanos ?? 0) / 1e6);
}

export function toDuration(ms: number): Duration {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

export const toTimestamp = toDuration;
export const timestampMs = durationMs;

export interface PubsubMessageProto {
  data: Buffer;
  attributes: Record<string, string>;
  messageId: string;
  publishTime: Timestamp | null;
  orderingKey: string;
}

export interface DeadLetterPolicyProto {
  deadLetterTopic: string;
  maxDeliveryAttempts: number;
}

export interface RetryPolicyProto {
  minimumBackoff: Duration | null;
  maximumBackoff: Duration | null;
}

export interface PushConfigProto {
  pushEndpoint: string;
  attributes: Record<string, string>;
  [field: string]: unknown;
}

/** The Subscription fields the emulator reads; the rest are stored and echoed as the client sent them. */
export interface SubscriptionProto {
  name: string;
  topic: string;
  pushConfig: PushConfigProto | null;
  ackDeadlineSeconds: number;
  retainAckedMessages: boolean;
  messageRetentionDuration: Duration | null;
  labels: Record<string, string>;
  enableMessageOrdering: boolean;
  expirationPolicy: { ttl: Duration | null } | null;
  filter: string;
  deadLetterPolicy: DeadLetterPolicyProto | null;
  retryPolicy: RetryPolicyProto | null;
  detached: boolean;
  enableExactlyOnceDelivery: boolean;
  topicMessageRetentionDuration: Duration | null;
  state: string;
  [field: string]: unknown;
}

export interface TopicProto {
  name: string;
  labels: Record<string, string>;
  messageRetentionDuration: Duration | null;
  [field: string]: unknown;
}
