// Server-side flow control per stream: a StreamingPull that declares max_outstanding_messages gets no more than that
// many unacked messages, and more as soon as one is acked. The official emulator ignores the limit (divergence).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialIsWrong } from './divergences';
import { pullN, pullNow, target, topicWithSub, type Target } from './target';

let t: Target;
beforeAll(async () => {
  t = await target('conformance-flow-control');
});
afterAll(() => t?.stop());

interface Received {
  ackId: string;
  data: string;
}

describe('server-side flow control', () => {
  it.skipIf(officialIsWrong('server-flow-control'))(
    'stops a stream at max_outstanding_messages and resumes it on ack',
    async () => {
      const { topic, sub } = await topicWithSub(t, 'flow');
      const stream = t.subscriber.streamingPull();
      const received: Received[] = [];
      const waiters: { count: number; resolve: () => void }[] = [];
      stream.on('data', (res: { receivedMessages: { ackId: string; message: { data: Buffer } }[] }) => {
        for (const r of res.receivedMessages)
          received.push({ ackId: r.ackId, data: r.message.data.toString() });
        for (const w of waiters.filter((x) => received.length >= x.count)) w.resolve();
      });
      const until = (count: number) =>
        new Promise<void>((resolve) =>
          received.length >= count ? resolve() : waiters.push({ count, resolve }),
        );
      stream.on('error', () => {});
      stream.write({ subscription: sub, streamAckDeadlineSeconds: 60, maxOutstandingMessages: 2 });
      await t.publisher.publish({
        topic,
        messages: ['m1', 'm2', 'm3', 'm4', 'm5'].map((d) => ({ data: Buffer.from(d) })),
      });
      await until(2);
      // The other three were held back: a Pull takes them, and hands them back with a nack.
      const others = await pullN(t, sub, 3);
      expect(others.map((m) => m.data)).toEqual(['m3', 'm4', 'm5']);
      expect(received.map((m) => m.data)).toEqual(['m1', 'm2']);
      await t.subscriber.modifyAckDeadline({
        subscription: sub,
        ackIds: others.map((m) => m.ackId),
        ackDeadlineSeconds: 0,
      });
      const third = until(3);
      await t.subscriber.acknowledge({ subscription: sub, ackIds: [received[0]!.ackId] });
      await third;
      expect(received.map((m) => m.data)).toEqual(['m1', 'm2', 'm3']);
      expect(await pullNow(t, sub)).toEqual(['m4', 'm5']);
      stream.cancel();
    },
  );
});
