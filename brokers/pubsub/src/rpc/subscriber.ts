// google.pubsub.v1.Subscriber: subscription admin, Pull, StreamingPull, Acknowledge, ModifyAckDeadline. A stream is a
// Consumer of its subscription's pump; it ends with NOT_FOUND when the subscription is deleted and UNAVAILABLE on
// shutdown, never with OK (the client reports OK as an error, research §2). Acks are accepted in-stream too.
import { status, type ServerDuplexStream, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Clock } from '@msgbook/broker-common';
import type { PubsubEmulator } from '../emulator';
import { invalidArgument, RpcError, toServiceError } from '../errors';
import { timestampMs, type PushConfigProto, type SubscriptionProto, type Timestamp } from '../protos';
import { snapshotProto } from '../state/snapshots';
import type { Consumer, Delivery } from '../state/pump';
import type { SubscriptionState } from '../state/subscriptions';
import { page, unary } from './unary';
import { encodeMessage, encodeReceived, type OutgoingMessage } from './wire';

interface StreamingPullRequest {
  subscription: string;
  ackIds: string[];
  modifyDeadlineSeconds: number[];
  modifyDeadlineAckIds: string[];
  streamAckDeadlineSeconds: number;
  maxOutstandingMessages: string;
  maxOutstandingBytes: string;
}

interface PullRequest {
  subscription: string;
  returnImmediately: boolean;
  maxMessages: number;
}

export interface SubscriberOptions {
  /** How long a Pull with nothing to deliver waits for a message before answering empty (on the emulator's clock). */
  pullWaitMs: number;
}

export function subscriberService(
  emu: PubsubEmulator,
  options: SubscriberOptions,
): UntypedServiceImplementation {
  let consumerSeq = 0;
  return {
    CreateSubscription: unary((req: SubscriptionProto) => emu.createSubscription(req).proto),
    GetSubscription: unary((req: { subscription: string }) => emu.subscriptions.get(req.subscription).proto),
    DeleteSubscription: unary((req: { subscription: string }) => {
      emu.deleteSubscription(req.subscription);
      return {};
    }),
    UpdateSubscription: unary(
      (req: { subscription: SubscriptionProto; updateMask: { paths: string[] } | null }) => {
        if (!req.subscription) throw invalidArgument('The subscription is required.');
        return emu.updateSubscription(req.subscription, req.updateMask?.paths ?? []).proto;
      },
    ),
    ModifyPushConfig: unary((req: { subscription: string; pushConfig: PushConfigProto | null }) => {
      const s = emu.subscriptions.get(req.subscription);
      emu.updateSubscription({ ...s.proto, pushConfig: req.pushConfig }, ['push_config']);
      return {};
    }),
    CreateSnapshot: unary((req: { name: string; subscription: string; labels: Record<string, string> }) =>
      snapshotProto(emu.createSnapshot(req.name, req.subscription, req.labels)),
    ),
    GetSnapshot: unary((req: { snapshot: string }) => snapshotProto(emu.snapshots.get(req.snapshot))),
    UpdateSnapshot: unary(
      (req: {
        snapshot: { name: string; labels: Record<string, string> | null } | null;
        updateMask: { paths: string[] } | null;
      }) => {
        if (!req.snapshot) throw invalidArgument('The snapshot is required.');
        return snapshotProto(emu.snapshots.update(req.snapshot, req.updateMask?.paths ?? []));
      },
    ),
    DeleteSnapshot: unary((req: { snapshot: string }) => {
      emu.snapshots.delete(req.snapshot);
      return {};
    }),
    ListSnapshots: unary((req: { project: string; pageSize: number; pageToken: string }) => {
      const { items, nextPageToken } = page(emu.snapshots.list(req.project), req.pageSize, req.pageToken);
      return { snapshots: items.map(snapshotProto), nextPageToken };
    }),
    Seek: unary((req: { subscription: string; time: Timestamp | null; snapshot: string; target: string }) => {
      if (req.target === 'snapshot') emu.seekToSnapshot(req.subscription, req.snapshot);
      else if (req.target === 'time' && req.time) emu.seekToTime(req.subscription, timestampMs(req.time)!);
      else throw invalidArgument('A seek target (time or snapshot) is required.');
      return {};
    }),
    ListSubscriptions: unary((req: { project: string; pageSize: number; pageToken: string }) => {
      const { items, nextPageToken } = page(emu.subscriptions.list(req.project), req.pageSize, req.pageToken);
      return { subscriptions: items.map((s) => s.proto), nextPageToken };
    }),
    Acknowledge: unary((req: { subscription: string; ackIds: string[] }) => {
      emu.acknowledge(req.subscription, req.ackIds ?? []);
      return {};
    }),
    ModifyAckDeadline: unary(
      (req: { subscription: string; ackIds: string[]; ackDeadlineSeconds: number }) => {
        emu.modifyAckDeadline(req.subscription, req.ackIds ?? [], req.ackDeadlineSeconds);
        return {};
      },
    ),
    Pull: (
      call: { request: PullRequest; on(e: 'cancelled', f: () => void): void },
      callback: PullCallback,
    ) => {
      pull(emu, options, `pull-${++consumerSeq}`, call, callback);
    },
    StreamingPull: (call: ServerDuplexStream<StreamingPullRequest, unknown>) => {
      streamingPull(emu, `stream-${++consumerSeq}`, call);
    },
  };
}

type PullCallback = (err: ReturnType<typeof toServiceError> | null, value?: unknown) => void;

