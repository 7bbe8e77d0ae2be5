// Direct reply-to (RabbitMQ's amq.rabbitmq.reply-to pseudo-queue) for RPC: a channel consumes the pseudo-queue
// with noAck, its publishes with replyTo 'amq.rabbitmq.reply-to' carry a private reply key instead, and a publish
// to that key on the default exchange goes straight to that consumer. Texts as RabbitMQ 3.10.8 sends them.
import { randomBytes } from 'node:crypto';
import { fail } from '../errors';
import type { Channel } from '../server/channel';
import { Queue } from '../state/queue';
import { parseQueueArgs } from '../state/queue-args';
import type { Props } from '../wire/types';

export const REPLY_TO = 'amq.rabbitmq.reply-to';

/** basic.consume on the pseudo-queue: returns the channel's private reply queue. */
export function replyQueueFor(ch: Channel, noAck: boolean): Queue {
  if (!noAck) throw fail(406, 'reply consumer cannot acknowledge');
  if (ch.replyQueue) throw fail(406, 'reply consumer already set');
  const key = `${REPLY_TO}.${randomBytes(16).toString('base64url')}`;
  const q = new Queue(key, false, false, ch.conn.id, {}, parseQueueArgs(key, {}), ch.vhost);
  ch.replyQueue = q;
  ch.vhost.replyQueues.set(key, q);
  return q;
}

/** Drops the channel's reply queue (its consumer was cancelled or the channel ended). */
export function dropReplyQueue(ch: Channel): void {
  const q = ch.replyQueue;
  if (!q) return;
  ch.replyQueue = undefined;
  ch.vhost.replyQueues.delete(q.name);
  q.destroy();
}

/** Rewrites `replyTo: 'amq.rabbitmq.reply-to'` to the channel's reply key; returns undefined when unchanged. */
export function rewriteReplyTo(ch: Channel, props: Props): Props | undefined {
  if (props.replyTo !== REPLY_TO) return undefined;
  if (!ch.replyQueue) throw fail(406, 'fast reply consumer does not exist');
  return { ...props, replyTo: ch.replyQueue.name };
}
