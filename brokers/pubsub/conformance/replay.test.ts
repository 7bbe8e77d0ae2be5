// Replay through the real client: retained acked messages and Seek to a time, snapshots and Seek to a snapshot, and
// topic retention reaching back to before a subscription existed. The client sends seek times truncated to the second
// (research §2), so messages on either side of a cut are published at least a second apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialIsWrong } from './divergences';
import { codeOf, pullN, pullNow, target, unique, type Pulled, type Target } from './target';

let t: Target;
beforeAll(async () => {
  t = await target('conformance-replay');
});
afterAll(() => t?.stop());

async function publish(topic: string, ...data: string[]): Promise<void> {
  await t.publisher.publish({ topic, messages: data.map((d) => ({ data: Buffer.from(d) })) });
}

async function ack(sub: string, messages: Pulled[]): Promise<void> {
  await t.subscriber.acknowledge({ subscription: sub, ackIds: messages.map((m) => m.ackId) });
}

describe('seek', () => {
  it('to a time brings back the retained messages published from then on', async () => {
    const [topic] = await t.pubsub.createTopic(unique('replay'));
    const [sub] = await topic.createSubscription(unique('replay'), { retainAckedMessages: true });
    await publish(topic.name, 'a');
    await t.advance(1100);
    await publish(topic.name, 'b', 'c');
    const first = await pullN(t, sub.name, 3);
    expect(first.map((m) => m.data)).toEqual(['a', 'b', 'c']);
    await ack(sub.name, first);
    await sub.seek(new Date(first[1]!.publishTime));
    const replayed = await pullN(t, sub.name, 2);
    expect(replayed.map((m) => m.data)).toEqual(['b', 'c']);
    expect(replayed.map((m) => m.messageId)).toEqual([first[1]!.messageId, first[2]!.messageId]);
    expect(await pullNow(t, sub.name)).toEqual([]);
  });

  it('to a time reaches back before the subscription when the topic retains messages', async () => {
    const [topic] = await t.pubsub.createTopic({
      name: unique('kept'),
      messageRetentionDuration: { seconds: 600 },
    });
    await publish(topic.name, 'before');
    const [sub] = await topic.createSubscription(unique('late'));
    if (officialIsWrong('topic-retention-backfill')) {
      expect((await pullN(t, sub.name, 1)).map((m) => m.data)).toEqual(['before']);
      return;
    }
    expect(await pullNow(t, sub.name)).toEqual([]);
    const [meta] = await topic.getMetadata();
    expect(meta.messageRetentionDuration).toEqual({ seconds: '600', nanos: 0 });
    await sub.seek(new Date(Date.now() - 3_600_000));
    expect((await pullN(t, sub.name, 1)).map((m) => m.data)).toEqual(['before']);
  });

  it('to a snapshot restores its unacked messages and everything published after it', async () => {
    const [topic] = await t.pubsub.createTopic(unique('snap'));
    const [sub] = await topic.createSubscription(unique('snap'));
    await publish(topic.name, 'a', 'b');
    const [a, b] = await pullN(t, sub.name, 2);
    await ack(sub.name, [a!]);
    const snapId = unique('snap');
    const [snapshot] = await sub.createSnapshot(snapId);
    expect(snapshot.name).toBe(`projects/${t.projectId}/snapshots/${snapId}`);
    await publish(topic.name, 'c');
    const [c] = await pullN(t, sub.name, 1);
    await ack(sub.name, [b!, c!]);
    expect(await pullNow(t, sub.name)).toEqual([]);
    await sub.seek(snapId);
    expect((await pullN(t, sub.name, 2)).map((m) => m.data)).toEqual(['b', 'c']);

    const [listed] = await t.pubsub.getSnapshots();
    expect(listed.map((s) => s.name)).toContain(snapshot.name);
    expect(await codeOf(sub.createSnapshot(snapId))).toMatchObject({ code: 6 });
    await snapshot.delete();
    expect(await codeOf(sub.seek(snapId))).toMatchObject({ code: 5 });
  });
});
