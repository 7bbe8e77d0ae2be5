// exchange.declare / delete / bind / unbind (class 40), with RabbitMQ 3.10's checks and texts: unknown type is a
// connection error (503), the default exchange and amq.* names are off limits (403), redeclares must match (406).
import { fail } from '../errors';
import type { HandlerTable } from '../server/channel';

export const exchangeMethods: HandlerTable = {
  ExchangeDeclare(ch, f) {
    if (f.passive) {
      if (f.exchange === '') throw fail(403, 'operation not permitted on the default exchange');
      ch.vhost.exchange(f.exchange);
    } else {
      ch.vhost.declareExchange(f.exchange, f.type, f.durable, f.autoDelete, f.internal, f.arguments);
    }
    if (!f.nowait) ch.send('ExchangeDeclareOk', {});
  },

  ExchangeDelete(ch, f) {
    ch.vhost.deleteExchange(f.exchange, f.ifUnused);
    if (!f.nowait) ch.send('ExchangeDeleteOk', {});
  },

  ExchangeBind(ch, f) {
    if (f.source === '' || f.destination === '')
      throw fail(403, 'operation not permitted on the default exchange');
    const source = ch.vhost.exchange(f.source);
    const destination = ch.vhost.exchange(f.destination);
    ch.vhost.bind(source, destination, f.routingKey, f.arguments);
    if (!f.nowait) ch.send('ExchangeBindOk', {});
  },

  ExchangeUnbind(ch, f) {
    if (f.source === '' || f.destination === '')
      throw fail(403, 'operation not permitted on the default exchange');
    const source = ch.vhost.exchange(f.source);
    const destination = ch.vhost.exchange(f.destination);
    ch.vhost.unbind(source, destination, f.routingKey, f.arguments);
    if (!f.nowait) ch.send('ExchangeUnbindOk', {});
  },
};
