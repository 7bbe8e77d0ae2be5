/**
 * <mb-app>: the page root. Owns the sandbox connection and the learner's progress store and provides both to
 * every element below with @lit/context; routes `#/`, `#/chapters/SLUG[/ANCHOR]` and `#/exercises/ID` (whose view
 * loads on first use); shows the header (active target, broker health) and the connection banner.
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { provide } from '@lit/context';
import { SandboxClient, sandboxContext } from '../services/sandbox-client';
import { ProgressStore, progressContext } from '../services/progress-store';
import { parseRoute, type Route } from '../services/route';
import type { TargetChangeEvent } from './mb-target-status';
import './mb-connection-banner';
import './mb-target-status';
import './mb-chapter-list';
import './mb-chapter-page';

@customElement('mb-app')
export class MbApp extends LitElement {
  static override styles = css`
    :host {
      display: block;
      min-height: 100vh;
    }
    .top {
      position: sticky;
      top: 0;
      z-index: 10;
      background: var(--mb-bg);
      border-bottom: 1px solid var(--mb-border);
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 1rem;
      padding: 0.5rem 1.25rem;
    }
    .brand {
      font-weight: 700;
      font-size: 1.15rem;
      color: var(--mb-fg);
      text-decoration: none;
      margin-right: auto;
    }
    .brand:focus-visible,
    .skip:focus-visible {
      outline: 3px solid var(--mb-focus);
      outline-offset: 2px;
    }
    .skip {
      position: absolute;
      left: -999px;
    }
    .skip:focus {
      left: 1rem;
      top: 0.5rem;
      background: var(--mb-bg);
      padding: 0.25rem 0.5rem;
      z-index: 20;
    }
    main {
      max-width: 56rem;
      margin: 0 auto;
      padding: 1rem 1.25rem 4rem;
    }
    main:focus {
      outline: none;
    }
  `;

  @provide({ context: sandboxContext }) client = new SandboxClient();
  @provide({ context: progressContext }) progress = new ProgressStore();
  @state() private route: Route = parseRoute(location.hash);
  private readonly onHash = () => (this.route = parseRoute(location.hash));
  private readonly onClient = () => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('hashchange', this.onHash);
    this.client.addEventListener('change', this.onClient);
    this.client.connect();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('hashchange', this.onHash);
    this.client.removeEventListener('change', this.onClient);
    this.client.dispose();
  }

  override render() {
    const c = this.client;
    return html`<div class="top">
        <a class="skip" href="#main" @click=${this.skip}>Skip to content</a>
        <header>
          <a class="brand" href="#/">msgbook</a>
          <mb-target-status
            .target=${c.target}
            .brokers=${c.brokers}
            ?disabled=${c.state !== 'open'}
            @mb-target-change=${(e: TargetChangeEvent) => c.setTarget(e.detail.target)}
          ></mb-target-status>
        </header>
        <mb-connection-banner
          .state=${c.state}
          .notice=${c.notice}
          @mb-notice-dismiss=${() => c.dismissNotice()}
        ></mb-connection-banner>
      </div>
      <main id="main" tabindex="-1">${this.renderPage()}</main>`;
  }

  private renderPage() {
    const r = this.route;
    switch (r.page) {
      case 'chapter':
        return html`<mb-chapter-page .slug=${r.slug} .anchor=${r.anchor}></mb-chapter-page>`;
      case 'exercise':
        // the element upgrades when its module arrives; the chapter pages never pay for it
        void import('./mb-exercise-page');
        return html`<mb-exercise-page .exerciseId=${r.id}></mb-exercise-page>`;
      case 'list':
        return html`<mb-chapter-list></mb-chapter-list>`;
      default:
        return r satisfies never;
    }
  }

  /** The skip link must not change the hash, which is the router's. */
  private skip(e: Event): void {
    e.preventDefault();
    this.renderRoot.querySelector('main')?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-app': MbApp;
  }
}
