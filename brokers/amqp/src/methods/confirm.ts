// confirm.select (class 85) and the tx class (90). Publisher confirms are acked or nacked in methods/basic.ts
// once a message is routed. Transactions are not implemented (amqplib has no API for them): tx.select is a 540,
// except after confirm.select, where RabbitMQ's 406 comes first.
import { fail } from '../errors';
import type { HandlerTable } from '../server/channel';

export const confirmMethods: HandlerTable = {
  ConfirmSelect(ch, f) {
    ch.confirm = true;
    if (!f.nowait) ch.send('ConfirmSelectOk', {});
  },

  TxSelect(ch) {
    if (ch.confirm) throw fail(406, 'cannot switch from confirm to tx mode');
    throw fail(540, 'tx.select');
  },
  TxCommit() {
    throw fail(540, 'tx.commit');
  },
  TxRollback() {
    throw fail(540, 'tx.rollback');
  },
};
