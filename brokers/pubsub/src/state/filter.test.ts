// The filter language against the examples of the Pub/Sub docs ("subscription-message-filter") and the errors a
// learner's typo must produce at creation time.
import { describe, expect, it } from 'vitest';
import { RpcError } from '../errors';
import { compileFilter } from './filter';

const en = { lang: 'en', domain: 'com', 'ce-type': 'order.created' };
const fr = { lang: 'fr' };

describe('compileFilter', () => {
  it.each([
    ['', en, true],
    ['attributes.lang = "en"', en, true],
    ['attributes.lang = "en"', fr, false],
    ["attributes.lang = 'fr'", fr, true],
    ['attributes.lang != "en"', fr, true],
    ['attributes.lang != "en"', {}, true],
    ['attributes:domain', en, true],
    ['attributes:domain', fr, false],
    ['NOT attributes:domain', fr, true],
    ['-attributes:domain', en, false],
    ['hasPrefix(attributes.ce-type, "order.")', en, true],
    ['hasPrefix(attributes.ce-type, "order.")', fr, false],
    ['attributes.lang = "en" AND attributes:domain', en, true],
    ['attributes.lang = "en" AND attributes:domain AND attributes:missing', en, false],
    ['attributes.lang = "de" OR attributes.lang = "fr"', fr, true],
    ['attributes:domain AND (attributes.lang = "de" OR attributes.lang = "en")', en, true],
    ['NOT (attributes.lang = "en" OR attributes.lang = "fr")', fr, false],
    ['attributes."ce-type" = "order.created"', en, true],
    ['attributes.lang = "a\\"b"', { lang: 'a"b' }, true],
  ])('%s on %j is %s', (filter, attributes, expected) => {
    expect(compileFilter(filter)(attributes)).toBe(expected);
  });

  it.each([
    'attributes.lang == "en"',
    'attributes.lang = en',
    'attributes.lang = "en',
    'attributes:a AND attributes:b OR attributes:c',
    '(attributes:a',
    'attributes:a attributes:b',
    'hasPrefix(attributes.a)',
    'lang = "en"',
    'attributes:',
    `attributes.k = "${'x'.repeat(250)}"`,
  ])('rejects %j with INVALID_ARGUMENT', (filter) => {
    let error: unknown;
    try {
      compileFilter(filter);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(3);
    expect((error as RpcError).details).toMatch(/^Invalid filter: /);
  });
});
