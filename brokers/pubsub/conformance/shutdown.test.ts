// Stopping an embedded instance ends every open stream with UNAVAILABLE (which the client retries quietly) rather
// than OK (which it reports as an error). Embedded only: the suite cannot stop the official emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { target, targetKind, topicWithSub, type Target } from './target';

const UNAVAILABLE = 14;

let t: Target;
beforeAll(async () => {
  t = await target('conformance-shutdown');
});
afterAll(() => t?.stop());

describe.skipIf(targetKind() === 'real')('shutdown', () => {
  it('ends open streaming pulls with UNAVAILABLE and resolves stop()', async () => {
    const { topic, sub } = await topicWithSub(t, 'shutdown');
    const stream = t.subscriber.streamingPull();
    const firstResponse = new Promise((resolve) => stream.once('data', resolve));
    const ended = new Promise<{ code?: number }>((resolve) => stream.once('error', resolve));
    stream.write({ subscription: sub, streamAckDeadlineSeconds: 10 });
    await t.publisher.publish({ topic, messages: [{ data: Buffer.from('x') }] });
    await firstResponse;
    await t.broker!.stop();
    expect((await ended).code).toBe(UNAVAILABLE);
  });
});
