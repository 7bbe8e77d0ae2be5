// Where a conformance file's @google-cloud/pubsub clients connect: an embedded emulator started in-process for the
// file (on a virtual clock, so deadlines and backoffs take no wall time), or the official emulator at
// MSGBOOK_REAL_PUBSUB when MSGBOOK_TEST_TARGET=real (design.md §2). Also the helpers every scenario shares.
import { randomUUID } from 'node:crypto';
import { PubSub, v1, type Message, type Subscription } from '@google-cloud/pubsub';
import { VirtualClock, type EmbeddedBroker } from '@msgbook/broker-common';
import { startPubsub } from '../src/index';

const DEADLINE_EXCEEDED = 4;

export type TargetKind = 'embedded' | 'real';

export interface Target {
  kind: TargetKind;
  endpoint: string;
  projectId: string;
  pubsub: PubSub;
  subscriber: v1.SubscriberClient;
  publisher: v1.PublisherClient;
  /** The embedded instance (absent against the real target). */
  broker?: EmbeddedBroker;
  /**
   * Lets `ms` of broker time pass: the virtual clock jumps (timers fire in order), the real emulator is given the same
   * wall time. Use it only where time itself is the subject (deadlines, backoff), then wait on what it causes.
   */
  advance(ms: number): Promise<void>;
  /**
   * Resolves at the embedded broker's next change event of one of these kinds (call it before causing the event);
   * against the real target, at once. Lets a test advance the virtual clock only after the broker has acted.
   */
  brokerEvent(...kinds: string[]): Promise<void>;
  stop(): Promise<void>;
}

/** Which target this run uses; known before any test starts, so `it.skipIf` can read it. */
export function targetKind(): TargetKind {
  return process.env.MSGBOOK_TEST_TARGET === 'real' ? 'real' : 'embedded';
}

export async function target(projectId: string): Promise<Target> {
  let broker: EmbeddedBroker | undefined;
  let clock: VirtualClock | undefined;
  let endpoint: string;
  if (targetKind() === 'real') {
    endpoint = process.env.MSGBOOK_REAL_PUBSUB ?? 'localhost:8085';
  } else {
    clock = new VirtualClock(Date.now());
    broker = await startPubsub({ clock });
    endpoint = `${broker.address.host}:${broker.address.port}`;
  }
  const pubsub = new PubSub({ projectId, apiEndpoint: endpoint, emulatorMode: true });
  // The emulator config carries the port as a string; the v1 clients' type wants a number, the runtime takes both.
  const config = (await pubsub.getClientConfig()) as ConstructorParameters<typeof v1.SubscriberClient>[0];
  const subscriber = new v1.SubscriberClient(config);
  const publisher = new v1.PublisherClient(config);
  return {
    kind: broker ? 'embedded' : 'real',
    endpoint,
    projectId,
    pubsub,
    subscriber,
    publisher,
    broker,
    async advance(ms) {
      if (clock) clock.advance(ms);
      else await new Promise((resolve) => setTimeout(resolve, ms));
    },
    brokerEvent(...kinds) {
      if (!broker) return Promise.resolve();
      return new Promise((resolve) => {
        const off = broker!.subscribe((event) => {
          if (!kinds.includes(event.kind)) return;
          off();
          resolve();
        });
      });
    },
    async stop() {
      await Promise.all([subscriber.close(), publisher.close(), pubsub.close()]);
      await broker?.stop();
    },
  };
}

/** A resource id no other test (or earlier run against a shared official emulator) uses. */
export function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** The gRPC status code of a rejected call. */
export async function codeOf(p: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code?: number; details?: string };
    return { code: e.code ?? -1, details: e.details ?? String(err) };
  }
  throw new Error('expected the call to fail');
}

export interface Pulled {
  ackId: string;
  data: string;
  messageId: string;
  attributes: Record<string, string>;
  orderingKey: string;
  deliveryAttempt: number;
  publishTime: number;
}

/** Pulls (unary Pull) until `count` messages arrived or `timeoutMs` of wall time passed; returns what arrived. */
export async function pullN(
  t: Target,
  subscription: string,
  count: number,
  timeoutMs = 15_000,
): Promise<Pulled[]> {
  const out: Pulled[] = [];
  const until = Date.now() + timeoutMs;
  while (out.length < count && Date.now() < until) {
    // The official emulator can hold an empty Pull past a later publish, so each call is kept short and repeated.
    let received;
    try {
      [{ receivedMessages: received }] = await t.subscriber.pull(
        { subscription, maxMessages: count - out.length },
        { timeout: 2000, retry: null },
      );
    } catch (err) {
      if ((err as { code?: number }).code === DEADLINE_EXCEEDED) continue;
      throw err;
    }
    for (const r of received ?? []) {
      const m = r.message!;
      out.push({
        ackId: r.ackId!,
        data: Buffer.from(m.data ?? '').toString(),
        messageId: m.messageId!,
        attributes: { ...(m.attributes ?? {}) },
        orderingKey: m.orderingKey ?? '',
        deliveryAttempt: r.deliveryAttempt ?? 0,
        publishTime:
          Number(m.publishTime?.seconds ?? 0) * 1000 + Math.floor((m.publishTime?.nanos ?? 0) / 1e6),
      });
    }
  }
  return out;
}

/** Pull with return_immediately: what is deliverable right now, without waiting. */
export async function pullNow(t: Target, subscription: string, maxMessages = 100): Promise<string[]> {
  const [res] = await t.subscriber.pull({ subscription, maxMessages, returnImmediately: true });
  return (res.receivedMessages ?? []).map((r) => Buffer.from(r.message?.data ?? '').toString());
}

/** Resolves with the next `count` messages a streaming subscriber receives (none are acked here). */
export function nextMessages(sub: Subscription, count: number, timeoutMs = 15_000): Promise<Message[]> {
  return new Promise((resolve, reject) => {
    const got: Message[] = [];
    const timer = setTimeout(() => {
      sub.off('message', on);
      reject(new Error(`received ${got.length} of ${count} messages`));
    }, timeoutMs);
    const on = (m: Message) => {
      got.push(m);
      if (got.length === count) {
        clearTimeout(timer);
        sub.off('message', on);
        resolve(got);
      }
    };
    sub.on('message', on);
  });
}

/** Creates a topic and a subscription on it with the given options; returns their full names. */
export async function topicWithSub(
  t: Target,
  prefix: string,
  options: Parameters<PubSub['createSubscription']>[2] = {},
): Promise<{ topic: string; sub: string }> {
  const [topic] = await t.pubsub.createTopic(unique(`${prefix}-t`));
  const [sub] = await topic.createSubscription(unique(`${prefix}-s`), options);
  return { topic: topic.name, sub: sub.name };
}
