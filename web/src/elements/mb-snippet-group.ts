/**
 * <mb-snippet-group>: several snippets meant to run at once (say two consumers and a producer), one editor and
 * terminal each. Run all starts them in order, each once the sandbox has started the previous one; Stop all
 * stops every live run.
 *
 * @property group - the group (id, title, snippet ids) from the chapter
 * @property snippets - the group's snippets, in order
 * @property chapter - the chapter slug
 * Public method: reveal(snippetId?) scrolls to the group, or to one of its snippets, and focuses it.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, queryAll, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { Snippet, SnippetGroup } from '@msgbook/protocol';
import { sandboxContext, type SandboxClient } from '../services/sandbox-client';
import { chapterHref } from '../services/route';
import './mb-snippet';
import type { MbSnippet } from './mb-snippet';

@customElement('mb-snippet-group')
export class MbSnippetGroup extends LitElement {
  static override styles = css`
    :host {
      display: block;
      margin: 1.5rem 0;
      /* deep links scroll here: clear the sticky page header */
      scroll-margin-top: 5.5rem;
    }
    section {
      border: 2px solid var(--mb-border);
      border-radius: 10px;
      padding: 0.75rem 1rem;
    }
    section:focus-visible {
      outline: 3px solid var(--mb-focus);
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
    }
    h3 {
      margin: 0 auto 0 0;
      font-size: 1.1rem;
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
      border-color: var(--mb-accent);
      color: var(--mb-on-accent);
    }
    button:disabled {
      opacity: 0.5;
      cursor: default;
    }
    button:focus-visible,
    a:focus-visible {
      outline: 3px solid var(--mb-focus);
      outline-offset: 2px;
    }
    a {
      color: var(--mb-muted);
      text-decoration: none;
    }
    mb-snippet {
      margin: 0.75rem 0;
    }
  `;

  @property({ attribute: false }) group: SnippetGroup | undefined;
  @property({ attribute: false }) snippets: Snippet[] = [];
  @property() chapter = '';
  @consume({ context: sandboxContext }) private client!: SandboxClient;
  @state() private live = 0;
  @queryAll('mb-snippet') private members!: NodeListOf<MbSnippet>;
  private readonly onChange = () => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    this.client.addEventListener('change', this.onChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.client.removeEventListener('change', this.onChange);
  }

  reveal(snippetId?: string): void {
    const member = [...this.members].find((m) => m.snippet?.id === snippetId);
    if (member) return member.reveal();
    this.scrollIntoView({ block: 'start' });
    this.renderRoot.querySelector<HTMLElement>('section')?.focus({ preventScroll: true });
  }

  override render() {
    const g = this.group;
    if (!g) return html`<p>Loading group…</p>`;
    const connected = this.client.state === 'open';
    return html`<section
      tabindex="-1"
      aria-labelledby="title"
      @mb-run-started=${this.recount}
      @mb-run-finished=${this.recount}
    >
      <header>
        <h3 id="title">${g.title}</h3>
        <button class="run-all primary" ?disabled=${!connected || this.live > 0} @click=${this.runAll}>
          Run all
        </button>
        <button class="stop-all" ?disabled=${this.live === 0} @click=${this.stopAll}>Stop all</button>
        <a href=${chapterHref(this.chapter, g.id)} aria-label="Link to “${g.title}”">#</a>
      </header>
      ${this.snippets.map(
        (s) =>
          html`<mb-snippet grouped snippet-id=${s.id} .snippet=${s} .chapter=${this.chapter}></mb-snippet>`,
      )}
    </section>`;
  }

  /** Started in order: each member once the sandbox has started the one before (a consumer before its producer). */
  private async runAll(): Promise<void> {
    for (const member of this.members) {
      if (!member.running) await member.run();
    }
  }

  private readonly recount = (): void => {
    this.live = [...this.members].filter((m) => m.running).length;
  };

  private stopAll(): void {
    for (const member of this.members) member.stop();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-snippet-group': MbSnippetGroup;
  }
}
