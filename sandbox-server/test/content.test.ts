// Chapters load from disk as the web app will see them; broken ones are reported by file and field, and the rest
// of the workbook still loads.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ChapterStore } from '../src/content/chapters';

const store = new ChapterStore(path.join(import.meta.dirname, 'fixtures', 'chapters'));

describe('chapters', () => {
  it('lists the chapters that load and reports the broken one by file', async () => {
    const list = await store.list();
    expect(list.chapters.map((c) => c.slug)).toEqual(['01-basics', '03-bad-block', '04-wrong']);
    expect(list.problems).toContainEqual(
      expect.objectContaining({ path: path.join('chapters', '02-broken', 'README.md') }),
    );
  });

  it('renders snippet fences as placeholders with their code and declared limits', async () => {
    const c = await store.get('01-basics');
    expect(c?.html).toContain('<mb-snippet snippet-id="hello"></mb-snippet>');
    expect(c?.html).toContain('<mb-snippet-group group-id="pair"></mb-snippet-group>');
    expect(c?.html).toContain('src="/content/chapters/01-basics/diagram.svg"');
    expect(c?.snippets.map((s) => [s.id, s.timeLimitMs])).toEqual([
      ['hello', 10_000],
      ['slow', 1500],
      ['hello-2', 10_000],
      ['hello-3', 10_000],
    ]);
    expect(c?.groups).toEqual([{ id: 'pair', title: 'Two at once', snippetIds: ['hello-2', 'hello-3'] }]);
    expect(c?.snippets[0]?.code).toContain('hello from');
  });

  it('shows a bad snippet block in place, naming the field, and keeps the good one', async () => {
    const c = await store.get('03-bad-block');
    expect(c?.snippets.map((s) => s.id)).toEqual(['ok']);
    expect(c?.html).toMatch(/mb-content-error[^>]*>[^<]*snippet block at line 11[^<]*expect: expect is/);
    const list = await store.list();
    expect(list.problems.some((p) => p.path.includes('03-bad-block') && p.message.includes('expect'))).toBe(
      true,
    );
  });

  it('refuses slugs that are not NN-slug', async () => {
    expect(await store.get('../02-broken')).toBeUndefined();
  });
});
