/**
 * <mb-terminal>: the output of one run, in an xterm terminal loaded on demand (dynamic import). Output written
 * before the terminal has loaded is kept and replayed, so nothing is lost when a run starts first.
 *
 * @property rows - terminal height in rows
 * @property active - load xterm now
 * @property label - accessible name of the output area
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { TerminalHandle } from '../lazy/xterm';

@customElement('mb-terminal')
export class MbTerminal extends LitElement {
  static override styles = css`
    :host {
      display: block;
      border-radius: 6px;
      overflow: hidden;
      background: var(--mb-term-bg);
      padding: 6px 4px 6px 8px;
    }
    .host {
      min-height: 4em;
    }
  `;

  @property({ type: Number }) rows = 10;
  @property({ type: Boolean }) active = false;
  @property() label = 'Output';
  @query('.host') private host!: HTMLElement;
  private term: TerminalHandle | undefined;
  private backlog: string[] = [];
  private loading = false;

  write(data: string): void {
    if (this.term) this.term.write(data);
    else this.backlog.push(data);
  }

  clear(): void {
    this.backlog = [];
    this.term?.clear();
  }

  override render() {
    return html`<div class="host" aria-label=${this.label}></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('active') && this.active) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.term?.destroy();
    this.term = undefined;
    this.loading = false;
  }

  private async load(): Promise<void> {
    if (this.loading || this.term) return;
    this.loading = true;
    const { createTerminal, terminalStyles } = await import('../lazy/xterm');
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(terminalStyles);
    this.shadowRoot!.adoptedStyleSheets = [...this.shadowRoot!.adoptedStyleSheets, sheet];
    this.term = createTerminal(this.host, this.rows);
    for (const chunk of this.backlog.splice(0)) this.term.write(chunk);
    this.term.fit();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-terminal': MbTerminal;
  }
}
