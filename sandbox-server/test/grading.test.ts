// Grading from the trusted side: the reference solution passes, the starter fails with a message saying what was
// expected and what happened, cheating submissions fail, a syntax error is a fail with the compiler's message,
// type errors are warnings only, and a broken exercise is reported by file and field.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { Results } from '@msgbook/protocol';
import { ExerciseStore } from '../src/grading/exercises';
import { capOutput, grade } from '../src/grading/grade';
import { TypeChecker } from '../src/grading/typecheck';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const store = new ExerciseStore(fixtures);
const submission = (name: string) => [
  { name, code: readFileSync(path.join(fixtures, 'submissions', '01-greeter', name), 'utf8') },
];

async function greeter() {
  const ex = await store.get('01-greeter');
  if (!ex) throw new Error('fixture missing');
  return ex;
}

describe('grading', () => {
  it('passes the reference solution, streaming each test as it completes, results in reading order', async () => {
    const ex = await greeter();
    const seen: [number, string][] = [];
    const r = await grade(ex, ex.solution!, { target: 'embedded', onTest: (t, i) => seen.push([i, t.name]) });
    expect(Results.parse(r)).toEqual(r);
    expect(r.status).toBe('pass');
    const names = [
      'answers GET /greet with hello and the name from the name service',
      'asks the name service once per request',
    ];
    expect(r.tests.map((t) => t.name)).toEqual(names);
    expect(seen.sort((a, b) => a[0] - b[0])).toEqual(names.map((n, i) => [i, n]));
  });

  it('runs the checks of an exercise without brokers side by side', async () => {
    // The fixture's two checks wait for each other: one after another, the first would time out.
    const ex = await new ExerciseStore(path.join(fixtures, 'parallel')).get('01-barrier');
    const r = await grade(ex!, ex!.starter, { target: 'embedded' });
    expect(r.tests.map((t) => t.status)).toEqual(['pass', 'pass']);
  });

  it('fails the starter with what was expected and what happened', async () => {
    const ex = await greeter();
    const r = await grade(ex, ex.starter, { target: 'embedded' });
    expect(r.status).toBe('fail');
    expect(r.tests[0]).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/^expected "hello Ada-\w+", got "hello world"$/),
    });
    expect(r.tests[1]).toMatchObject({
      status: 'fail',
      message: 'expected 3 requests to the name service, got 0',
    });
  });

  it.each(['cheat-prints-pass.ts', 'cheat-reads-solution.ts', 'cheat-writes-results.ts'])(
    'fails a cheating submission: %s',
    async (name) => {
      const r = await grade(await greeter(), submission(name), { target: 'embedded' });
      expect(r.status).toBe('fail');
      expect(r.tests.every((t) => t.status === 'fail')).toBe(true);
      expect(r.tests[0]!.message).toMatch(/before it listened on PORT/);
    },
  );

  it('keeps what a cheating program printed, and shows the sandbox refused to read the solution', async () => {
    const r = await grade(await greeter(), submission('cheat-reads-solution.ts'), {
      target: 'embedded',
    });
    expect(r.tests[0]!.output).toContain('ERR_ACCESS_DENIED');
    expect(r.tests[0]!.output).not.toContain('fetch(`${process.env.NAME_URL}');
  });

  it('keeps the output without terminal colours, for checks to match and the page to show', async () => {
    const code = `console.log({ colours: true, n: 42 });\nthrow new Error('boom before listening');`;
    const r = await grade(await greeter(), [{ name: 'throws.ts', code }], { target: 'embedded' });
    expect(r.tests[0]!.output).toContain('boom before listening');
    expect(r.tests[0]!.output).toContain('n: 42');
    expect(r.tests[0]!.output).not.toContain('\x1b[');
  });

  it('fails a syntax error with the compiler message, not as an error of the grader', async () => {
    const r = await grade(await greeter(), submission('syntax-error.ts'), {
      target: 'embedded',
    });
    expect(r.status).toBe('fail');
    expect(r.tests[0]!.message).toMatch(
      /does not compile:\nsyntax-error\.ts:2:\d+: error: Expected "\)" but found "}"/,
    );
    expect(r.tests[1]!.message).toBe('not run: the program does not compile');
  });

  it('lists type errors as warnings with line numbers without changing the status', async () => {
    const typeChecker = new TypeChecker();
    const r = await grade(await greeter(), submission('type-error.ts'), { target: 'embedded', typeChecker });
    typeChecker.stop();
    expect(r.status).toBe('pass');
    expect(r.warnings).toContainEqual(
      expect.objectContaining({
        file: 'type-error.ts',
        line: 5,
        message: expect.stringMatching(/not assignable to type 'number'/),
      }),
    );
  });

  it('reports a broken exercise by file and field and still loads the others', async () => {
    const { exercises, problems } = await store.all();
    expect(exercises.map((e) => e.json.id)).toEqual(['01-greeter']);
    expect(problems).toEqual([
      {
        path: path.join('exercises', '02-broken', 'exercise.json'),
        message: expect.stringMatching(/^hints: /),
      },
    ]);
  });

  it('caps the output of a test at 2 KB, keeping the end', () => {
    const capped = capOutput('x'.repeat(5000) + 'THE END');
    expect(Buffer.byteLength(capped)).toBeLessThanOrEqual(2048);
    expect(capped.endsWith('THE END')).toBe(true);
  });
});
