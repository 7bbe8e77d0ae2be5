// Small checks several method files share: the '' queue-name shortcut and exclusive-queue access.
import { fail, locked } from '../errors';
import type { Channel } from '../server/channel';
import type { Queue } from '../state/queue';

/** RabbitMQ lets '' stand for the queue last declared on the channel (expand_queue_name_shortcut). */
export function queueName(ch: Channel, name: string): string {
  if (name !== '') return name;
  if (ch.lastQueue === undefined) throw fail(404, 'no previously declared queue');
  return ch.lastQueue;
}

/** check_exclusive_access/2: an exclusive queue serves only its own connection (405). */
export function checkExclusive(ch: Channel, q: Queue): void {
  if (q.owner !== undefined && q.owner !== ch.conn.id) throw locked(q.name);
}
