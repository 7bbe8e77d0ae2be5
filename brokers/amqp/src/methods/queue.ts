// queue.declare / bind / unbind / purge / delete (class 50), in RabbitMQ 3.10's check order (rabbit_channel):
// reserved names (403) before exclusivity (405) before equivalence (406); deleting a missing queue is no error.
import { randomBytes } from 'node:crypto';
import { fail, locked, notFound, rs } from '../errors';
import type { HandlerTable } from '../server/channel';
import { REPLY_TO } from './reply-to';
import { checkExclusive, queueName } from './shared';

export const queueMethods: HandlerTable = {
  QueueDeclare(ch, f) {
    const vhost = ch.vhost;
    // Direct reply-to's names, as rabbit_channel answers them: the pseudo-queue and a live reply address declare
    // fine (0 messages, 1 consumer, whatever the flags), an address nobody consumes from is a missing queue. An RPC
    // server that declares `replyTo` before answering works on RabbitMQ, so it must work here.
    if (f.queue === REPLY_TO || f.queue.startsWith(`${REPLY_TO}.`)) {
      if (f.queue !== REPLY_TO && !vhost.replyQueues.has(f.queue)) throw notFound('queue', f.queue);
      if (!f.nowait) ch.send('QueueDeclareOk', { queue: f.queue, messageCount: 0, consumerCount: 1 });
      return;
    }
    let q;
    if (f.passive) {
      q = vhost.queue(queueName(ch, f.queue));
      checkExclusive(ch, q);
    } else {
      let name = f.queue;
      if (name === '') name = `amq.gen-${randomBytes(16).toString('base64url')}`;
      else if (name.startsWith('amq.'))
        throw fail(403, `queue name '${name}' contains reserved prefix 'amq.*'`);
      const owner = f.exclusive ? ch.conn.id : undefined;
      const durable = f.durable && !f.exclusive;
      q = vhost.queues.get(name);
      if (q) {
        if (q.owner !== owner) throw locked(name);
        vhost.assertQueueEquivalent(q, durable, f.autoDelete, f.arguments);
      } else {
        q = vhost.createQueue(name, durable, owner, f.autoDelete, f.arguments);
        if (owner) ch.conn.ownQueue(q);
      }
    }
    q.touch();
    ch.lastQueue = q.name;
    if (!f.nowait) {
      ch.send('QueueDeclareOk', {
        queue: q.name,
        messageCount: q.ready.length,
        consumerCount: q.consumers.length,
      });
    }
  },

  QueueBind(ch, f) {
    const name = queueName(ch, f.queue);
    if (f.exchange === '') throw fail(403, 'operation not permitted on the default exchange');
    const x = ch.vhost.exchanges.get(f.exchange);
    if (!x) throw notFound('exchange', f.exchange);
    const q = ch.vhost.queue(name);
    checkExclusive(ch, q);
    ch.vhost.bind(x, q, f.routingKey, f.arguments);
    if (!f.nowait) ch.send('QueueBindOk', {});
  },

  QueueUnbind(ch, f) {
    const name = queueName(ch, f.queue);
    if (f.exchange === '') throw fail(403, 'operation not permitted on the default exchange');
    const x = ch.vhost.exchanges.get(f.exchange);
    if (!x) throw notFound('exchange', f.exchange);
    const q = ch.vhost.queue(name);
    checkExclusive(ch, q);
    ch.vhost.unbind(x, q, f.routingKey, f.arguments);
    ch.send('QueueUnbindOk', {});
  },

  QueuePurge(ch, f) {
    const q = ch.vhost.queue(queueName(ch, f.queue));
    checkExclusive(ch, q);
    const messageCount = q.purge();
    if (!f.nowait) ch.send('QueuePurgeOk', { messageCount });
  },

  QueueDelete(ch, f) {
    const q = ch.vhost.queues.get(queueName(ch, f.queue));
    let messageCount = 0;
    if (q) {
      checkExclusive(ch, q);
      if (f.ifUnused && q.consumers.length > 0) throw fail(406, `${rs('queue', q.name)} in use`);
      if (f.ifEmpty && q.ready.length > 0) throw fail(406, `${rs('queue', q.name)} not empty`);
      messageCount = ch.vhost.deleteQueue(q);
    }
    if (!f.nowait) ch.send('QueueDeleteOk', { messageCount });
  },
};
