// Every link between the workbook's pages leads somewhere: a chapter that exists and, when the link names a place
// in it, a heading, snippet or group of that chapter; an exercise that exists. Checked on the repository's own
// chapters and exercises, as the web app routes them.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { REPO_ROOT } from '../src/config';
import { ChapterStore } from '../src/content/chapters';
import { appHref } from '../src/content/links';
import { ExerciseStore } from '../src/grading/exercises';

describe("the workbook's links", () => {
  it('lead to chapters, places in them and exercises that exist', async () => {
    const { chapters, problems } = await new ChapterStore(path.join(REPO_ROOT, 'chapters')).all();
    expect(problems).toEqual([]);
    const { exercises } = await new ExerciseStore(REPO_ROOT).all();
    const places = new Map(
      chapters.map((c) => [
        c.slug,
        new Set([
          ...[...c.html.matchAll(/<h\d id="([^"]+)"/g)].map((m) => m[1]!),
          ...c.snippets.map((s) => s.id),
          ...c.groups.map((g) => g.id),
        ]),
      ]),
    );
    const exerciseIds = new Set(exercises.map((e) => e.json.id));
    const links: { from: string; route: string }[] = [];
    for (const c of chapters) {
      for (const m of c.html.matchAll(/<a href="(#\/[^"]*)"/g)) links.push({ from: c.slug, route: m[1]! });
    }
    for (const e of exercises) {
      for (const m of e.readme.matchAll(/\]\(([^)\s]+)\)/g)) {
        const route =
          appHref(m[1]!, `exercises/${e.json.id}`) ?? (m[1]!.startsWith('#/') ? m[1]! : undefined);
        if (route) links.push({ from: e.json.id, route });
      }
    }
    expect(links.length).toBeGreaterThan(10);
    const broken = links.filter(({ route }) => {
      const [, kind, target, place] = /^#\/(chapters|exercises)\/([^/]+)(?:\/(.+))?$/.exec(route) ?? [];
      if (kind === 'exercises') return !exerciseIds.has(target!);
      if (kind === 'chapters')
        return !places.has(target!) || (place !== undefined && !places.get(target!)!.has(place));
      return true;
    });
    expect(broken).toEqual([]);
  });
});
