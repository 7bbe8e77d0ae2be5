/**
 * <mb-chapter-list>: the table of contents, with the learner's progress per chapter (snippets whose run met
 * their `expect`, out of those the chapter had when last opened), the brokers each uses, any chapter the server
 * could not read, passed exercises out of each chapter's exercises, export and import of progress as a JSON
 * file, and a way to start over (forget every mark and edit).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { ChapterList, ExerciseList } from '@msgbook/protocol';
import { sandboxContext, type SandboxClient } from '../services/sandbox-client';
import { progressContext, type ProgressStore } from '../services/progress-store';
import { fetchChapterList, fetchExerciseList } from '../services/content';
import { chapterHref } from '../services/route';
import { BROKER_NAMES } from '../services/broker-names';

@customElement('mb-chapter-list')
export class MbChapterList extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    ol {
      list-style: none;
      padding: 0;
    }
    ol > li {
      border: 1px solid var(--mb-border);
      border-radius: 8px;
      padding: 0.75rem 1rem;
      margin: 0.75rem 0;
      background: var(--mb-panel);
    }
    a {
      color: var(--mb-link);
      font-weight: 600;
      font-size: 1.1rem;
    }
    a:focus-visible {
      outline: 3px solid var(--mb-focus);
      outline-offset: 2px;
    }
    p {
      margin: 0.25rem 0 0;
      color: var(--mb-muted);
    }
    .progress {
      font-size: 0.85rem;
      margin-left: 0.5rem;
      color: var(--mb-muted);
    }
    .progress.done {
      color: var(--mb-ok);
      font-weight: 600;
    }
    ul.brokers {
      display: flex;
      gap: 0.4rem;
      list-style: none;
      padding: 0;
      margin: 0.4rem 0 0;
    }
    ul.brokers li {
      border: 1px solid var(--mb-border);
      border-radius: 999px;
      padding: 0 0.5rem;
      margin: 0;
      font-size: 0.8rem;
      background: none;
    }
    .start-over {
      margin-top: 2rem;
      color: var(--mb-muted);
      font-size: 0.9rem;
    }
    button {
      font: inherit;
      padding: 0.25rem 0.8rem;
      border-radius: 6px;
      border: 1px solid var(--mb-border);
      background: var(--mb-button);
      color: var(--mb-fg);
      cursor: pointer;
      margin-right: 0.5rem;
    }
    button:focus-visible {
      outline: 3px solid var(--mb-focus);
      outline-offset: 2px;
    }
    .problem {
      color: var(--mb-bad);
    }
  `;

  @consume({ context: sandboxContext }) private client!: SandboxClient;
  @consume({ context: progressContext }) private progress!: ProgressStore;
  @state() private list: ChapterList | undefined;
  @state() private error: string | undefined;
  @state() private exercises: ExerciseList['exercises'] = [];
  @state() private importError: string | undefined;

  private readonly onProgress = () => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    this.progress.addEventListener('change', this.onProgress);
    document.title = 'msgbook';
    fetchChapterList(this.client.authHeaders()).then(
      (list) => (this.list = list),
      (e: unknown) => (this.error = e instanceof Error ? e.message : String(e)),
    );
    fetchExerciseList(this.client.authHeaders()).then(
      ({ exercises }) => (this.exercises = exercises),
      () => undefined, // the chapters still list without their exercises
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.progress.removeEventListener('change', this.onProgress);
  }

  private exerciseMark(chapter: string) {
    const ids = this.exercises.filter((e) => e.chapter === chapter).map((e) => e.id);
    if (!ids.length) return nothing;
    const passed = ids.filter((id) => this.progress.isExerciseDone(id)).length;
    const all = passed === ids.length;
    return html`<span class="progress exercises ${all ? 'done' : ''}" data-exercises=${chapter}>
      ${all ? '✓ exercises done' : `${passed} of ${ids.length} exercises done`}
    </span>`;
  }

  override render() {
    if (this.error)
      return html`<p class="problem" role="alert">Could not load the chapters: ${this.error}</p>`;
    if (!this.list) return html`<p aria-busy="true">Loading chapters…</p>`;
    return html`<h1>Chapters</h1>
      <ol>
        ${this.list.chapters.map((c) => {
          const { done, total } = this.progress.count(c.slug);
          const complete = total > 0 && done === total;
          return html`<li>
            <a href=${chapterHref(c.slug)}>${c.title}</a>
            ${
              total > 0
                ? html`<span class="progress ${complete ? 'done' : ''}" data-slug=${c.slug}>
                    ${complete ? '✓ done' : `${done} of ${total} snippets done`}
                  </span>`
                : nothing
            }
            ${this.exerciseMark(c.slug)}
            <p>${c.summary}</p>
            ${
              c.brokers.length
                ? html`<ul class="brokers" aria-label="Brokers used">
                    ${c.brokers.map((b) => html`<li>${BROKER_NAMES[b]}</li>`)}
                  </ul>`
                : nothing
            }
          </li>`;
        })}
      </ol>
      ${this.list.problems.map(
        (p) => html`<p class="problem">Could not read <code>${p.path}</code>: ${p.message}</p>`,
      )}
      <p class="start-over">
        <button @click=${this.startOver}>Start over…</button>
        Forgets your progress marks and edited code in this browser.
      </p>
      <p class="start-over">
        <button class="export" @click=${this.exportProgress}>Export progress</button>
        <label class="import">
          Import progress from a file:
          <input type="file" accept="application/json,.json" @change=${this.importProgress} />
        </label>
        ${this.importError ? html`<span class="problem" role="alert">${this.importError}</span>` : nothing}
      </p>`;
  }

  private exportProgress(): void {
    const blob = new Blob([JSON.stringify(this.progress.exportAll(), null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    Object.assign(document.createElement('a'), { href: url, download: 'msgbook-progress.json' }).click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  private async importProgress(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    this.importError = undefined;
    try {
      const data: unknown = JSON.parse(await file.text());
      if (!confirm('Replace the progress and edits in this browser with the file’s?')) return;
      this.progress.importAll(data);
    } catch (err) {
      this.importError = `Could not import ${file.name}: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      input.value = '';
    }
  }

  private startOver(): void {
    if (confirm('Forget every progress mark and every edit you made to the snippets, in this browser?')) {
      this.progress.forgetAll();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-chapter-list': MbChapterList;
  }
}
