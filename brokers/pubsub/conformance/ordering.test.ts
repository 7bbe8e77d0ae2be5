// Ordering keys through the real client: per-key publish order to one subscriber, a key held back while one of its
// messages is leased, and (where the official emulator is known to be wrong) redelivery of the rest of a key after a
// nack, acked messages included (docs "ordering").
import type { Message } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialIsWrong } from './divergences';
import { pullN, pullNow, target, unique, type Target } from './target';

let t: Target;
beforeAll(async () => {
  t = await target('conformance-ordering');
});
afterAll(() => t?.stop());

async function orderedPair(prefix: string): Promise<{ topic: string; sub: string }> {
  const [topic] = await t.pubsub.createTopic(unique(`${prefix}-t`));
  const [sub] = await topic.createSubscription(unique(`${prefix}-s`), { enableMessageOrdering: true });
  expect((await sub.getMetadata())[0].enableMessageOrdering).toBe(true);
  return { topic: topic.name, sub: sub.name };
}

async function publishKeyed(topic: string, messages: [key: string, data: string][]): Promise<void> {
  await t.publisher.publish({
    topic,
    messages: messages.map(([orderingKey, data]) => ({ orderingKey, data: Buffer.from(data) })),
  });
}

describe('ordering keys', () => {
  it('deliver the messages of each key in publish order to a streaming subscriber', async () => {
    const { topic, sub: name } = await orderedPair('stream');
    const publisher = t.pubsub.topic(topic, { messageOrdering: true });
    const sub = t.pubsub.subscription(name);
    const byKey: Record<string, string[]> = { a: [], b: [] };
    const all = new Promise<void>((resolve) => {
      let n = 0;
      sub.on('message', (m: Message) => {
        byKey[m.orderingKey!]!.push(m.data.toString());
        m.ack();
        if (++n === 20) resolve();
      });
    });
    const sends: Promise<string>[] = [];
    for (let i = 1; i <= 10; i++) {
      for (const key of ['a', 'b'])
        sends.push(publisher.publishMessage({ data: Buffer.from(`${key}${i}`), orderingKey: key }));
    }
    await Promise.all(sends);
    await all;
    await sub.close();
    const expected = (key: string) => Array.from({ length: 10 }, (_, i) => `${key}${i + 1}`);
    expect(byKey).toEqual({ a: expected('a'), b: expected('b') });
  });

  it('hold a key back while one of its messages is leased', async () => {
    const { topic, sub } = await orderedPair('held');
    await publishKeyed(topic, [['k', 'o1']]);
    const [o1] = await pullN(t, sub, 1);
    await publishKeyed(topic, [
      ['k', 'o2'],
      ['', 'free'],
    ]);
    expect((await pullN(t, sub, 1)).map((m) => m.data)).toEqual(['free']);
    expect(await pullNow(t, sub)).toEqual([]);
    await t.subscriber.acknowledge({ subscription: sub, ackIds: [o1!.ackId] });
    expect((await pullN(t, sub, 1)).map((m) => m.data)).toEqual(['o2']);
  });

  it.skipIf(officialIsWrong('ordering-after-nack'))(
    'redeliver a nacked message and every later message of its key, acked ones included, in order',
    async () => {
      const { topic, sub } = await orderedPair('nack');
      await publishKeyed(topic, [
        ['k', 'o1'],
        ['k', 'o2'],
        ['k', 'o3'],
        ['k', 'o4'],
      ]);
      const first = await pullN(t, sub, 4);
      expect(first.map((m) => m.data)).toEqual(['o1', 'o2', 'o3', 'o4']);
      const [o1, o2, o3] = first;
      await t.subscriber.acknowledge({ subscription: sub, ackIds: [o1!.ackId, o3!.ackId] });
      await t.subscriber.modifyAckDeadline({ subscription: sub, ackIds: [o2!.ackId], ackDeadlineSeconds: 0 });
      const again = await pullN(t, sub, 3);
      expect(again.map((m) => m.data)).toEqual(['o2', 'o3', 'o4']);
      await t.subscriber.acknowledge({ subscription: sub, ackIds: again.map((m) => m.ackId) });
      await t.advance(11_000);
      expect(await pullNow(t, sub)).toEqual([]);
    },
  );
});
