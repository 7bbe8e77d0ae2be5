/**
 * <mb-chapter-page>: one chapter: the server-rendered prose with its `<mb-snippet snippet-id>` and
 * `<mb-snippet-group group-id>` placeholders given their snippets, deep links to a snippet or group, and the
 * chapter's exercises at the end, each with its completed mark.
 *
 * @property slug - the chapter to show
 * @property anchor - a snippet or group id to scroll to and focus, or a heading id to scroll to, if any
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { consume } from '@lit/context';
import type { Chapter, ChapterSummary, ExerciseList } from '@msgbook/protocol';
import { sandboxContext, type SandboxClient } from '../services/sandbox-client';
import { progressContext, type ProgressStore } from '../services/progress-store';
import { fetchChapter, fetchChapterList, fetchExerciseList } from '../services/content';
import { chapterHref, exerciseHref } from '../services/route';
import './mb-snippet';
import './mb-snippet-group';
import type { MbSnippet } from './mb-snippet';
import type { MbSnippetGroup } from './mb-snippet-group';

@customElement('mb-chapter-page')
export class MbChapterPage extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    article {
      line-height: 1.6;
    }
    nav a,
    article a {
      color: var(--mb-link);
    }
    a:focus-visible {
      outline: 3px solid var(--mb-focus);
      outline-offset: 2px;
    }
    h1 {
      font-size: 2rem;
      line-height: 1.2;
    }
    .summary {
      color: var(--mb-muted);
      font-size: 1.1rem;
    }
    article code {
      font-family: var(--mb-mono);
      font-size: 0.9em;
      background: var(--mb-code-bg);
      padding: 0.1em 0.3em;
      border-radius: 4px;
    }
    article pre {
      background: var(--mb-code-bg);
      padding: 0.75rem;
      border-radius: 6px;
      overflow-x: auto;
    }
    article pre code {
      padding: 0;
      background: none;
    }
    article table {
      border-collapse: collapse;
      margin: 1rem 0;
    }
    article th,
    article td {
      border: 1px solid var(--mb-border);
      padding: 0.35rem 0.6rem;
      text-align: left;
      vertical-align: top;
    }
    article blockquote {
      margin: 1rem 0;
      padding: 0.25rem 1rem;
      border-left: 4px solid var(--mb-border);
      color: var(--mb-muted);
    }
    article th {
      background: var(--mb-panel);
    }
    article img {
      max-width: 100%;
      height: auto;
    }
    /* the server puts a broken snippet block's problem in place of the snippet */
    .exercises .done {
      color: var(--mb-ok);
      margin-left: 0.5rem;
    }
    .pager {
      display: flex;
      justify-content: space-between;
      gap: 1rem;
      margin-top: 3rem;
      padding-top: 1rem;
      border-top: 1px solid var(--mb-border);
    }
    .pager a {
      display: flex;
      flex-direction: column;
      text-decoration: none;
      font-weight: 600;
    }
    .pager .next {
      text-align: right;
    }
    .pager .label {
      font-weight: normal;
      font-size: 0.85rem;
      color: var(--mb-muted);
    }
    .error,
    .mb-content-error {
      color: var(--mb-bad);
    }
    .mb-content-error {
      border: 1px solid currentColor;
      border-radius: 6px;
      padding: 0.5rem 0.75rem;
    }
  `;

  @property() slug = '';
  @property() anchor: string | undefined;
  @consume({ context: sandboxContext }) private client!: SandboxClient;
  @consume({ context: progressContext }) private progress!: ProgressStore;
  @state() private chapter: Chapter | undefined;
  @state() private error: string | undefined;
  /** The chapters before and after this one, for the links at the bottom. */
  @state() private around: { prev?: ChapterSummary; next?: ChapterSummary } = {};
  @state() private exercises: ExerciseList['exercises'] = [];
  private readonly onProgress = () => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    this.progress.addEventListener('change', this.onProgress);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.progress.removeEventListener('change', this.onProgress);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('slug')) void this.load(this.slug);
  }

  override render() {
    const nav = html`<nav aria-label="Breadcrumb"><a href="#/">All chapters</a></nav>`;
    if (this.error)
      return html`${nav}
        <p class="error" role="alert">Could not load this chapter: ${this.error}</p>`;
    const c = this.chapter;
    if (!c || c.slug !== this.slug)
      return html`${nav}
        <p aria-busy="true">Loading chapter…</p>`;
    // Most chapters open with their own `# Title`; the front matter's title stands in when one does not.
    const ownTitle = /^\s*<h1[\s>]/.test(c.html);
    return html`${nav}
      ${
        ownTitle
          ? nothing
          : html`<h1>${c.title}</h1>
              <p class="summary">${c.summary}</p>`
      }
      <article>${unsafeHTML(c.html)}</article>
      ${this.renderExercises()}
      <nav class="pager" aria-label="Chapters">
        ${this.pagerLink(this.around.prev, 'Previous')} ${this.pagerLink(this.around.next, 'Next')}
      </nav>`;
  }

  private renderExercises() {
    if (!this.exercises.length) return nothing;
    return html`<section class="exercises" aria-labelledby="exercises-heading">
      <h2 id="exercises-heading">Exercises</h2>
      <ul>
        ${this.exercises.map(
          (e) =>
            html`<li data-exercise=${e.id}>
              <a href=${exerciseHref(e.id)}>${e.title}</a>
              ${this.progress.isExerciseDone(e.id) ? html`<span class="done">✓ completed</span>` : nothing}
            </li>`,
        )}
      </ul>
    </section>`;
  }

  private pagerLink(c: ChapterSummary | undefined, label: string) {
    return c
      ? html`<a class=${label.toLowerCase()} href=${chapterHref(c.slug)}>
          <span class="label">${label}</span>${c.title}
        </a>`
      : html`<span></span>`;
  }

  // an untyped map: `chapter` is private state, which PropertyValues<this> cannot name
  protected override updated(changed: PropertyValues): void {
    if (changed.has('chapter') && this.chapter) this.fillPlaceholders(this.chapter);
    if ((changed.has('chapter') || changed.has('anchor')) && this.chapter && this.anchor) {
      void this.reveal(this.anchor);
    }
  }

  private async load(slug: string): Promise<void> {
    this.error = undefined;
    this.around = {};
    this.exercises = [];
    fetchExerciseList(this.client.authHeaders()).then(
      ({ exercises }) => {
        if (slug === this.slug) this.exercises = exercises.filter((e) => e.chapter === slug);
      },
      () => undefined, // as the pager
    );
    fetchChapterList(this.client.authHeaders()).then(
      ({ chapters }) => {
        const i = chapters.findIndex((c) => c.slug === slug);
        if (i >= 0 && slug === this.slug) this.around = { prev: chapters[i - 1], next: chapters[i + 1] };
      },
      () => undefined, // the pager is a convenience; the chapter itself shows any error
    );
    try {
      const chapter = await fetchChapter(slug, this.client.authHeaders());
      if (slug !== this.slug) return;
      this.progress.visited(
        slug,
        chapter.snippets.map((s) => s.id),
      );
      document.title = `${chapter.title} · msgbook`;
      this.chapter = chapter;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  /** Data down: each placeholder the server left in the HTML gets its snippet(s) as properties. */
  private fillPlaceholders(c: Chapter): void {
    const byId = new Map(c.snippets.map((s) => [s.id, s]));
    for (const el of this.renderRoot.querySelectorAll<MbSnippet>('mb-snippet[snippet-id]')) {
      el.chapter = c.slug;
      el.snippet = byId.get(el.getAttribute('snippet-id') ?? '');
    }
    for (const el of this.renderRoot.querySelectorAll<MbSnippetGroup>('mb-snippet-group[group-id]')) {
      const group = c.groups.find((g) => g.id === el.getAttribute('group-id'));
      el.chapter = c.slug;
      el.group = group;
      el.snippets = (group?.snippetIds ?? []).flatMap((id) => byId.get(id) ?? []);
    }
  }

  private async reveal(anchor: string): Promise<void> {
    await this.updateComplete;
    const root = this.renderRoot;
    const snippet = root.querySelector<MbSnippet>(`mb-snippet[snippet-id="${CSS.escape(anchor)}"]`);
    if (snippet) return snippet.reveal();
    const group = root.querySelector<MbSnippetGroup>(`mb-snippet-group[group-id="${CSS.escape(anchor)}"]`);
    if (group) return group.reveal();
    for (const g of root.querySelectorAll('mb-snippet-group')) {
      if (g.group?.snippetIds.includes(anchor)) {
        await g.updateComplete;
        return g.reveal(anchor);
      }
    }
    // a heading (the server gives each the id GitHub would)
    root.querySelector(`article [id="${CSS.escape(anchor)}"]`)?.scrollIntoView({ block: 'start' });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-chapter-page': MbChapterPage;
  }
}
