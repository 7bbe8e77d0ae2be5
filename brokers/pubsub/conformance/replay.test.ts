// Replay through the real client: retained acked messages and Seek to a time, snapshots and Seek to a snapshot, and
// topic retention reaching back to before a subscription existed. The client sends seek times truncated to the second
// (research §2), so messages on either side of a cut are published at least a second apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialIsWrong } from './divergences';
import { codeOf, pullN, pullNow, target, targetKind, unique, type Pulled, type Target } from './target';

const INVALID_ARGUMENT = 3;
const UNIMPLEMENTED = 12;

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

  it('snapshots take new labels through UpdateSnapshot, and nothing else', async () => {
    const [topic] = await t.pubsub.createTopic(unique('labels'));
    const [sub] = await topic.createSubscription(unique('labels'));
    const [snapshot] = await sub.createSnapshot(unique('labels'));
    const update = (paths: string[]) =>
      t.subscriber.updateSnapshot({
        snapshot: { name: snapshot.name, labels: { chapter: 'replay' } },
        updateMask: { paths },
      });
    if (officialIsWrong('update-snapshot-unimplemented')) {
      expect(await codeOf(update(['labels']))).toMatchObject({ code: UNIMPLEMENTED });
      return;
    }
    const [updated] = await update(['labels']);
    expect(updated).toMatchObject({ name: snapshot.name, topic: topic.name, labels: { chapter: 'replay' } });
    const [got] = await t.subscriber.getSnapshot({ snapshot: snapshot.name });
    expect(got.labels).toEqual({ chapter: 'replay' });
    expect(await codeOf(update(['topic']))).toMatchObject({ code: INVALID_ARGUMENT });
    expect(await codeOf(update([]))).toMatchObject({ code: INVALID_ARGUMENT });
  });
});

// Ten minutes (the shortest retention the API allows) cannot pass against the official emulator within a test; the
// virtual clock makes them instant.
describe.skipIf(targetKind() === 'real')('retention', () => {
  it('drops unacked messages, and forgets acked ones, once message_retention_duration has passed', async () => {
    const [topic] = await t.pubsub.createTopic(unique('retention'));
    const [sub] = await topic.createSubscription(unique('retention'), {
      messageRetentionDuration: 600,
      retainAckedMessages: true,
    });
    await publish(topic.name, 'acked');
    await ack(sub.name, await pullN(t, sub.name, 1));
    const seekTo = new Date(Date.now() - 3_600_000);
    await t.advance(300_000);
    await publish(topic.name, 'unacked');
    const [unacked] = await pullN(t, sub.name, 1);
    await t.subscriber.modifyAckDeadline({
      subscription: sub.name,
      ackIds: [unacked!.ackId],
      ackDeadlineSeconds: 0,
    });
    // Five minutes on, the acked message is past retention: a seek to before it brings back only the younger one.
    const dropped = t.brokerEvent('message-expired');
    await t.advance(300_001);
    await sub.seek(seekTo);
    expect((await pullN(t, sub.name, 1)).map((m) => m.data)).toEqual(['unacked']);
    // Five more minutes and the unacked one is gone too, never acknowledged.
    await t.advance(300_000);
    await dropped;
    expect(await pullNow(t, sub.name)).toEqual([]);
  });
});
