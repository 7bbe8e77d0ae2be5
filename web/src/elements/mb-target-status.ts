/**
 * <mb-target-status>: which brokers learner code runs against (embedded or real) with a switch, and each
 * broker's health as the server last reported it (issue 3, item 3).
 *
 * @property target - the active target, undefined until the server has said
 * @property brokers - health of each broker of the active target
 * @property disabled - no connection: the switch cannot be sent
 * @fires mb-target-change - {target} when the learner picks the other target
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BrokerHealth, Target } from '@msgbook/protocol';
import { BROKER_NAMES } from '../services/broker-names';

export type TargetChangeEvent = CustomEvent<{ target: Target }>;

@customElement('mb-target-status')
export class MbTargetStatus extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.75rem;
      font-size: 0.85rem;
    }
    fieldset {
      display: inline-flex;
      border: 1px solid var(--mb-border);
      border-radius: 999px;
      padding: 2px;
      margin: 0;
    }
    legend {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
    label {
      padding: 0.15rem 0.7rem;
      border-radius: 999px;
      cursor: pointer;
    }
    label:has(input:checked) {
      background: var(--mb-accent);
      color: var(--mb-on-accent);
    }
    label:has(input:focus-visible) {
      outline: 3px solid var(--mb-focus);
    }
    input {
      position: absolute;
      opacity: 0;
      width: 1px;
      height: 1px;
    }
    ul {
      display: flex;
      gap: 0.6rem;
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .dot {
      display: inline-block;
      width: 0.6em;
      height: 0.6em;
      border-radius: 50%;
      margin-right: 0.3em;
      background: var(--mb-bad);
    }
    .sr {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
    .up .dot {
      background: var(--mb-ok);
    }
  `;

  @property() target: Target | undefined;
  @property({ attribute: false }) brokers: BrokerHealth[] = [];
  @property({ type: Boolean }) disabled = false;

  override render() {
    return html`<fieldset ?disabled=${this.disabled}>
        <legend>Brokers to run snippets against</legend>
        ${(['embedded', 'real'] as const).map(
          (t) =>
            html`<label
              title=${t === 'embedded' ? 'msgbook’s own brokers' : 'Kafka, RabbitMQ, Pub/Sub emulator'}
            >
              <input
                type="radio"
                name="target"
                value=${t}
                .checked=${this.target === t}
                @change=${() => this.pick(t)}
              />${t}
            </label>`,
        )}
      </fieldset>
      <ul aria-label="Broker health">
        ${this.brokers.map(
          (b) =>
            html`<li class=${b.up ? 'up' : 'down'} title=${`${b.address}${b.detail ? ` — ${b.detail}` : ''}`}>
              <span class="dot" aria-hidden="true"></span>${BROKER_NAMES[b.broker]}
              <span class="sr">${b.up ? 'up' : 'down'}</span>
            </li>`,
        )}
      </ul>`;
  }

  private pick(target: Target): void {
    this.dispatchEvent(
      new CustomEvent('mb-target-change', { detail: { target }, bubbles: true, composed: true }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-target-status': MbTargetStatus;
  }
}
