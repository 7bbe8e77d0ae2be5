// Reads exercises/NN-slug/ (README.md, starter.ts, exercise.json, checks.ts) and solutions/NN-slug/ (design.md §3).
// A broken exercise is reported with its file and field and left out; every other exercise still loads.
import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ExerciseJson, type ContentProblem, type Exercise } from '@msgbook/protocol';
import type { LearnerFile } from '../runner/transpile';

export interface LoadedExercise {
  json: ExerciseJson;
  dir: string;
  readme: string;
  /** starter.ts first, then the extra files the learner edits. */
  starter: LearnerFile[];
  /** solution.ts first, then the solution's versions of the extra files; absent when there is no solution. */
  solution?: LearnerFile[];
  checksFile: string;
}

const SLUG = /^\d\d-[a-z0-9]+(?:-[a-z0-9]+)*$/;

export class ExerciseStore {
  constructor(readonly root: string) {}

  async all(): Promise<{ exercises: LoadedExercise[]; problems: ContentProblem[] }> {
    const dirs = await readdir(path.join(this.root, 'exercises'), { withFileTypes: true }).catch(() => []);
    const exercises: LoadedExercise[] = [];
    const problems: ContentProblem[] = [];
    for (const d of dirs.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      const loaded = await this.load(d.name);
      if ('exercise' in loaded) exercises.push(loaded.exercise);
      else problems.push(loaded.problem);
    }
    return { exercises, problems };
  }

  async get(id: string): Promise<LoadedExercise | undefined> {
    if (!SLUG.test(id)) return undefined;
    const loaded = await this.load(id);
    return 'exercise' in loaded ? loaded.exercise : undefined;
  }

  /** Like `get`, but says why an exercise is unavailable. */
  async load(id: string): Promise<{ exercise: LoadedExercise } | { problem: ContentProblem }> {
    const dir = path.join(this.root, 'exercises', id);
    const rel = (f: string) => path.join('exercises', id, f);
    const problem = (file: string, message: string) => ({ problem: { path: rel(file), message } });
    if (!SLUG.test(id)) return problem('', 'the folder name must be NN-slug, e.g. 01-checkout-deadline');
    let raw: string;
    try {
      raw = await readFile(path.join(dir, 'exercise.json'), 'utf8');
    } catch {
      return problem('exercise.json', 'missing');
    }
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch (err) {
      return problem('exercise.json', `not valid JSON: ${(err as Error).message}`);
    }
    const parsed = ExerciseJson.safeParse(data);
    if (!parsed.success) {
      const first = parsed.error.issues[0]!;
      return problem('exercise.json', `${first.path.join('.') || '(file)'}: ${first.message}`);
    }
    const json = parsed.data;
    if (json.id !== id)
      return problem('exercise.json', `id: "${json.id}" does not match the folder name ${id}`);
    const read = async (p: string) => readFile(p, 'utf8').catch(() => undefined);
    const readme = await read(path.join(dir, 'README.md'));
    if (readme === undefined) return problem('README.md', 'missing');
    const starter: LearnerFile[] = [];
    for (const name of ['starter.ts', ...json.files]) {
      const code = await read(path.join(dir, name));
      if (code === undefined) return problem(name, 'missing (listed in exercise.json files)');
      starter.push({ name, code });
    }
    const checksFile = path.join(dir, 'checks.ts');
    if (
      !(await access(checksFile).then(
        () => true,
        () => false,
      ))
    )
      return problem('checks.ts', 'missing');
    const solDir = path.join(this.root, 'solutions', id);
    const solutionMain = await read(path.join(solDir, 'solution.ts'));
    let solution: LearnerFile[] | undefined;
    if (solutionMain !== undefined) {
      solution = [{ name: 'solution.ts', code: solutionMain }];
      for (const name of json.files) {
        const code = (await read(path.join(solDir, name))) ?? starter.find((f) => f.name === name)!.code;
        solution.push({ name, code });
      }
    }
    return { exercise: { json, dir, readme, starter, solution, checksFile } };
  }
}

/** What the web app shows of an exercise: never the solution or the checks' code, only their names. */
export function publicView(ex: LoadedExercise, checkNames: string[]): Exercise {
  return {
    id: ex.json.id,
    title: ex.json.title,
    chapter: ex.json.chapter,
    brokers: ex.json.brokers,
    readme: ex.readme,
    hints: ex.json.hints,
    files: ex.starter.map((f) => ({ name: f.name, starter: f.code })),
    checks: checkNames,
  };
}
