/**
 * <mb-grade-results>: one Check's results (design.md §5) as they stream in: each check's name, pass or fail,
 * message and the learner's output, the first failure open, the ones still running, a summary line, and
 * TypeScript's warnings with their lines (which never change the status).
 *
 * @property checks - the exercise's check names, in reading order, shown before their results arrive
 * @property grading - the results so far; a new object on each change
 * @property running - the grading is still under way
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Results, TestResult } from '@msgbook/protocol/exercise';

/** One Check in flight or finished: tests by index as they arrive, then the whole results. */
export interface Grading {
  tests: (TestResult | undefined)[];
  results: Results | undefined;
  failure: string | undefined;
}

@customElement('mb-grade-results')
export class MbGradeResults extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    summary:focus-visible {
      outline: 3px solid var(--mb-focus);
      outline-offset: 2px;
    }
    pre.output {
      background: var(--mb-code-bg);
      padding: 0.75rem;
      border-radius: 6px;
      overflow-x: auto;
      font: 13px/1.4 var(--mb-mono);
    }
    ol.tests {
      list-style: none;
      padding: 0;
    }
    ol.tests li {
      border: 1px solid var(--mb-border);
      border-radius: 6px;
      padding: 0.3rem 0.6rem;
      margin: 0.3rem 0;
    }
    .pass {
      color: var(--mb-ok);
    }
    .fail,
    .error {
      color: var(--mb-bad);
    }
    .pending {
      color: var(--mb-muted);
    }
  `;

  @property({ attribute: false }) checks: string[] = [];
  @property({ attribute: false }) grading: Grading | undefined;
  @property({ type: Boolean }) running = false;

  override render() {
    const g = this.grading;
    if (!g) return nothing;
    const names = this.checks.length ? this.checks : g.tests.map((t) => t?.name ?? '');
    const firstFailure = g.tests.findIndex((t) => t && t.status !== 'pass');
    return html`<section class="results" aria-label="Results">
      <h2>Results</h2>
      ${g.failure ? html`<p class="error" role="alert">${g.failure}</p>` : nothing}
      ${g.results ? html`<p class="summary ${g.results.status}">${summary(g.results)}</p>` : nothing}
      ${g.results?.message ? html`<p class="error">${g.results.message}</p>` : nothing}
      <ol class="tests">
        ${names.map((name, i) => {
          const t = g.tests[i];
          if (!t)
            return html`<li class="test" data-status="pending">
              <span class="pending">${this.running ? '… running' : '– not run'}</span> ${name}
            </li>`;
          return html`<li class="test" data-status=${t.status}>
            <details ?open=${i === firstFailure}>
              <summary><span class=${t.status}>${mark(t.status)}</span> ${t.name}</summary>
              ${t.message ? html`<p class="message">${t.message}</p>` : nothing}
              ${
                t.output
                  ? html`<p>Your program's output:</p>
                      <pre class="output">${t.output}</pre>`
                  : nothing
              }
            </details>
          </li>`;
        })}
      </ol>
      ${
        g.results?.warnings?.length
          ? html`<h3>TypeScript warnings</h3>
              <p>These do not change the result.</p>
              <ul class="warnings">
                ${g.results.warnings.map((w) => html`<li>${w.file}, line ${w.line}:${w.column}: ${w.message}</li>`)}
              </ul>`
          : nothing
      }
    </section>`;
  }
}

function mark(status: TestResult['status']): string {
  return status === 'pass' ? '✓ pass' : status === 'fail' ? '✗ fail' : '⚠ error';
}

export function summary(r: Results): string {
  const passed = r.tests.filter((t) => t.status === 'pass').length;
  if (r.status === 'error') return `Could not check: ${r.message ?? 'the grader failed'}`;
  return r.status === 'pass'
    ? `All ${r.tests.length} checks passed.`
    : `${passed} of ${r.tests.length} checks passed.`;
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-grade-results': MbGradeResults;
  }
}
