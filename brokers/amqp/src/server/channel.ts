// One AMQP channel: lifecycle (`open` → `closing` after a server channel.close, until the client's close-ok),
// content assembly (method → header → body, so a stray frame fails with RabbitMQ's "expected X, got Y"),
// delivery tags, unacked messages, prefetch and the consumers it owns. Methods themselves live in ../methods.
import { AmqpError, fail, replyText } from '../errors';
import { basicMethods, publish } from '../methods/basic';
import { confirmMethods } from '../methods/confirm';
import { exchangeMethods } from '../methods/exchange';
import { queueMethods } from '../methods/queue';
import { dropReplyQueue } from '../methods/reply-to';
import type { Consumer, ConsumerSink, Queue, QueuedMessage } from '../state/queue';
import {
  encodeContent,
  encodeMethod,
  type Frame,
  type Method,
  type MethodName,
  type Props,
  splitId,
} from '../wire/codec';
import type { ClientMethods, ServerMethods } from '../wire/types';
import type { Connection } from './connection';

export type ChannelState = 'open' | 'closing';

/** A method handler: validate, mutate state, reply. Throws AmqpError to close the channel or connection. */
export type Handler<K extends MethodName> = (ch: Channel, fields: ClientMethods[K]) => void;
export type HandlerTable = { [K in MethodName]?: Handler<K> };

const handlers: HandlerTable = { ...exchangeMethods, ...queueMethods, ...basicMethods, ...confirmMethods };

type Assembly =
  | { state: 'idle' }
  | { state: 'awaiting-header'; publish: ClientMethods['BasicPublish'] }
  | {
      state: 'awaiting-body';
      publish: ClientMethods['BasicPublish'];
      props: Props;
      rawProps: Buffer;
      size: number;
      parts: Buffer[];
      received: number;
    };

export interface Unacked {
  tag: number;
  queue: Queue;
  m: QueuedMessage;
  consumer: Consumer | undefined;
}

export class Channel implements ConsumerSink {
  state: ChannelState = 'open';
  private assembly: Assembly = { state: 'idle' };
  private nextTag = 1;
  readonly unacked = new Map<number, Unacked>();
  readonly consumers = new Map<string, Consumer>();
  /** basic.qos global=false: the limit given to consumers created afterwards. */
  consumerPrefetch = 0;
  /** basic.qos global=true: one limit shared by the channel's consumers. */
  globalPrefetch = 0;
  confirm = false;
  publishSeq = 0;
  /** This channel's direct reply-to queue, while it consumes amq.rabbitmq.reply-to. */
  replyQueue: Queue | undefined;
  /** The last queue declared on this channel, which '' stands for in later queue methods. */
  lastQueue: string | undefined;

  constructor(
    readonly id: number,
    readonly conn: Connection,
  ) {}

  get vhost() {
    return this.conn.broker.vhost;
  }

  send<K extends keyof ServerMethods>(name: K, fields: ServerMethods[K]): void {
    this.conn.send(encodeMethod(name, this.id, fields));
  }

  handle(frame: Frame): void {
    if (this.state === 'closing') {
      if (frame.kind !== 'method') return;
      if (frame.method.name === 'ChannelCloseOk') this.conn.forget(this);
      else if (frame.method.name === 'ChannelClose') this.send('ChannelCloseOk', {});
      return;
    }
    const a = this.assembly;
    if (a.state === 'awaiting-header') {
      if (frame.kind !== 'header' || frame.classId !== 60) {
        throw Object.assign(
          fail(505, 'expected content header for class 60, got non content header frame instead'),
          { methodId: this.publishId },
        );
      }
      this.assembly = {
        state: 'awaiting-body',
        publish: a.publish,
        props: frame.props,
        rawProps: Buffer.from(frame.raw),
        size: frame.bodySize,
        parts: [],
        received: 0,
      };
      if (frame.bodySize === 0) this.completePublish();
      return;
    }
    if (a.state === 'awaiting-body') {
      if (frame.kind !== 'body') {
        throw Object.assign(fail(505, 'expected content body, got non content body frame instead'), {
          methodId: this.publishId,
        });
      }
      a.parts.push(Buffer.from(frame.content));
      a.received += frame.content.length;
      if (a.received > a.size) throw fail(501, `content body exceeds declared size ${a.size}`);
      if (a.received === a.size) this.completePublish();
      return;
    }
    if (frame.kind !== 'method') throw fail(505, 'expected method frame, got non method frame instead');
    this.run(frame.method);
  }

  private completePublish(): void {
    const a = this.assembly;
    if (a.state !== 'awaiting-body') return;
    this.assembly = { state: 'idle' };
    const body = a.parts.length === 1 ? a.parts[0]! : Buffer.concat(a.parts);
    this.guard(this.publishId, () => publish(this, a.publish, a.props, a.rawProps, body));
  }

