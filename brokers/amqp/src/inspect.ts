// The read-only view of an embedded AMQP broker (design.md §6, schema in @msgbook/protocol's inspect/amqp.ts):
// exchanges, bindings, queues with ready/unacked counts, consumers with their prefetch, dead-letter links.
import type { AmqpSnapshot } from '@msgbook/protocol';
import type { AmqpBroker } from './broker';
import { Queue } from './state/queue';

/** JSON-safe copy of an AMQP table: Buffers become strings, typed values their plain value. */
function plain(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    if ('!' in v && 'value' in v) return plain((v as { value: unknown }).value);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

function table(t: Record<string, unknown>): Record<string, unknown> {
  return plain(t) as Record<string, unknown>;
}

export function snapshotOf(broker: AmqpBroker): AmqpSnapshot {
  const { vhost } = broker;
  const connOf = new Map<object, { conn: string; channel: number; prefetchGlobal: number }>();
  for (const c of broker.connections) {
    for (const ch of c.channels.values())
      connOf.set(ch, { conn: c.id, channel: ch.id, prefetchGlobal: ch.globalPrefetch });
  }
  const exchanges = [...vhost.exchanges.values()].map((x) => ({
    vhost: '/',
    name: x.name,
    type: x.type,
    durable: x.durable,
    autoDelete: x.autoDelete,
    internal: x.internal,
    arguments: table(x.args),
  }));
  const bindings = [...vhost.exchanges.values()].flatMap((x) =>
    x.bindings.map((b) => ({
      vhost: '/',
      source: x.name,
      destination: b.destination.name,
      destinationType: b.destination instanceof Queue ? ('queue' as const) : ('exchange' as const),
      routingKey: b.routingKey,
      arguments: table(b.args),
    })),
  );
  const queues = [...vhost.queues.values()].map((q) => ({
    vhost: '/',
    name: q.name,
    durable: q.durable,
    exclusive: q.owner !== undefined,
    autoDelete: q.autoDelete,
    arguments: table(q.args),
    ready: q.ready.length,
    unacked: q.unacked,
    readyBytes: q.readyBytes,
    consumers: q.consumers.map((c) => {
      const where = connOf.get(c.sink);
      return {
        consumerTag: c.tag,
        connection: where?.conn ?? '',
        channel: where?.channel ?? 0,
        prefetch: c.prefetch,
        unacked: c.unacked,
        noAck: c.noAck,
        exclusive: c.exclusive,
      };
    }),
    ...(q.limits.deadLetterExchange !== undefined ? { deadLetterExchange: q.limits.deadLetterExchange } : {}),
    ...(q.limits.deadLetterRoutingKey !== undefined
      ? { deadLetterRoutingKey: q.limits.deadLetterRoutingKey }
      : {}),
  }));
  const connections = [...broker.connections].map((c) => ({
    name: c.id,
    channels: c.channels.size,
    blocked: c.blocked,
  }));
  return {
    broker: 'amqp',
    exchanges,
    bindings,
    queues,
    connections,
    memoryAlarm: broker.alarm,
    memory: { used: vhost.heldBytes, limit: broker.memoryLimit },
  };
}
