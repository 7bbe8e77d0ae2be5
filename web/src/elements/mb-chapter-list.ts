/**
 * <mb-chapter-list>: the table of contents, with the learner's progress per chapter (snippets whose run met
 * their `expect`, out of those the chapter had when last opened) and any chapter the server could not read.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { ChapterList } from '@msgbook/protocol';
import { sandboxContext, type SandboxClient } from '../services/sandbox-client';
import { progressContext, type ProgressStore } from '../services/progress-store';
import { fetchChapterList } from '../services/content';
import { chapterHref } from '../services/route';

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
    li {
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
    .problem {
      color: var(--mb-bad);
    }
  `;

  @consume({ context: sandboxContext }) private client!: SandboxClient;
  @consume({ context: progressContext }) private progress!: ProgressStore;
  @state() private list: ChapterList | undefined;
  @state() private error: string | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    document.title = 'msgbook';
    fetchChapterList(this.client.authHeaders()).then(
      (list) => (this.list = list),
      (e: unknown) => (this.error = e instanceof Error ? e.message : String(e)),
    );
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
            <p>${c.summary}</p>
          </li>`;
        })}
      </ol>
      ${this.list.problems.map(
        (p) => html`<p class="problem">Could not read <code>${p.path}</code>: ${p.message}</p>`,
      )}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-chapter-list': MbChapterList;
  }
}
