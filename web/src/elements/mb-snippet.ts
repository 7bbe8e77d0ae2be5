/**
 * <mb-snippet>: one runnable snippet: editor, Run / Stop / Reset, a terminal with the streamed output and a
 * status line (exit code, duration, the sandbox's reason when it ended the run). Edits are kept per snippet;
 * a run that meets the snippet's `expect` marks it done. Editor and terminal load when it nears the viewport.
 *
 * @property snippet - the snippet (code, title, limits, expect) from the chapter
 * @property chapter - the chapter slug, for progress, edits and deep links
 * @property grouped - part of a <mb-snippet-group>: smaller heading, shorter terminal
 * @fires mb-run-started - {snippetId} when a run is requested
 * @fires mb-run-finished - {snippetId, met} when a run ends, however it ends
 * Public methods: run() (resolves once the sandbox has started it), stop(), reveal() (scroll + focus).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { RunExitMessage, Snippet } from '@msgbook/protocol';
import { sandboxContext, type SandboxClient } from '../services/sandbox-client';
import { meetsExpect, progressContext, type ProgressStore } from '../services/progress-store';
import { describeExit, formatLimit } from '../services/run-text';
import { chapterHref } from '../services/route';
import './mb-editor';
import './mb-terminal';
import type { MbEditor, CodeChangeEvent } from './mb-editor';
import type { MbTerminal } from './mb-terminal';

export type RunFinishedEvent = CustomEvent<{ snippetId: string; met: boolean }>;
type Phase = 'idle' | 'starting' | 'running' | 'ended';

const MAX_KEPT_OUTPUT = 1 << 20;
const SGR = { stderr: '\x1b[31m', system: '\x1b[2;3m', reset: '\x1b[0m' };

@customElement('mb-snippet')
export class MbSnippet extends LitElement {
  static override styles = css`
    :host {
      display: block;
      margin: 1.5rem 0;
      /* deep links scroll here: clear the sticky page header */
      scroll-margin-top: 5.5rem;
    }
    section {
      border: 1px solid var(--mb-border);
      border-radius: 8px;
      padding: 0.75rem;
      background: var(--mb-panel);
    }
    section:focus-visible {
      outline: 3px solid var(--mb-focus);
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0.5rem;
      margin-bottom: 0.5rem;
    }
    h3 {
      margin: 0;
      font-size: 1.05rem;
    }
    :host([grouped]) h3 {
      font-size: 0.95rem;
    }
    .file {
      font: 12px var(--mb-mono);
      color: var(--mb-muted);
    }
    .badge {
      font-size: 0.75rem;
      border-radius: 999px;
      padding: 0 0.5rem;
      border: 1px solid currentColor;
    }
    .done {
      color: var(--mb-ok);
    }
    .edited {
      color: var(--mb-warn);
    }
    a.anchor {
      color: var(--mb-muted);
      text-decoration: none;
      margin-left: auto;
    }
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
      margin: 0.5rem 0;
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
    mb-terminal[hidden] {
      display: none;
    }
    .hint {
      color: var(--mb-muted);
      font-size: 0.85rem;
    }
    .status {
      margin: 0.5rem 0 0;
      font-size: 0.9rem;
      min-height: 1.3em;
    }
    .status[data-tone='ok'] {
      color: var(--mb-ok);
    }
    .status[data-tone='bad'] {
      color: var(--mb-bad);
    }
  `;

  @property({ attribute: false }) snippet: Snippet | undefined;
  @property() chapter = '';
  @property({ type: Boolean, reflect: true }) grouped = false;

  @consume({ context: sandboxContext }) private client!: SandboxClient;
  @consume({ context: progressContext }) private progress!: ProgressStore;

  @state() private phase: Phase = 'idle';
  @state() private status = '';
  @state() private tone: 'ok' | 'bad' | '' = '';
  @state() private active = false;
  /** The terminal stays out of the way until there is output to show. */
  @state() private hasRun = false;
  @state() private code = '';
  @query('mb-editor') private editor!: MbEditor;
  @query('mb-terminal') private terminal!: MbTerminal;
  @query('section') private section!: HTMLElement;
  @query('button.run') private runButton!: HTMLButtonElement;

  private runId: string | undefined;
  private output = '';
  private observer: IntersectionObserver | undefined;
  private loadedFor: Snippet | undefined;
  private readonly onChange = () => this.requestUpdate();

  get running(): boolean {
    return this.phase === 'starting' || this.phase === 'running';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.client.addEventListener('change', this.onChange);
    this.progress.addEventListener('change', this.onChange);
    this.observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) this.activate();
      },
      { rootMargin: '300px' },
    );
    this.observer.observe(this);
    this.addEventListener('focusin', this.activate);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.client.removeEventListener('change', this.onChange);
    this.progress.removeEventListener('change', this.onChange);
    this.observer?.disconnect();
    this.removeEventListener('focusin', this.activate);
    if (this.runId) this.client.stop(this.runId);
  }

  /** Starts a run of the current code; resolves when the sandbox has started it (or refused it). */
  run(): Promise<void> {
    const snippet = this.snippet;
    if (!snippet || this.running) return Promise.resolve();
    const target = this.client.target;
    if (target && !snippet.targets.includes(target)) {
      // Ctrl+Enter reaches here even though the Run button is disabled
      this.setStatus(
        `This snippet runs on the ${snippet.targets.join(' or ')} brokers: switch target at the top.`,
        'bad',
      );
      return Promise.resolve();
    }
    this.activate();
    this.hasRun = true;
    this.terminal?.clear();
    this.output = '';
    this.phase = 'starting';
    this.setStatus('Starting…', '');
    const detail = { snippetId: snippet.id };
    this.dispatchEvent(new CustomEvent('mb-run-started', { detail, bubbles: true, composed: true }));
    return new Promise((resolve) => {
      this.runId = this.client.run(
        { name: snippet.file.split('/').pop()!, code: this.code },
        { chapter: this.chapter, snippet: snippet.id },
        {
          started: (target) => {
            this.phase = 'running';
            this.setStatus(`Running on the ${target} brokers…`, '');
            resolve();
          },
          output: (stream, data) => this.write(stream, data),
          exit: (exit) => (this.finish(exit), resolve()),
          interrupted: () => {
            this.end('Interrupted: the connection to the sandbox was lost, so the run was ended.', 'bad');
            resolve();
          },
          failed: (message) => (this.end(`Could not run: ${message}`, 'bad'), resolve()),
        },
      );
    });
  }

  stop(): void {
    if (this.runId && this.running) this.client.stop(this.runId);
  }

  /** Scrolls the snippet into view and puts keyboard focus on it (deep links). */
  reveal(): void {
    this.activate();
    this.scrollIntoView({ block: 'start' });
    this.updateComplete.then(() => this.section.focus({ preventScroll: true }));
  }

  override willUpdate(): void {
    if (this.snippet && this.snippet !== this.loadedFor) {
      this.loadedFor = this.snippet;
      this.code = this.progress.editedCode(this.chapter, this.snippet.id) ?? this.snippet.code;
    }
  }

  override render() {
    const s = this.snippet;
    if (!s) return html`<p>Loading snippet…</p>`;
    const edited = this.code !== s.code;
    const done = this.progress.isDone(this.chapter, s.id);
    const connected = this.client.state === 'open';
    const target = this.client.target;
    const wrongTarget = target !== undefined && !s.targets.includes(target);
    const canRun = connected && !this.running && !wrongTarget;
    return html`<section tabindex="-1" aria-labelledby="title" aria-busy=${this.running}>
      <header>
        <h3 id="title">${s.title}</h3>
        <span class="file">${s.file}</span>
        ${done ? html`<span class="badge done" title="A run met what this snippet shows">✓ done</span>` : nothing}
        ${edited ? html`<span class="badge edited" title="Your edits are kept in this browser">edited</span>` : nothing}
        <a class="anchor" href=${chapterHref(this.chapter, s.id)} aria-label="Link to “${s.title}”">#</a>
      </header>
      <mb-editor
        .code=${this.code}
        .active=${this.active}
        label="Code of “${s.title}”"
        @mb-code-change=${this.onEdit}
        @mb-run-request=${() => void this.run()}
        @mb-leave=${() => this.runButton.focus()}
      ></mb-editor>
      <div class="toolbar">
        <button class="run primary" ?disabled=${!canRun} @click=${() => void this.run()}>Run</button>
        <button class="stop" ?disabled=${!this.running} @click=${this.stop}>Stop</button>
        <button
          class="reset"
          ?disabled=${!edited}
          title="Back to the original code (Ctrl+Z in the editor brings your edits back)"
          @click=${this.reset}
        >
          Reset
        </button>
        <span class="hint">
          ${
            wrongTarget
              ? `Runs on ${s.targets.join(' or ')} brokers only.`
              : `Ctrl+Enter runs · Esc leaves the editor · time limit ${formatLimit(s.timeLimitMs)}`
          }
        </span>
      </div>
      <mb-terminal
        ?hidden=${!this.hasRun}
        .active=${this.active && this.hasRun}
        .rows=${this.grouped ? 8 : 12}
        label="Output of “${s.title}”"
      ></mb-terminal>
      <p class="status" role="status" aria-live="polite" data-tone=${this.tone}>${this.status}</p>
    </section>`;
  }

  private readonly activate = (): void => {
    this.active = true;
  };

  private onEdit(e: CodeChangeEvent): void {
    if (!this.snippet) return;
    this.code = e.detail.code;
    this.progress.saveEdit(this.chapter, this.snippet.id, this.code, this.snippet.code);
  }

  private reset(): void {
    if (!this.snippet) return;
    this.code = this.snippet.code;
    this.editor.setCode(this.code);
    this.progress.saveEdit(this.chapter, this.snippet.id, this.code, this.snippet.code);
  }

  private write(stream: 'stdout' | 'stderr' | 'system', data: string): void {
    if (stream !== 'system' && this.output.length < MAX_KEPT_OUTPUT) this.output += data;
    this.terminal.write(stream === 'stdout' ? data : `${SGR[stream]}${data}${SGR.reset}`);
  }

  private finish(exit: RunExitMessage): void {
    const s = this.snippet!;
    const met = meetsExpect(s.expect, { code: exit.code, reason: exit.reason, output: this.output });
    if (met) this.progress.markDone(this.chapter, s.id);
    const clean = !exit.reason && exit.code === 0;
    const note = met ? ' This is what the snippet is meant to show.' : '';
    this.end(describeExit(exit) + note, met || clean ? 'ok' : 'bad', met);
  }

  private end(text: string, tone: 'ok' | 'bad', met = false): void {
    this.runId = undefined;
    this.phase = 'ended';
    this.setStatus(text, tone);
    const detail = { snippetId: this.snippet?.id ?? '', met };
    this.dispatchEvent(new CustomEvent('mb-run-finished', { detail, bubbles: true, composed: true }));
  }

  private setStatus(text: string, tone: 'ok' | 'bad' | ''): void {
    this.status = text;
    this.tone = tone;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-snippet': MbSnippet;
  }
}
