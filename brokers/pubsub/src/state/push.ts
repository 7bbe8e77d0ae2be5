// Push delivery: a subscription with a push endpoint gets a consumer that POSTs each message to it, wrapped in the
// JSON envelope (default) or as the raw body with x-goog-pubsub-* headers (no_wrapper), as in the "push" docs and the
// official emulator (research §5.10). HTTP 102/200/201/202/204 acks; any other answer or a network error is a nack,
// so the retry policy's backoff applies (1 s doubling to 60 s when the subscription sets none). Gaps: OIDC tokens.
import type { Clock } from '@msgbook/broker-common';
import type { SubscriptionProto } from '../protos';
import type { Consumer, Delivery } from './pump';

const ACK_STATUSES = new Set([102, 200, 201, 202, 204]);
/** Requests in flight per push subscription. */
const PUSH_WINDOW = 16;

export interface PushTarget {
  clock: Clock;
  proto(): SubscriptionProto;
  ack(ackId: string): void;
  nack(ackId: string): void;
}

export function pushConsumer(id: string, target: PushTarget): Consumer {
  const inFlight = new AbortController();
  const consumer: Consumer = {
    id,
    maxMessages: PUSH_WINDOW,
    maxBytes: 0,
    ackDeadlineMs: target.proto().ackDeadlineSeconds * 1000,
    outMessages: 0,
    outBytes: 0,
    deliver(batch) {
      consumer.ackDeadlineMs = target.proto().ackDeadlineSeconds * 1000;
      for (const d of batch) void post(d);
    },
    end() {
      inFlight.abort();
    },
  };

  async function post(d: Delivery): Promise<void> {
    const proto = target.proto();
    const endpoint = proto.pushConfig?.pushEndpoint;
    if (!endpoint) return;
    // An endpoint slower than the ack deadline has failed: its request is abandoned when the lease ends.
    const attempt = new AbortController();
    const abandon = target.clock.setTimeout(() => attempt.abort(), consumer.ackDeadlineMs);
    const signal = AbortSignal.any([inFlight.signal, attempt.signal]);
    let ok: boolean;
    try {
      const res = await fetch(endpoint, { method: 'POST', ...request(d, proto), signal });
      await res.arrayBuffer();
      ok = ACK_STATUSES.has(res.status);
    } catch {
      ok = false;
    } finally {
      abandon.cancel();
    }
    if (inFlight.signal.aborted) return;
    if (ok) target.ack(d.ackId);
    else target.nack(d.ackId);
  }

  return consumer;
}

function request(
  d: Delivery,
  proto: SubscriptionProto,
): { headers: Record<string, string>; body: Buffer | string } {
  const m = d.pending.msg;
  const publishTime = new Date(m.publishTime).toISOString();
  const noWrapper = (proto.pushConfig as { noWrapper?: { writeMetadata: boolean } | null } | null)?.noWrapper;
  const deliveryAttempt = proto.deadLetterPolicy ? d.pending.deliveries : undefined;
  if (noWrapper) {
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (noWrapper.writeMetadata) {
      Object.assign(headers, m.attributes, {
        'x-goog-pubsub-message-id': m.id,
        'x-goog-pubsub-publish-time': publishTime,
        'x-goog-pubsub-subscription-name': proto.name,
      });
      if (m.orderingKey) headers['x-goog-pubsub-ordering-key'] = m.orderingKey;
      if (deliveryAttempt !== undefined) headers['x-goog-pubsub-delivery-attempt'] = String(deliveryAttempt);
    }
    return { headers, body: m.data };
  }
  const message: Record<string, unknown> = {
    attributes: m.attributes,
    data: m.data.toString('base64'),
    messageId: m.id,
    message_id: m.id,
    publishTime,
    publish_time: publishTime,
  };
  if (m.orderingKey) message.orderingKey = m.orderingKey;
  const envelope: Record<string, unknown> = { message, subscription: proto.name };
  if (deliveryAttempt !== undefined) envelope.deliveryAttempt = deliveryAttempt;
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(envelope) };
}
