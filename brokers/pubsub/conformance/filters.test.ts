// Subscription filters through the real client. The official emulator accepts any filter and applies none
// (divergence `filters-ignored`): against it these scenarios assert exactly that, against the embedded one the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialIsWrong } from './divergences';
import { codeOf, pullN, pullNow, target, unique, type Target } from './target';

let t: Target;
beforeAll(async () => {
  t = await target('conformance-filters');
});
afterAll(() => t?.stop());

describe('filters', () => {
  it('deliver only the messages whose attributes match; the others are never delivered', async () => {
    const [topic] = await t.pubsub.createTopic(unique('filtered'));
    const filter = 'attributes.region = "eu" AND NOT attributes:test';
    const [sub] = await topic.createSubscription(unique('eu'), { filter });
    expect((await sub.getMetadata())[0].filter).toBe(filter);
    const sent: [string, Record<string, string>][] = [
      ['eu-1', { region: 'eu' }],
      ['us-1', { region: 'us' }],
      ['eu-test', { region: 'eu', test: 'yes' }],
      ['none', {}],
      ['eu-2', { region: 'eu', kind: 'order' }],
    ];
    await t.publisher.publish({
      topic: topic.name,
      messages: sent.map(([data, attributes]) => ({ data: Buffer.from(data), attributes })),
    });
    if (officialIsWrong('filters-ignored')) {
      expect((await pullN(t, sub.name, 5)).map((m) => m.data).sort()).toEqual(sent.map(([d]) => d).sort());
      return;
    }
    const got = await pullN(t, sub.name, 2);
    expect(got.map((m) => m.data)).toEqual(['eu-1', 'eu-2']);
    await t.subscriber.acknowledge({ subscription: sub.name, ackIds: got.map((m) => m.ackId) });
    await t.advance(11_000);
    expect(await pullNow(t, sub.name)).toEqual([]);
  });

  it('are checked when the subscription is created', async () => {
    const [topic] = await t.pubsub.createTopic(unique('badfilter'));
    const attempt = topic.createSubscription(unique('bad'), { filter: 'attributes.region == "eu"' });
    if (officialIsWrong('filters-ignored')) {
      const [sub] = await attempt;
      expect((await sub.getMetadata())[0].filter).toBe('attributes.region == "eu"');
    } else {
      const err = await codeOf(attempt);
      expect(err.code).toBe(3);
      expect(err.details).toMatch(/^Invalid filter: /);
    }
  });
});
