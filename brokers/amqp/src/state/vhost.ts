// The one virtual host '/': exchanges, queues and bindings, routing (default, direct, fanout, topic, headers,
// exchange-to-exchange, alternate-exchange, CC/BCC) and dead-lettering with RabbitMQ 3.10's `x-death` header.
// Every mutation is synchronous: connections call in from socket handlers, timers from the injected clock.
import type { Clock } from '@msgbook/broker-common';
import { fail, notFound, rs } from '../errors';
import { encodeProps } from '../wire/codec';
import type { Props, Table } from '../wire/types';
import { type DeadLetterReason, type Message, Queue, type QueueHost, type QueuedMessage } from './queue';
import { assertArgs, assertField, parseQueueArgs } from './queue-args';
import { headersMatch, topicMatches, xMatchOf } from './routing';

export const exchangeTypes = ['direct', 'fanout', 'topic', 'headers'] as const;
export type ExchangeType = (typeof exchangeTypes)[number];

export class Exchange {
  readonly bindings: Binding[] = [];
  constructor(
    readonly name: string,
    readonly type: ExchangeType,
    readonly durable: boolean,
    readonly autoDelete: boolean,
    readonly internal: boolean,
    readonly args: Table,
  ) {}
}

export interface Binding {
  source: Exchange;
  destination: Queue | Exchange;
  routingKey: string;
  args: Table;
}

/** A change the vhost reports to the broker's event stream. */
export type VhostChange = (kind: string, subject: string, detail?: Record<string, unknown>) => void;

export class Vhost implements QueueHost {
  readonly exchanges = new Map<string, Exchange>();
  readonly queues = new Map<string, Queue>();
  /** Direct reply-to queues by reply key; private to their channel, so not in `queues`. */
  readonly replyQueues = new Map<string, Queue>();

  /** Body bytes held by all queues, ready or unacked: what the memory alarm watches. */
  heldBytes = 0;

  constructor(
    readonly clock: Clock,
    private readonly changed: VhostChange,
    private readonly onHeld: (total: number) => void = () => {},
  ) {
    const sys: [string, ExchangeType, boolean?][] = [
      ['', 'direct'],
      ['amq.direct', 'direct'],
      ['amq.fanout', 'fanout'],
      ['amq.topic', 'topic'],
      ['amq.headers', 'headers'],
      ['amq.match', 'headers'],
      ['amq.rabbitmq.trace', 'topic', true],
    ];
    for (const [name, type, internal] of sys)
      this.exchanges.set(name, new Exchange(name, type, true, false, !!internal, {}));
  }

  exchange(name: string): Exchange {
    const x = this.exchanges.get(name);
    if (!x) throw notFound('exchange', name);
    return x;
  }

  queue(name: string): Queue {
    const q = this.queues.get(name);
    if (!q) throw notFound('queue', name);
    return q;
  }

  /** exchange.declare, non-passive (rabbit_channel: check type, not default, reserved prefix, equivalence). */
  declareExchange(
    name: string,
    type: string,
    durable: boolean,
    autoDelete: boolean,
    internal: boolean,
    args: Table,
  ) {
    if (!(exchangeTypes as readonly string[]).includes(type))
      throw fail(503, `unknown exchange type '${type}'`);
    if (name === '') throw fail(403, 'operation not permitted on the default exchange');
    let x = this.exchanges.get(name);
    if (!x) {
      if (name.startsWith('amq.'))
        throw fail(403, `exchange name '${name}' contains reserved prefix 'amq.*'`);
      x = new Exchange(name, type as ExchangeType, durable, autoDelete, internal, args);
      this.exchanges.set(name, x);
      this.changed('exchange-declared', name, { type });
    }
    assertField(x.type, type, 'exchange', name, 'type');
    assertField(x.durable, durable, 'exchange', name, 'durable');
    assertField(x.autoDelete, autoDelete, 'exchange', name, 'auto_delete');
    assertField(x.internal, internal, 'exchange', name, 'internal');
    assertArgs(x.args, args, 'exchange', name, ['alternate-exchange']);
  }

