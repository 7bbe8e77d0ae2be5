// The memory alarm with amqplib: a publishing connection gets connection.blocked ("low on memory") and its
// message is held, not lost; a connection that does not publish is not blocked; clearing the alarm unblocks
// and the held message is confirmed. On RabbitMQ the alarm is raised with rabbitmqctl (MSGBOOK_REAL_AMQP_CTL).
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channel, confirmChannel, type Target, target } from './target';

let t: Target;
beforeAll(async () => {
  t = await target();
});
afterAll(async () => {
  t.setAlarm?.(false);
  await t.close();
});

describe('connection.blocked', () => {
  it.skipIf(!process.env.MSGBOOK_REAL_AMQP_CTL && process.env.MSGBOOK_TEST_TARGET === 'real')(
    'blocks the publisher on its next publish, holds the message, and releases it when the alarm clears',
    async () => {
      const publisher = await t.connect();
      const bystander = await t.connect();
      let bystanderBlocked = false;
      bystander.on('blocked', () => (bystanderBlocked = true));
      const ch = await confirmChannel(publisher);
      // Not exclusive, so that the bystander may look at it; deleted at the end.
      const q = (await ch.assertQueue('', { exclusive: false, durable: false })).queue;
      const look = await channel(bystander);
      t.setAlarm!(true);
      const blocked = once(publisher, 'blocked');
      const confirmed = new Promise<unknown>((resolve) =>
        ch.sendToQueue(q, Buffer.from('held'), {}, resolve),
      );
      expect(await blocked).toEqual(['low on memory']);
      expect((await look.checkQueue(q)).messageCount).toBe(0);
      expect(bystanderBlocked).toBe(false);
      const unblocked = once(publisher, 'unblocked');
      t.setAlarm!(false);
      await unblocked;
      expect(await confirmed).toBeNull();
      expect((await look.checkQueue(q)).messageCount).toBe(1);
      await look.deleteQueue(q);
    },
  );
});