function pull(
  emu: PubsubEmulator,
  options: SubscriberOptions,
  id: string,
  call: { request: PullRequest; on(e: 'cancelled', f: () => void): void },
  callback: PullCallback,
): void {
  const req = call.request;
  let done = false;
  let sub: SubscriptionState | undefined;
  const finish = (err: ReturnType<typeof toServiceError> | null, batch: Delivery[] = []) => {
    if (done) return;
    done = true;
    timer?.cancel();
    if (sub) emu.detach(sub, consumer);
    if (err) callback(err);
    else callback(null, encodeReceived(outgoing(batch, sub!)));
  };
  const consumer: Consumer = {
    id,
    maxMessages: req.maxMessages > 0 ? Math.min(req.maxMessages, 1000) : 1000,
    maxBytes: 0,
    ackDeadlineMs: 0,
    outMessages: 0,
    outBytes: 0,
    deliver: (batch) => finish(null, batch),
    end: (code, details) => finish({ code, details }),
  };
  let timer: ReturnType<Clock['setTimeout']> | undefined;
  try {
    if (req.maxMessages < 0) throw invalidArgument('max_messages must be positive');
    sub = emu.subscriptions.get(req.subscription);
    consumer.ackDeadlineMs = sub.proto.ackDeadlineSeconds * 1000;
    emu.attach(req.subscription, consumer);
  } catch (err) {
    finish(toServiceError(err));
    return;
  }
  call.on('cancelled', () => finish({ code: status.CANCELLED, details: 'Cancelled' }));
  // The pump's pass is queued with setImmediate; a later setImmediate runs after it, so "immediately" means
  // "whatever one pass can deliver now".
  if (req.returnImmediately) setImmediate(() => finish(null));
  else timer = emu.clock.setTimeout(() => finish(null), options.pullWaitMs);
}

function streamingPull(
  emu: PubsubEmulator,
  id: string,
  call: ServerDuplexStream<StreamingPullRequest, unknown>,
): void {
  let sub: SubscriptionState | undefined;
  let ended = false;
  const consumer: Consumer = {
    id,
    maxMessages: 0,
    maxBytes: 0,
    ackDeadlineMs: 10_000,
    outMessages: 0,
    outBytes: 0,
    deliver: (batch) => {
      if (ended || !sub) return;
      call.write(
        encodeReceived(outgoing(batch, sub), {
          exactlyOnce: sub.proto.enableExactlyOnceDelivery,
          ordering: sub.proto.enableMessageOrdering,
        }),
      );
    },
    end: (code, details) => fail({ code, details }),
  };
  const detach = () => {
    if (sub) emu.detach(sub, consumer);
  };
  const fail = (err: ReturnType<typeof toServiceError>) => {
    if (ended) return;
    ended = true;
    detach();
    call.emit('error', err);
  };
  call.on('data', (req: StreamingPullRequest) => {
    if (ended) return;
    try {
      if (!sub) {
        const deadline = req.streamAckDeadlineSeconds;
        if (deadline < 10 || deadline > 600) {
          throw invalidArgument(
            `Invalid stream ack deadline given: ${deadline}. Must be between 10 and 600 seconds.`,
          );
        }
        Object.assign(consumer, {
          ackDeadlineMs: deadline * 1000,
          maxMessages: Number(req.maxOutstandingMessages) || 0,
          maxBytes: Number(req.maxOutstandingBytes) || 0,
        });
        sub = emu.attach(req.subscription, consumer);
        return;
      }
      if (req.streamAckDeadlineSeconds >= 10 && req.streamAckDeadlineSeconds <= 600) {
        consumer.ackDeadlineMs = req.streamAckDeadlineSeconds * 1000;
      }
      const modIds = req.modifyDeadlineAckIds ?? [];
      if (modIds.length !== (req.modifyDeadlineSeconds ?? []).length) {
        throw invalidArgument(
          'modify_deadline_ack_ids and modify_deadline_seconds must have the same length',
        );
      }
      const name = sub.proto.name;
      if (req.ackIds?.length) keepStreamOnStaleIds(() => emu.acknowledge(name, req.ackIds));
      modIds.forEach((ackId, i) =>
        keepStreamOnStaleIds(() => emu.modifyAckDeadline(name, [ackId], req.modifyDeadlineSeconds[i]!)),
      );
    } catch (err) {
      fail(toServiceError(err));
    }
  });
  call.on('cancelled', () => {
    ended = true;
    detach();
  });
  call.on('end', () => {
    // The client half-closed: it wants no more messages. UNAVAILABLE lets a client that reconnects do so quietly.
    fail({ code: status.UNAVAILABLE, details: 'The stream was closed by the client.' });
  });
}

/**
 * In-stream acks of stale ids on an exactly-once subscription fail only those ids (the stream's acknowledge
 * confirmations, not sent (README, Gaps), would report them); they never end the stream.
 */
function keepStreamOnStaleIds(apply: () => void): void {
  try {
    apply();
  } catch (err) {
    if (!(err instanceof RpcError && err.metadata)) throw err;
  }
}

/** The batch as the wire encoder takes it; each message is encoded once and cached on the stored message. */
function outgoing(batch: Delivery[], sub: SubscriptionState): OutgoingMessage[] {
  const dlq = Boolean(sub.proto.deadLetterPolicy);
  return batch.map((d) => {
    const m = d.pending.msg;
    return {
      ackId: d.ackId,
      message: (m.wire ??= encodeMessage(m)),
      deliveryAttempt: dlq ? d.pending.deliveries : 0,
    };
  });
}
