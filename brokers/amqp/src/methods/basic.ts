// basic.* (class 60): qos, consume, cancel, publish, get, ack, nack, reject, recover. Texts and codes follow
// RabbitMQ 3.10.8 as observed with amqplib (see conformance/). Publisher confirms and basic.return are sent here,
// the return before the ack, as RabbitMQ orders them.
import { randomBytes } from 'node:crypto';
import { fail, rs } from '../errors';
import type { Channel, HandlerTable, Unacked } from '../server/channel';
import type { Consumer, Message } from '../state/queue';
import { encodeContent, encodeMethod, encodeProps } from '../wire/codec';
import type { ClientMethods, Props } from '../wire/types';
import { dropReplyQueue, REPLY_TO, replyQueueFor, rewriteReplyTo } from './reply-to';
import { checkExclusive, queueName } from './shared';

export const basicMethods: HandlerTable = {
  BasicQos(ch, f) {
    if (f.prefetchSize !== 0) throw fail(540, `prefetch_size!=0 (${f.prefetchSize})`);
    if (f.global) ch.globalPrefetch = f.prefetchCount;
    else ch.consumerPrefetch = f.prefetchCount;
    ch.send('BasicQosOk', {});
    ch.pumpAll();
  },

  BasicConsume(ch, f) {
    const name = queueName(ch, f.queue);
    const q = name === REPLY_TO ? replyQueueFor(ch, f.noAck) : ch.vhost.queue(name);
    checkExclusive(ch, q);
    const tag = f.consumerTag || `amq.ctag-${randomBytes(16).toString('base64url')}`;
    if (ch.consumers.has(tag)) throw fail(530, `attempt to reuse consumer tag '${tag}'`);
    if (q.hasExclusiveConsumer() || (f.exclusive && q.consumers.length > 0)) {
      throw fail(403, `${rs('queue', name)} in exclusive use`);
    }
    const c: Consumer = {
      tag,
      queue: q,
      noAck: f.noAck,
      exclusive: f.exclusive,
      sink: ch,
      prefetch: ch.consumerPrefetch,
      unacked: 0,
    };
    ch.consumers.set(tag, c);
    if (!f.nowait) ch.send('BasicConsumeOk', { consumerTag: tag });
    ch.conn.broker.emit('consumer-added', q.name, { consumerTag: tag, prefetch: c.prefetch, noAck: c.noAck });
    q.addConsumer(c);
  },

  BasicCancel(ch, f) {
    const c = ch.consumers.get(f.consumerTag);
    if (c) {
      ch.consumers.delete(c.tag);
      if (!f.nowait) ch.send('BasicCancelOk', { consumerTag: f.consumerTag });
      ch.conn.broker.emit('consumer-cancelled', c.queue.name, { consumerTag: c.tag, by: 'client' });
      c.queue.removeConsumer(c);
      if (c.queue === ch.replyQueue) dropReplyQueue(ch);
    } else if (!f.nowait) {
      ch.send('BasicCancelOk', { consumerTag: f.consumerTag });
    }
  },

  BasicGet(ch, f) {
    const q = ch.vhost.queue(queueName(ch, f.queue));
    checkExclusive(ch, q);
    const m = q.get(f.noAck);
    if (m) ch.deliverGet(q, m, f.noAck);
    else ch.send('BasicGetEmpty', { clusterId: '' });
  },

  BasicAck(ch, f) {
    const list = collect(ch, f.deliveryTag, f.multiple);
    for (const u of list) {
      ch.unacked.delete(u.tag);
      if (u.consumer) u.consumer.unacked--;
      u.queue.settled(u.m);
    }
    afterSettle(ch, list);
  },

  BasicReject(ch, f) {
    settleNegative(ch, collect(ch, f.deliveryTag, false), f.requeue);
  },

  BasicNack(ch, f) {
    settleNegative(ch, collect(ch, f.deliveryTag, f.multiple), f.requeue);
  },

  BasicRecover(ch, f) {
    if (!f.requeue) throw fail(540, 'requeue=false');
    const list = [...ch.unacked.values()];
    ch.unacked.clear();
    ch.requeueUnacked(list);
    ch.send('BasicRecoverOk', {});
    afterSettle(ch, list);
  },
};

