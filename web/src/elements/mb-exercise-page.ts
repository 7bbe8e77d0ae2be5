/**
 * <mb-exercise-page>: one exercise (`#/exercises/ID`): the task, an editor per file on the learner's code (kept
 * in localStorage, marked "edited"), Check (also Ctrl/Cmd+Enter) streaming each check's result as it completes,
 * hints one tier at a time, Reset and Show solution behind a confirmation, a notice with the new starter beside the
 * learner's code when the starter changed since they began, and "Download my work" (the file `msgbook grade --dir`
 * reads). A pass marks the exercise done.
 *
 * @property exerciseId - the exercise to show
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { Exercise } from '@msgbook/protocol/exercise';
import type { SourceFile } from '@msgbook/protocol/messages';
import { sandboxContext, type SandboxClient } from '../services/sandbox-client';
import { progressContext, type ProgressStore } from '../services/progress-store';
import { fetchChapterList, fetchExercise, fetchSolution } from '../services/content';
import { chapterHref } from '../services/route';
import { renderMarkdown } from '../services/markdown-lite';
import type { CodeChangeEvent, MbEditor } from './mb-editor';
import './mb-editor';
import { summary, type Grading } from './mb-grade-results';

@customElement('mb-exercise-page')
export class MbExercisePage extends LitElement {
  static override styles = css`
    :host {
      display: block;
      line-height: 1.6;
    }
    a {
      color: var(--mb-link);
    }
    a:focus-visible,
    button:focus-visible,
    summary:focus-visible {
      outline: 3px solid var(--mb-focus);
      outline-offset: 2px;
    }
    h1 {
      font-size: 2rem;
      line-height: 1.2;
    }
    .task code,
    .hints code {
      font-family: var(--mb-mono);
      font-size: 0.9em;
      background: var(--mb-code-bg);
      padding: 0.1em 0.3em;
      border-radius: 4px;
    }
    .task pre,
    pre.output,
    pre.solution {
      background: var(--mb-code-bg);
      padding: 0.75rem;
      border-radius: 6px;
      overflow-x: auto;
      font: 13px/1.4 var(--mb-mono);
    }
    .task pre code {
      background: none;
      padding: 0;
    }
    .task table {
      border-collapse: collapse;
    }
    .task td,
    .task th {
      border: 1px solid var(--mb-border);
      padding: 0.3rem 0.5rem;
      text-align: left;
      vertical-align: top;
    }
    .done {
      color: var(--mb-ok);
      font-weight: 600;
    }
    .file {
      display: flex;
      gap: 0.75rem;
      align-items: baseline;
      font-family: var(--mb-mono);
      margin: 1rem 0 0.25rem;
    }
    .edited {
      font-family: system-ui, sans-serif;
      font-size: 0.8rem;
      color: var(--mb-muted);
      border: 1px solid var(--mb-border);
      border-radius: 999px;
      padding: 0 0.5rem;
    }
    .side-by-side {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 1rem;
    }
    .side-by-side > * {
      min-width: 0;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      margin: 0.75rem 0;
    }
    button {
      font: inherit;
      padding: 0.3rem 0.9rem;
      border-radius: 6px;
      border: 1px solid var(--mb-border);
      background: var(--mb-button);
      color: var(--mb-fg);
      cursor: pointer;
    }
    button.primary {
      background: var(--mb-accent);
      border-color: transparent;
      color: var(--mb-on-accent);
    }
    button:disabled {
      opacity: 0.6;
      cursor: default;
    }
    .error {
      color: var(--mb-bad);
    }
    .starter-changed {
      border: 1px solid var(--mb-warn);
      background: var(--mb-warn-bg);
      color: var(--mb-warn-fg);
      border-radius: 6px;
      padding: 0.5rem 0.75rem;
    }
    /* the results section shows the same words; this copy is for screen readers */
    .announce {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
  `;

  @property() exerciseId = '';
  @consume({ context: sandboxContext }) private client!: SandboxClient;
  @consume({ context: progressContext }) private progress!: ProgressStore;
  @state() private exercise: Exercise | undefined;
  @state() private error: string | undefined;
  /** The learner's code per file name. */
  @state() private code = new Map<string, string>();
  @state() private grading: Grading | undefined;
  @state() private running = false;
  @state() private hintsShown = 0;
  @state() private solution: SourceFile[] | undefined;
  @state() private announcement = '';
  /** Files whose starter changed since the learner began editing them. */
  @state() private changedStarters: string[] = [];
  /** The chapter's title for the breadcrumb; its slug until the list arrives. */
  @state() private chapterTitle: string | undefined;
  private readonly onProgress = () => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    this.progress.addEventListener('change', this.onProgress);
    // Check waits for the connection
    this.client.addEventListener('change', this.onProgress);
    this.addEventListener('keydown', this.onKey);
  }

  /** Ctrl/Cmd+Enter checks from anywhere in the view (the editor asks for it through mb-run-request). */
  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || e.defaultPrevented) return;
    if (e.composedPath().some((t) => t instanceof HTMLElement && t.localName === 'mb-editor')) return;
    e.preventDefault();
    this.check();
  };

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.progress.removeEventListener('change', this.onProgress);
    this.client.removeEventListener('change', this.onProgress);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('exerciseId')) void this.load(this.exerciseId);
  }

  private async load(id: string): Promise<void> {
    this.error = undefined;
    this.grading = undefined;
    this.running = false;
    this.solution = undefined;
    this.hintsShown = 0;
    this.chapterTitle = undefined;
    try {
      const ex = await fetchExercise(id, this.client.authHeaders());
      if (id !== this.exerciseId) return;
      this.code = new Map(
        ex.files.map((f) => [f.name, this.progress.exerciseCode(ex.id, f.name) ?? f.starter]),
      );
      this.changedStarters = ex.files
        .filter((f) => {
          const base = this.progress.exerciseBase(ex.id, f.name);
          return this.progress.exerciseCode(ex.id, f.name) !== null && base !== null && base !== f.starter;
        })
        .map((f) => f.name);
      document.title = `${ex.title} · msgbook`;
      this.exercise = ex;
      fetchChapterList(this.client.authHeaders()).then(
        ({ chapters }) => (this.chapterTitle = chapters.find((c) => c.slug === ex.chapter)?.title),
        () => undefined, // the slug stands in
      );
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  override render() {
    const ex = this.exercise;
    if (this.error)
      return html`<nav aria-label="Breadcrumb"><a href="#/">All chapters</a></nav>
        <p class="error" role="alert">Could not load this exercise: ${this.error}</p>`;
    if (!ex || ex.id !== this.exerciseId) return html`<p aria-busy="true">Loading exercise…</p>`;
    const done = this.progress.isExerciseDone(ex.id);
    // the task's own `# Title` is the page's h1
    const readme = ex.readme.replace(/^\s*#\s+[^\n]*\n/, '');
    return html`<nav aria-label="Breadcrumb">
        <a href="#/">All chapters</a> ›
        <a href=${chapterHref(ex.chapter)}>${this.chapterTitle ?? `Chapter ${ex.chapter}`}</a>
      </nav>
      <h1>${ex.title}</h1>
      ${done ? html`<p class="done" data-testid="exercise-done">✓ Completed</p>` : nothing}
      <section class="task" aria-label="Task">${renderMarkdown(readme)}</section>
      ${this.renderHints(ex)}
      <section aria-label="Your code">
        ${ex.files.map((f) => this.renderFile(f.name, f.starter))}
        <div class="actions">
          <button
            class="primary check"
            ?disabled=${this.running || this.client.state !== 'open'}
            @click=${this.check}
            title="Ctrl+Enter"
          >
            ${this.running ? 'Checking…' : 'Check'}
          </button>
          <button class="reset" @click=${this.reset}>Reset to starter</button>
          <button class="download" @click=${this.download}>Download my work</button>
          <button class="show-solution" @click=${this.toggleSolution}>
            ${this.solution ? 'Hide solution' : 'Show solution'}
          </button>
        </div>
      </section>
      <p class="announce" role="status" aria-live="polite">${this.announcement}</p>
      ${
        this.grading
          ? html`<mb-grade-results
              .checks=${ex.checks}
              .grading=${this.grading}
              ?running=${this.running}
            ></mb-grade-results>`
          : nothing
      }`;
  }

  private renderFile(name: string, starter: string) {
    const code = this.code.get(name) ?? starter;
    const editor = html`<mb-editor
      active
      data-file=${name}
      .code=${code}
      label=${`Your ${name}`}
      @mb-code-change=${(e: CodeChangeEvent) => this.edit(name, e.detail.code, starter)}
      @mb-run-request=${this.check}
    ></mb-editor>`;
    const solution = this.solution?.find(
      (s) => s.name === name || (name === 'starter.ts' && s.name === 'solution.ts'),
    );
    const changed = this.changedStarters.includes(name);
    return html`<div class="file">
        <span>${name}</span>${code !== starter ? html`<span class="edited">edited</span>` : nothing}
      </div>
      ${
        changed
          ? html`<div class="starter-changed" role="note">
              <p>
                The starter of ${name} has changed since you began editing it. Your code is kept; the new
                starter is beside it.
                <button class="keep" @click=${() => this.acknowledge(name, starter)}>Got it</button>
              </p>
              <div class="side-by-side">
                <div>${editor}</div>
                <div>
                  <div class="file"><span>new starter</span></div>
                  <pre class="solution" aria-label=${`New starter for ${name}`}>${starter}</pre>
                </div>
              </div>
            </div>`
          : this.solution
            ? html`<div class="side-by-side">
                <div>${editor}</div>
                <div>
                  <div class="file"><span>solution</span></div>
                  <pre class="solution" aria-label=${`Solution for ${name}`}>
${solution?.code ?? '(none)'}</pre>
                </div>
              </div>`
            : editor
      }`;
  }

  private renderHints(ex: Exercise) {
    const shown = ex.hints.slice(0, this.hintsShown);
    return html`<section class="hints" aria-label="Hints">
      ${
        shown.length
          ? html`<ol>
              ${shown.map((h) => html`<li>${renderMarkdown(h)}</li>`)}
            </ol>`
          : nothing
      }
      ${
        this.hintsShown < ex.hints.length
          ? html`<button class="hint" @click=${() => this.hintsShown++}>
              ${this.hintsShown ? 'Another hint' : 'Show a hint'} (${this.hintsShown + 1} of
              ${ex.hints.length})
            </button>`
          : nothing
      }
    </section>`;
  }

  private edit(name: string, code: string, starter: string): void {
    const ex = this.exercise;
    if (!ex) return;
    this.code = new Map(this.code).set(name, code);
    this.progress.saveExerciseEdit(ex.id, name, code, starter);
  }

  private readonly check = (): void => {
    const ex = this.exercise;
    if (!ex || this.running) return;
    // starter.ts first, then the exercise's other files, as the grader expects
    const files = ex.files.map((f) => ({ name: f.name, code: this.code.get(f.name) ?? f.starter }));
    const grading: Grading = { tests: [], results: undefined, failure: undefined };
    this.grading = grading;
    this.running = true;
    this.announcement = 'Checking…';
    // a fresh object per message, so lit sees the change; a newer Check has replaced `current` by then
    let current = grading;
    const update = () => {
      if (this.grading !== current) return;
      current = { ...grading, tests: [...grading.tests] };
      this.grading = current;
    };
    this.client.grade(ex.id, files, {
      test: (index, test) => {
        grading.tests[index] = test;
        this.announcement = `${test.name}: ${test.status === 'pass' ? 'passed' : 'failed'}`;
        update();
      },
      done: (results) => {
        grading.results = results;
        results.tests.forEach((t, i) => (grading.tests[i] = t));
        this.running = false;
        this.announcement = summary(results);
        if (results.status === 'pass') this.progress.exercisePassed(ex.id);
        update();
      },
      failed: (message) => {
        grading.failure = message;
        this.running = false;
        this.announcement = message;
        update();
      },
    });
  };

  private reset(): void {
    const ex = this.exercise;
    if (!ex || !confirm('Replace your code with the starter? Your edits will be lost.')) return;
    for (const f of ex.files) {
      this.progress.saveExerciseEdit(ex.id, f.name, f.starter, f.starter);
      this.renderRoot
        .querySelector<MbEditor>(`mb-editor[data-file="${CSS.escape(f.name)}"]`)
        ?.setCode(f.starter);
    }
    this.code = new Map(ex.files.map((f) => [f.name, f.starter]));
    this.changedStarters = [];
  }

  private acknowledge(name: string, starter: string): void {
    const ex = this.exercise;
    if (!ex) return;
    this.progress.saveExerciseEdit(ex.id, name, this.code.get(name) ?? starter, starter, true);
    this.changedStarters = this.changedStarters.filter((n) => n !== name);
  }

  /**
   * One file named after the exercise, as `msgbook grade EXERCISE --dir` takes a `.ts` file per learner.
   * An exercise with several files is a folder there, which a browser cannot save: each file goes separately.
   */
  private download(): void {
    const ex = this.exercise;
    if (!ex) return;
    for (const f of ex.files) {
      const name = ex.files.length === 1 ? `${ex.id}.ts` : `${ex.id}-${f.name}`;
      const url = URL.createObjectURL(new Blob([this.code.get(f.name) ?? f.starter], { type: 'text/plain' }));
      const a = Object.assign(document.createElement('a'), { href: url, download: name });
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 0);
    }
  }

  private async toggleSolution(): Promise<void> {
    const ex = this.exercise;
    if (!ex) return;
    if (this.solution) {
      this.solution = undefined;
      return;
    }
    if (!confirm('Show the reference solution? Trying a hint first teaches more.')) return;
    try {
      this.solution = await fetchSolution(ex.id, this.client.authHeaders());
    } catch (e) {
      this.announcement = `Could not load the solution: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-exercise-page': MbExercisePage;
  }
}
