// `msgbook verify` holds each snippet to its declared expect: passes, failures with the reason, groups run
// together, snippets not declared for the target skipped, and content problems counted as failures.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ChapterStore } from '../src/content/chapters';
import { verifySnippets } from '../src/verify/snippets';

const store = new ChapterStore(path.join(import.meta.dirname, 'fixtures', 'chapters'));

describe('verify', () => {
  it('reports each snippet against its expect on the embedded target', async () => {
    const { verdicts, problems } = await verifySnippets(store, { target: 'embedded' });
    const by = (c: string, s: string) => verdicts.find((v) => v.chapter === c && v.snippet === s);
    expect(by('01-basics', 'hello')).toMatchObject({ ok: true });
    expect(by('01-basics', 'slow')).toMatchObject({ ok: true });
    expect(by('01-basics', 'hello-2')).toMatchObject({ ok: true });
    expect(by('01-basics', 'hello-3')).toMatchObject({ ok: true });
    expect(by('03-bad-block', 'ok')).toMatchObject({ ok: true });
    expect(by('04-wrong', 'bye')).toMatchObject({ ok: false, why: 'expected the output to match /hello/' });
    expect(by('04-wrong', 'bye')!.output).toContain('goodbye');
    expect(by('04-wrong', 'bye-2')).toMatchObject({ ok: true, skipped: 'not declared for embedded' });
    expect(problems.map((p) => p.path)).toEqual([
      path.join('chapters', '02-broken', 'README.md'),
      path.join('chapters', '03-bad-block', 'README.md'),
    ]);
  });
});