/** rabbit_channel:collect_acks/4: one tag, or every tag up to it (0 with `multiple` is all of them). */
function collect(ch: Channel, tag: number, multiple: boolean): Unacked[] {
  if (!multiple) {
    const u = ch.unacked.get(tag);
    if (!u) throw fail(406, `unknown delivery tag ${tag}`);
    return [u];
  }
  const out: Unacked[] = [];
  let beyond = false;
  for (const [t, u] of ch.unacked) {
    if (tag !== 0 && t > tag) {
      beyond = true;
      break;
    }
    out.push(u);
  }
  if (out.length === 0 && tag !== 0 && !beyond) throw fail(406, `unknown delivery tag ${tag}`);
  return out;
}

function settleNegative(ch: Channel, list: Unacked[], requeue: boolean): void {
  for (const u of list) ch.unacked.delete(u.tag);
  if (requeue) {
    ch.requeueUnacked(list);
  } else {
    for (const u of list) {
      if (u.consumer) u.consumer.unacked--;
      u.queue.settled(u.m);
      if (!u.queue.deleted) ch.vhost.deadLetter(u.queue, u.m, 'rejected');
    }
  }
  afterSettle(ch, list);
}

function afterSettle(ch: Channel, list: Unacked[]): void {
  ch.pumpAll();
  for (const q of new Set(list.map((u) => u.queue))) q.pump();
}

/** RabbitMQ's check_expiration_header: an integer string of milliseconds, not negative. */
function checkExpiration(exp: string): void {
  const m = /^([+-]?\d+)(.*)$/s.exec(exp);
  if (!m) throw fail(406, `invalid expiration '${exp}': no_integer`);
  if (m[2] !== '') throw fail(406, `invalid expiration '${exp}': {leftover_string,"${m[2]}"}`);
  const n = Number(m[1]);
  if (n < 0) throw fail(406, `invalid expiration '${exp}': {value_negative,${n}}`);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** basic.publish once its content is complete: route, enqueue, return if mandatory and unroutable, confirm. */
export function publish(
  ch: Channel,
  f: ClientMethods['BasicPublish'],
  props: Props,
  rawProps: Buffer,
  body: Buffer,
): void {
  const x = ch.vhost.exchange(f.exchange);
  if (x.internal) throw fail(403, `cannot publish to internal ${rs('exchange', x.name)}`);
  if (props.userId !== undefined && props.userId !== 'guest') {
    throw fail(406, `user_id property set to '${props.userId}' but authenticated user was 'guest'`);
  }
  if (props.expiration !== undefined) checkExpiration(props.expiration);
  const rewritten = rewriteReplyTo(ch, props);
  if (rewritten) {
    props = rewritten;
    rawProps = encodeProps(props);
  }
  const seq = ch.confirm ? ++ch.publishSeq : 0;
  const headers = props.headers;
  const cc = strings(headers?.CC);
  const bcc = strings(headers?.BCC);
  if (headers && 'BCC' in headers) {
    props = { ...props, headers: { ...headers } };
    delete props.headers!.BCC;
    rawProps = encodeProps(props);
  }
  const msg: Message = {
    exchange: f.exchange,
    routingKey: f.routingKey,
    routingKeys: [f.routingKey, ...cc],
    props,
    rawProps,
    body,
  };
  const queues = ch.vhost.route(x, [f.routingKey, ...cc, ...bcc], headers);
  if (f.exchange === '' && f.routingKey.startsWith(`${REPLY_TO}.`)) {
    const replyQueue = ch.vhost.replyQueues.get(f.routingKey);
    if (replyQueue) queues.add(replyQueue);
  }
  if (queues.size === 0 && f.mandatory) {
    ch.conn.send(
      encodeMethod('BasicReturn', ch.id, {
        replyCode: 312,
        replyText: 'NO_ROUTE',
        exchange: f.exchange,
        routingKey: f.routingKey,
      }),
      ...encodeContent(ch.id, rawProps, body, ch.conn.frameMax),
    );
  }
  let accepted = true;
  for (const q of queues) if (!q.publish(msg)) accepted = false;
  if (ch.confirm) {
    if (accepted) ch.send('BasicAck', { deliveryTag: seq, multiple: false });
    else ch.send('BasicNack', { deliveryTag: seq, multiple: false, requeue: false });
  }
}
