// Topic and headers matching against the cases observed on RabbitMQ 3.10.8 (research/amqp-embedded.md §4);
// the conformance suite replays the same matrix through amqplib against both brokers.
import { describe, expect, it } from 'vitest';
import { headersMatch, topicMatches, xMatchOf } from './routing';

describe('topic patterns', () => {
  const cases: [string, string, boolean][] = [
    ['a.#', 'a', true],
    ['#.a', 'a', true],
    ['*', '', false],
    ['*.*', 'a.', true],
    ['*.*', '.a', true],
    ['#', '', true],
    ['#.#', '', true],
    ['*.#', '', false],
    ['*.#', 'a.b.c', true],
    ['#.*', '', false],
    ['#.*', 'a', true],
    ['a.*.c', 'a..c', true],
    ['#.b.#', 'b', true],
    ['', '', true],
    ['', 'a', false],
    ['a.b', 'a.b.c', false],
    ['#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.x', 'a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.y', false],
  ];
  for (const [p, k, want] of cases) {
    it(`'${p}' ${want ? 'matches' : 'does not match'} '${k}'`, () => expect(topicMatches(p, k)).toBe(want));
  }
});

describe('headers matching', () => {
  it('needs every header for all, one for any; ignores x- keys unless *-with-x', () => {
    const h = { a: 1, b: 'two', 'x-y': 'z' };
    expect(headersMatch({ a: 1, b: 'two' }, h)).toBe(true);
    expect(headersMatch({ a: 1, b: 'three' }, h)).toBe(false);
    expect(headersMatch({ 'x-match': 'any', a: 2, b: 'two' }, h)).toBe(true);
    expect(headersMatch({ 'x-match': 'all', a: 1, 'x-y': 'nope' }, h)).toBe(true);
    expect(headersMatch({ 'x-match': 'all-with-x', a: 1, 'x-y': 'nope' }, h)).toBe(false);
    expect(headersMatch({ a: null }, h)).toBe(true);
    expect(headersMatch({ a: '1' }, h)).toBe(false);
    expect(headersMatch({}, h)).toBe(true);
    expect(headersMatch({ 'x-match': 'any' }, h)).toBe(false);
  });

  it('refuses an unknown x-match mode', () => {
    expect(() => xMatchOf({ 'x-match': 'some' })).toThrow(/PRECONDITION_FAILED/);
  });
});
