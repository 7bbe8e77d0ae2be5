// The read-only view of one emulator for the web app's broker views and the graders (design.md §6): a JSON-safe
// copy of topics, subscriptions, backlog and outstanding leases, shaped by the shared zod schema.
import type { PubsubSnapshot } from '@msgbook/protocol';
import type { PubsubEmulator } from './emulator';
import { durationMs } from './protos';

export function inspect(emu: PubsubEmulator): PubsubSnapshot {
  return {
    broker: 'pubsub',
    topics: emu.topics.all().map((t) => ({
      name: t.proto.name,
      messageRetentionSeconds: secondsOrNull(durationMs(t.proto.messageRetentionDuration)),
      published: t.published,
    })),
    subscriptions: emu.subscriptions.all().map((s) => {
      const p = s.proto;
      const pending = [...s.pump.pending.values()];
      return {
        name: p.name,
        topic: p.topic,
        ackDeadlineSeconds: p.ackDeadlineSeconds,
        filter: p.filter,
        enableMessageOrdering: p.enableMessageOrdering,
        enableExactlyOnceDelivery: p.enableExactlyOnceDelivery,
        pushEndpoint: p.pushConfig?.pushEndpoint || null,
        deadLetterTopic: p.deadLetterPolicy?.deadLetterTopic ?? null,
        maxDeliveryAttempts: p.deadLetterPolicy?.maxDeliveryAttempts ?? null,
        backlog: pending.filter((m) => !m.acked).length,
        outstanding: pending.flatMap((m) =>
          m.lease
            ? [
                {
                  messageId: m.msg.id,
                  ackId: m.lease.ackId,
                  deadline: m.lease.deadline,
                  deliveryAttempt: m.deliveries,
                  orderingKey: m.msg.orderingKey,
                },
              ]
            : [],
        ),
        deadLettered: s.deadLettered,
        streams: s.pump.consumers.filter((c) => c.id.startsWith('stream-')).length,
      };
    }),
    snapshots: emu.snapshots.all().map((s) => ({ name: s.name, topic: s.topic, expireTime: s.expireTime })),
  };
}

function secondsOrNull(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}
