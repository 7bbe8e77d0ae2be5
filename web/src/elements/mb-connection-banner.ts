/**
 * <mb-connection-banner>: says, in one line, why nothing can run right now: the connection to the sandbox is
 * lost (and being retried), or the server refused the launch token (only a fresh URL helps). Empty when open.
 *
 * @property state - the sandbox connection state
 * @property notice - a session-wide message from the server, shown until dismissed
 * @fires mb-notice-dismiss - the learner closed the notice
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ConnectionState, SandboxNotice } from '../services/sandbox-client';

@customElement('mb-connection-banner')
export class MbConnectionBanner extends LitElement {
  static override styles = css`
    .idle {
      padding: 0;
    }
    div {
      padding: 0.6rem 1rem;
      text-align: center;
      font-weight: 600;
    }
    .warn {
      background: var(--mb-warn-bg);
      color: var(--mb-warn-fg);
    }
    .bad {
      background: var(--mb-bad-bg);
      color: var(--mb-bad-fg);
    }
    .notice {
      margin: 0;
      padding: 0.4rem 1rem;
      text-align: center;
      background: var(--mb-panel);
    }
    .notice.warning {
      background: var(--mb-warn-bg);
      color: var(--mb-warn-fg);
    }
    button:focus-visible {
      outline: 3px solid var(--mb-focus);
    }
    code {
      font-family: var(--mb-mono);
    }
  `;

  @property() state: ConnectionState = 'connecting';
  @property({ attribute: false }) notice: SandboxNotice | undefined;

  override render() {
    // One live region that is always present, so screen readers announce the change when it fills.
    const n = this.notice;
    const message = this.message();
    const tone = message === nothing ? 'idle' : this.state === 'reconnecting' ? 'warn' : 'bad';
    return html`<div role="status" class=${tone}>${message}</div>
      ${
        n
          ? html`<p class="notice ${n.level}">
              ${n.message}
              <button
                @click=${() => this.dispatchEvent(new Event('mb-notice-dismiss', { bubbles: true, composed: true }))}
              >
                Dismiss
              </button>
            </p>`
          : nothing
      }`;
  }

  private message() {
    switch (this.state) {
      case 'open':
      case 'connecting':
        return nothing;
      case 'reconnecting':
        return html`Connection to the sandbox lost. Reconnecting… Runs in progress were interrupted.`;
      case 'refused':
        return html`The sandbox refused this page’s token (the server may have restarted). Open the URL
          printed by <code>npm start</code>.`;
      case 'no-token':
        return html`This page has no sandbox token. Open the URL printed by <code>npm start</code>.`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-connection-banner': MbConnectionBanner;
  }
}