  private readonly publishId = 0x3c0028;

  private run(method: Method): void {
    switch (method.name) {
      case 'ChannelClose':
        this.teardown();
        this.send('ChannelCloseOk', {});
        this.conn.forget(this);
        return;
      case 'ChannelCloseOk':
        return;
      case 'AccessRequest':
        this.send('AccessRequestOk', { ticket: 1 });
        return;
      case 'ChannelFlow':
        if (!method.fields.active) throw fail(540, 'active=false');
        this.send('ChannelFlowOk', { active: true });
        return;
      case 'BasicPublish':
        if (method.fields.immediate) throw fail(540, 'immediate=true');
        this.assembly = { state: 'awaiting-header', publish: method.fields };
        return;
    }
    const handler = handlers[method.name] as Handler<typeof method.name> | undefined;
    if (!handler) throw fail(540, `method ${method.name} not implemented`);
    this.guard(method.id, () => handler(this, method.fields as never));
  }

  /** Runs a handler; a channel-scoped AmqpError closes this channel, anything else goes up to the connection. */
  private guard(methodId: number, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof AmqpError && e.scope === 'channel') this.closeWithError(e, methodId);
      else if (e instanceof AmqpError) throw Object.assign(e, { methodId });
      else throw e;
    }
  }

  closeWithError(e: AmqpError, methodId: number): void {
    const [classId, mId] = splitId(methodId);
    this.teardown();
    this.state = 'closing';
    this.send('ChannelClose', { replyCode: e.code, replyText: replyText(e.text), classId, methodId: mId });
  }

  /** Cancels consumers and requeues unacked messages, as RabbitMQ does when a channel ends for any reason. */
  teardown(): void {
    for (const c of this.consumers.values()) {
      this.conn.broker.emit('consumer-cancelled', c.queue.name, { consumerTag: c.tag, by: 'channel-close' });
      c.queue.removeConsumer(c);
    }
    this.consumers.clear();
    dropReplyQueue(this);
    this.requeueUnacked([...this.unacked.values()]);
    this.unacked.clear();
    this.assembly = { state: 'idle' };
  }

  requeueUnacked(list: Unacked[]): void {
    const byQueue = new Map<Queue, QueuedMessage[]>();
    for (const u of list) {
      if (u.consumer) u.consumer.unacked--;
      const ms = byQueue.get(u.queue) ?? [];
      ms.push(u.m);
      byQueue.set(u.queue, ms);
    }
    for (const [q, ms] of byQueue) q.requeue(ms);
  }

  unackedCount(): number {
    return this.unacked.size;
  }

  canDeliver(c: Consumer): boolean {
    if (this.state !== 'open' || !this.conn.writable()) return false;
    if (c.noAck) return true;
    if (c.prefetch > 0 && c.unacked >= c.prefetch) return false;
    return this.globalPrefetch === 0 || this.unacked.size < this.globalPrefetch;
  }

  deliver(c: Consumer, m: QueuedMessage): void {
    const tag = this.nextTag++;
    if (!c.noAck) {
      c.unacked++;
      this.unacked.set(tag, { tag, queue: c.queue, m, consumer: c });
    }
    const msg = m.msg;
    this.conn.send(
      encodeMethod('BasicDeliver', this.id, {
        consumerTag: c.tag,
        deliveryTag: tag,
        redelivered: m.redelivered,
        exchange: msg.exchange,
        routingKey: msg.routingKey,
      }),
      ...encodeContent(this.id, msg.rawProps, msg.body, this.conn.frameMax),
    );
  }

  /** A basic.get-ok: the message becomes unacked on this channel unless noAck. */
  deliverGet(q: Queue, m: QueuedMessage, noAck: boolean): void {
    const tag = this.nextTag++;
    if (!noAck) {
      this.unacked.set(tag, { tag, queue: q, m, consumer: undefined });
    }
    const msg = m.msg;
    this.conn.send(
      encodeMethod('BasicGetOk', this.id, {
        deliveryTag: tag,
        redelivered: m.redelivered,
        exchange: msg.exchange,
        routingKey: msg.routingKey,
        messageCount: q.ready.length,
      }),
      ...encodeContent(this.id, msg.rawProps, msg.body, this.conn.frameMax),
    );
  }

  cancelledByServer(c: Consumer): void {
    this.consumers.delete(c.tag);
    this.conn.broker.emit('consumer-cancelled', c.queue.name, { consumerTag: c.tag, by: 'queue-deleted' });
    if (this.state === 'open') this.send('BasicCancel', { consumerTag: c.tag, nowait: true });
  }

  /** Lets every queue this channel consumes from try again (after acks or when the socket drains). */
  pumpAll(): void {
    const queues = new Set<Queue>();
    for (const c of this.consumers.values()) queues.add(c.queue);
    for (const q of queues) q.pump();
  }
}