  deleteExchange(name: string, ifUnused: boolean): void {
    if (name === '') throw fail(403, 'operation not permitted on the default exchange');
    if (name.startsWith('amq.')) throw fail(403, `deletion of system ${rs('exchange', name)} not allowed`);
    const x = this.exchanges.get(name);
    if (!x) return;
    if (ifUnused && x.bindings.length > 0) throw fail(406, `${rs('exchange', name)} in use`);
    this.removeExchange(x);
  }

  private removeExchange(x: Exchange): void {
    this.exchanges.delete(x.name);
    for (const b of [...x.bindings]) this.removeBinding(b);
    for (const other of this.exchanges.values()) {
      for (const b of other.bindings.filter((b) => b.destination === x)) this.removeBinding(b);
    }
    this.changed('exchange-deleted', x.name);
  }

  /** queue.declare, non-passive, for a queue that does not exist yet (the caller checked the rest). */
  createQueue(
    name: string,
    durable: boolean,
    exclusiveOwner: string | undefined,
    autoDelete: boolean,
    args: Table,
  ) {
    const limits = parseQueueArgs(name, args);
    const q = new Queue(name, durable, autoDelete, exclusiveOwner, args, limits, this);
    this.queues.set(name, q);
    this.changed('queue-declared', name, { durable, exclusive: !!exclusiveOwner, autoDelete });
    return q;
  }

  assertQueueEquivalent(q: Queue, durable: boolean, autoDelete: boolean, args: Table): void {
    assertField(q.durable, durable, 'queue', q.name, 'durable');
    assertField(q.autoDelete, autoDelete, 'queue', q.name, 'auto_delete');
    assertArgs(q.args, args, 'queue', q.name);
  }

  /** Deletes a queue: its bindings go, its consumers are told, its ready messages are dropped (not dead-lettered). */
  deleteQueue(q: Queue): number {
    if (q.deleted) return 0;
    this.queues.delete(q.name);
    for (const x of this.exchanges.values())
      for (const b of x.bindings.filter((b) => b.destination === q)) this.removeBinding(b);
    const n = q.destroy();
    this.changed('queue-deleted', q.name, { messages: n });
    return n;
  }

  autoDelete(q: Queue): void {
    this.deleteQueue(q);
  }

  private dirty = new Set<Queue>();

  countsChanged(q: Queue): void {
    if (this.dirty.size === 0) queueMicrotask(() => this.flushCounts());
    this.dirty.add(q);
  }

  /** One `queue-counts-changed` per queue per turn of the event loop, however many messages moved. */
  private flushCounts(): void {
    const queues = [...this.dirty];
    this.dirty.clear();
    for (const q of queues) {
      if (!q.deleted && this.queues.get(q.name) === q) {
        this.changed('queue-counts-changed', q.name, { ready: q.ready.length, unacked: q.unacked });
      }
    }
  }

  held(delta: number): void {
    this.heldBytes += delta;
    this.onHeld(this.heldBytes);
  }

  bind(source: Exchange, destination: Queue | Exchange, routingKey: string, args: Table): void {
    if (source.type === 'headers') xMatchOf(args);
    const same = source.bindings.find(
      (b) => b.destination === destination && b.routingKey === routingKey && sameTable(b.args, args),
    );
    if (same) return;
    source.bindings.push({ source, destination, routingKey, args });
    this.changed('binding-created', source.name, { destination: destination.name, routingKey });
  }

  unbind(source: Exchange, destination: Queue | Exchange, routingKey: string, args: Table): void {
    const b = source.bindings.find(
      (b) => b.destination === destination && b.routingKey === routingKey && sameTable(b.args, args),
    );
    if (b) this.removeBinding(b);
  }

  private removeBinding(b: Binding): void {
    const list = b.source.bindings;
    const i = list.indexOf(b);
    if (i < 0) return;
    list.splice(i, 1);
    this.changed('binding-deleted', b.source.name, {
      destination: b.destination.name,
      routingKey: b.routingKey,
    });
    if (b.source.autoDelete && list.length === 0 && this.exchanges.get(b.source.name) === b.source) {
      this.removeExchange(b.source);
    }
  }

  /** The queues a message published to `x` with these routing keys reaches. */
  route(x: Exchange, keys: string[], headers: Table | undefined): Set<Queue> {
    const out = new Set<Queue>();
    this.routeInto(x, keys, headers, out, new Set());
    return out;
  }

