// The learner's local state: which snippets had a run that met their `expect`, which exercises passed, and edited
// snippet and exercise code.
// Kept in localStorage (one browser profile = one learner); a chapter is done when every snippet it had on the
// last visit is done. Provided from <mb-app> with @lit/context; `change` events tell views to re-render.
import { createContext } from '@lit/context';
import type { Expect, KillReason } from '@msgbook/protocol';

const PROGRESS_KEY = 'msgbook:progress';
const EDIT_PREFIX = 'msgbook:edit:';
const EXERCISES_KEY = 'msgbook:exercises-passed';
/** Under EDIT_PREFIX, so "start over" forgets exercise edits too. */
const EXERCISE_EDIT_PREFIX = `${EDIT_PREFIX}exercise:`;
const BASE_SUFFIX = ':base';

interface ChapterProgress {
  /** Snippet ids the chapter had when last opened, so the list can count without fetching every chapter. */
  snippets: string[];
  done: string[];
}

/** How a run ended, as far as `expect` cares. */
export interface RunOutcome {
  code: number | null;
  reason: KillReason | undefined;
  output: string;
}

const PROGRESS_FORMAT = 'msgbook-progress';

export interface ProgressFile {
  format: typeof PROGRESS_FORMAT;
  version: 1;
  items: Record<string, string>;
}

function isProgressKey(key: string): boolean {
  return key === PROGRESS_KEY || key === EXERCISES_KEY || key.startsWith(EDIT_PREFIX);
}

export const progressContext = createContext<ProgressStore>('msgbook-progress');

export class ProgressStore extends EventTarget {
  private progress: Record<string, ChapterProgress>;
  private passed: string[];

  constructor(private readonly storage: Storage = localStorage) {
    super();
    try {
      this.progress = JSON.parse(storage.getItem(PROGRESS_KEY) ?? '{}') as Record<string, ChapterProgress>;
    } catch {
      this.progress = {};
    }
    try {
      const passed: unknown = JSON.parse(storage.getItem(EXERCISES_KEY) ?? '[]');
      this.passed = Array.isArray(passed) ? passed.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      this.passed = [];
    }
  }

  exercisePassed(id: string): void {
    if (this.passed.includes(id)) return;
    this.passed.push(id);
    this.save();
  }

  isExerciseDone(id: string): boolean {
    return this.passed.includes(id);
  }

  exerciseCode(id: string, file: string): string | null {
    return this.storage.getItem(`${EXERCISE_EDIT_PREFIX}${id}/${file}`);
  }

  /** The starter as it was when the learner began editing, kept so a changed starter can be noticed. */
  exerciseBase(id: string, file: string): string | null {
    return this.storage.getItem(`${EXERCISE_EDIT_PREFIX}${id}/${file}${BASE_SUFFIX}`);
  }

  /** `starter` becomes the edit's base when the edit starts, or when the learner acknowledges a new starter. */
  saveExerciseEdit(id: string, file: string, code: string, starter: string, rebase = false): void {
    const key = `${EXERCISE_EDIT_PREFIX}${id}/${file}`;
    if (code === starter) {
      this.storage.removeItem(key);
      this.storage.removeItem(key + BASE_SUFFIX);
      return;
    }
    this.storage.setItem(key, code);
    if (rebase || this.storage.getItem(key + BASE_SUFFIX) === null)
      this.storage.setItem(key + BASE_SUFFIX, starter);
  }

  visited(chapter: string, snippetIds: string[]): void {
    const p = this.chapter(chapter);
    p.snippets = snippetIds;
    this.save();
  }

  markDone(chapter: string, snippetId: string): void {
    const p = this.chapter(chapter);
    if (p.done.includes(snippetId)) return;
    p.done.push(snippetId);
    this.save();
  }

  isDone(chapter: string, snippetId: string): boolean {
    return this.progress[chapter]?.done.includes(snippetId) ?? false;
  }

  /** `total` is 0 for a chapter never opened. */
  count(chapter: string): { done: number; total: number } {
    const p = this.progress[chapter];
    if (!p) return { done: 0, total: 0 };
    return { done: p.snippets.filter((id) => p.done.includes(id)).length, total: p.snippets.length };
  }

  editedCode(chapter: string, snippetId: string): string | null {
    return this.storage.getItem(`${EDIT_PREFIX}${chapter}/${snippetId}`);
  }

  saveEdit(chapter: string, snippetId: string, code: string, original: string): void {
    const key = `${EDIT_PREFIX}${chapter}/${snippetId}`;
    if (code === original) this.storage.removeItem(key);
    else this.storage.setItem(key, code);
  }

  /** Every mark and edit, as the JSON file the learner exports (to move browsers, or to hand in). */
  exportAll(): ProgressFile {
    const items: Record<string, string> = {};
    for (let i = 0; i < this.storage.length; i++) {
      const key = this.storage.key(i);
      if (key && isProgressKey(key)) items[key] = this.storage.getItem(key) ?? '';
    }
    return { format: PROGRESS_FORMAT, version: 1, items };
  }

  /**
   * Takes an exported file's marks and edits in place of this browser's own; throws on anything else, changing
   * nothing. Only progress keys are read, so a crafted file cannot set the session or the launch token.
   */
  importAll(data: unknown): void {
    const file = data as Partial<ProgressFile> | null;
    if (
      typeof file !== 'object' ||
      file === null ||
      file.format !== PROGRESS_FORMAT ||
      file.version !== 1 ||
      typeof file.items !== 'object' ||
      file.items === null ||
      !Object.entries(file.items).every(([k, v]) => isProgressKey(k) && typeof v === 'string')
    )
      throw new Error('not a msgbook progress file');
    this.forgetAll();
    for (const [k, v] of Object.entries(file.items)) this.storage.setItem(k, v);
    const fresh = new ProgressStore(this.storage);
    this.progress = fresh.progress;
    this.passed = fresh.passed;
    this.save();
  }

  /** Forgets every mark and every edit (the list's "start over"). */
  forgetAll(): void {
    for (let i = this.storage.length - 1; i >= 0; i--) {
      const key = this.storage.key(i);
      if (key?.startsWith(EDIT_PREFIX)) this.storage.removeItem(key);
    }
    this.progress = {};
    this.passed = [];
    this.save();
  }

  private chapter(slug: string): ChapterProgress {
    return (this.progress[slug] ??= { snippets: [], done: [] });
  }

  private save(): void {
    this.storage.setItem(PROGRESS_KEY, JSON.stringify(this.progress));
    this.storage.setItem(EXERCISES_KEY, JSON.stringify(this.passed));
    this.dispatchEvent(new Event('change'));
  }
}

/** Whether a finished run is what the snippet declares (the same rule `msgbook verify` applies). */
export function meetsExpect(expect: Expect, run: RunOutcome): boolean {
  if (expect.output !== undefined && !safeRegExp(expect.output).test(run.output)) return false;
  if ('stopped' in expect) return run.reason === expect.stopped;
  if (run.reason !== undefined) return false;
  return expect.exit === 'nonzero' ? run.code !== null && run.code !== 0 : run.code === expect.exit;
}

function safeRegExp(source: string): RegExp {
  try {
    return new RegExp(source, 'm');
  } catch {
    return { test: (s: string) => s.includes(source) } as RegExp;
  }
}
