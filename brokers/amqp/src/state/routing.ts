// Binding-key matching for topic and headers exchanges, as RabbitMQ 3.10 does it (rabbit_exchange_type_topic,
// rabbit_exchange_type_headers). Topic: words split on '.', empty words are words, '*' is one word, '#' zero or
// more. Headers: x-match all/any (and the *-with-x variants), void values match presence, types must agree.
import { fail } from '../errors';
import type { Table } from '../wire/types';

export function splitWords(key: string): string[] {
  return key === '' ? [] : key.split('.');
}

/** Whether a topic binding pattern matches a routing key. Memoised, so patterns full of '#' stay linear-ish. */
export function topicMatches(pattern: string, key: string): boolean {
  const p = splitWords(pattern);
  const k = splitWords(key);
  const failed = new Set<number>();
  const go = (i: number, j: number): boolean => {
    for (;;) {
      if (i === p.length) return j === k.length;
      const memo = i * (k.length + 1) + j;
      if (failed.has(memo)) return false;
      const word = p[i];
      if (word === '#') {
        for (let n = j; n <= k.length; n++) if (go(i + 1, n)) return true;
        failed.add(memo);
        return false;
      }
      if (j === k.length || (word !== '*' && word !== k[j])) return false;
      i++;
      j++;
    }
  };
  return go(0, 0);
}

export type XMatch = 'all' | 'any' | 'all-with-x' | 'any-with-x';

/** The binding's x-match mode, or a 406 as RabbitMQ raises it at bind time for anything else. */
export function xMatchOf(args: Table): XMatch {
  const m = args['x-match'];
  if (m === undefined) return 'all';
  if (m === 'all' || m === 'any' || m === 'all-with-x' || m === 'any-with-x') return m;
  throw fail(406, `Invalid x-match field value ${describe(m)}; expected all, any, all-with-x, or any-with-x`);
}

function describe(v: unknown): string {
  return typeof v === 'string' ? `<<"${v}">>` : String(v);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (a && b && typeof a === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

/** Headers-exchange match of a binding's arguments against a message's headers. */
export function headersMatch(binding: Table, headers: Table | undefined): boolean {
  const mode = xMatchOf(binding);
  const withX = mode.endsWith('-with-x');
  const any = mode.startsWith('any');
  const h = headers ?? {};
  for (const [name, want] of Object.entries(binding)) {
    if (name === 'x-match' || (!withX && name.startsWith('x-'))) continue;
    const present = Object.hasOwn(h, name);
    const ok = present && (want === null || want === undefined || sameValue(want, h[name]));
    if (any && ok) return true;
    if (!any && !ok) return false;
  }
  return !any;
}