  private routeInto(
    x: Exchange,
    keys: string[],
    headers: Table | undefined,
    out: Set<Queue>,
    seen: Set<Exchange>,
  ) {
    if (seen.has(x)) return;
    seen.add(x);
    const before = out.size;
    if (x.name === '') {
      for (const k of keys) {
        const q = this.queues.get(k);
        if (q) out.add(q);
      }
    } else {
      for (const b of x.bindings) {
        if (!matches(x.type, b, keys, headers)) continue;
        if (b.destination instanceof Queue) out.add(b.destination);
        else this.routeInto(b.destination, keys, headers, out, seen);
      }
    }
    const ae = x.args['alternate-exchange'];
    if (out.size === before && typeof ae === 'string') {
      const alt = this.exchanges.get(ae);
      if (alt) this.routeInto(alt, keys, headers, out, seen);
    }
  }

  /** rabbit_dead_letter:publish/5 as of 3.10: republish to the DLX with an updated `x-death`. */
  deadLetter(queue: Queue, m: QueuedMessage, reason: DeadLetterReason): void {
    const { deadLetterExchange: dlxName, deadLetterRoutingKey: dlrk } = queue.limits;
    this.changed('message-dead-lettered', queue.name, { reason, exchange: dlxName ?? null });
    if (dlxName === undefined) return;
    const dlx = this.exchanges.get(dlxName);
    if (!dlx) return;
    const msg = m.msg;
    const props: Props = { ...msg.props, headers: { ...(msg.props.headers ?? {}) } };
    const headers = props.headers!;
    // RabbitMQ 3.10 keeps CC on a dead-lettered message (observed); BCC never reaches a queue anyway.
    delete headers.BCC;
    const entry: Table = {
      count: { '!': 'long', value: 1 },
      reason,
      queue: queue.name,
      time: { '!': 'timestamp', value: Math.floor(this.clock.now() / 1000) },
      exchange: msg.exchange,
      'routing-keys': msg.routingKeys,
    };
    if (props.expiration !== undefined) {
      entry['original-expiration'] = props.expiration;
      delete props.expiration;
    }
    // A client may send anything as x-death; only tables can be entries.
    const deaths = (Array.isArray(headers['x-death']) ? headers['x-death'] : []).filter(
      (d): d is Table => !!d && typeof d === 'object' && !Array.isArray(d) && !Buffer.isBuffer(d),
    );
    const i = deaths.findIndex((d) => d.queue === queue.name && d.reason === reason);
    let updated = entry;
    if (i >= 0) {
      const old = deaths[i]!;
      updated = { ...old, count: { '!': 'long', value: countOf(old.count) + 1 } };
    }
    headers['x-death'] = [
      updated,
      ...deaths
        .filter((_, j) => j !== i)
        .map((d) => ({ ...d, count: { '!': 'long', value: countOf(d.count) } })),
    ];
    headers['x-first-death-reason'] ??= reason;
    headers['x-first-death-queue'] ??= queue.name;
    headers['x-first-death-exchange'] ??= msg.exchange;
    const keys = dlrk !== undefined ? [dlrk] : msg.routingKeys;
    const copy: Message = {
      exchange: dlxName,
      routingKey: dlrk ?? msg.routingKey,
      routingKeys: keys,
      props,
      rawProps: encodeProps(props),
      body: msg.body,
    };
    for (const target of this.route(dlx, keys, headers)) {
      // A message dead-lettered back into the queue it died in, for a reason other than a client's reject,
      // would cycle forever; RabbitMQ drops it for that queue.
      if (target === queue && reason !== 'rejected') continue;
      target.publish(copy);
    }
  }
}

function countOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'value' in v) return Number((v as { value: unknown }).value);
  return 0;
}

function sameTable(a: Table, b: Table): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function matches(type: ExchangeType, b: Binding, keys: string[], headers: Table | undefined): boolean {
  switch (type) {
    case 'fanout':
      return true;
    case 'direct':
      return keys.includes(b.routingKey);
    case 'topic':
      return keys.some((k) => topicMatches(b.routingKey, k));
    case 'headers':
      return headersMatch(b.args, headers);
  }
}
