/**
 * <mb-editor>: a TypeScript code editor. Shows the code as plain text until `active` is set, then loads
 * CodeMirror (dynamic import) and swaps it in, so chapters open fast.
 *
 * @property code - the initial document; later changes are pushed with `setCode()` (Reset)
 * @property label - accessible name of the editing area
 * @property active - load the real editor now (set when the snippet scrolls into view or takes focus)
 * @fires mb-code-change - {code} after each edit
 * @fires mb-run-request - Ctrl/Cmd+Enter in the editor
 * @fires mb-leave - Escape in the editor: the owner moves focus out
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { EditorHandle } from '../lazy/codemirror';

export type CodeChangeEvent = CustomEvent<{ code: string }>;

@customElement('mb-editor')
export class MbEditor extends LitElement {
  static override styles = css`
    :host {
      display: block;
      border: 1px solid var(--mb-border);
      border-radius: 6px;
      overflow: hidden;
      background: var(--mb-code-bg);
    }
    pre {
      margin: 0;
      padding: 4px 8px 4px 38px;
      font: 13px/1.4 var(--mb-mono);
      white-space: pre;
      overflow-x: auto;
      color: var(--mb-fg);
    }
    .cm-host .cm-editor {
      font-size: 13px;
      max-height: 24rem;
    }
    .cm-host .cm-scroller {
      font-family: var(--mb-mono);
    }
    .cm-host .cm-editor:focus-within {
      outline: 2px solid var(--mb-focus);
      outline-offset: -2px;
    }
  `;

  @property() code = '';
  @property() label = 'Code';
  @property({ type: Boolean }) active = false;
  @query('.cm-host') private host!: HTMLElement;
  private editor: EditorHandle | undefined;
  private loading = false;
  private pending: string | undefined;

  /** Replaces the document (Reset); works before the editor has loaded too. */
  setCode(code: string): void {
    this.code = code;
    if (this.editor) this.editor.setDoc(code);
    else this.pending = code;
  }

  override focus(): void {
    if (this.editor) this.editor.focus();
    else this.active = true;
  }

  override render() {
    return html`<div class="cm-host"></div>
      ${this.editor ? null : html`<pre aria-label=${this.label}>${this.pending ?? this.code}</pre>`}`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('active') && this.active) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.editor?.destroy();
    this.editor = undefined;
  }

  private async load(): Promise<void> {
    if (this.loading || this.editor) return;
    this.loading = true;
    const { createEditor } = await import('../lazy/codemirror');
    this.editor = createEditor({
      parent: this.host,
      doc: this.pending ?? this.code,
      label: this.label,
      onChange: (code) => this.emit('mb-code-change', { code }),
      onRun: () => this.emit('mb-run-request', {}),
      onLeave: () => this.emit('mb-leave', {}),
    });
    this.pending = undefined;
    this.requestUpdate();
    this.dispatchEvent(new Event('mb-editor-ready'));
  }

  private emit<T>(name: string, detail: T): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-editor': MbEditor;
  }
}
