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

describe('verify exercises', () => {
  it('holds solution, starter and every wrong submission to what they claim, and reports broken exercises', async () => {
    const { ExerciseStore } = await import('../src/grading/exercises');
    const { verifyExercises } = await import('../src/verify/exercises');
    const { verdicts, problems } = await verifyExercises(
      new ExerciseStore(path.join(import.meta.dirname, 'fixtures')),
      {
        target: 'embedded',
      },
    );
    expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    expect(verdicts.map((v) => v.what)).toEqual([
      'no stray files',
      'the starter has a TODO',
      'the solution passes',
      'the starter fails',
      'wrong/asks-twice.ts fails its check',
      'wrong/hardcoded-name.ts fails its check',
      'a wrong submission fails "answers GET /greet with hello and the name from the name service"',
      'a wrong submission fails "asks the name service once per request"',
    ]);
    expect(problems.map((p) => p.path)).toEqual([path.join('exercises', '02-broken', 'exercise.json')]);
  });
});
