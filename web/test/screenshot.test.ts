// Chapter 1 as a learner sees it, after a finished run, in the system's light and dark schemes: the README's
// screenshot (docs/screenshot-chapter.png) is taken here, and dark mode is checked on the page, the editor and
// the terminal, not only on the CSS variables.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT, startServer, type TestServer } from './support/server';
import { launchBrowser, snippet, statusOf, terminalOf, waitForText } from './support/browser';

let server: TestServer;
// Every run takes the screenshots (look at them: a page can pass its assertions and still look broken); they
// replace the README's copies in docs/ only when asked, so `npm test` leaves the working tree clean.
const shots = process.env.MSGBOOK_UPDATE_SCREENSHOTS
  ? path.join(REPO_ROOT, 'docs')
  : path.join(REPO_ROOT, 'test-results');

beforeAll(async () => {
  server = await startServer(undefined);
  await mkdir(shots, { recursive: true });
});

afterAll(async () => {
  await server?.stop();
});

const backgrounds = `(() => {
  const deep = (sel) => {
    const find = (root) => root.querySelector(sel) ?? [...root.querySelectorAll('*')].map((e) => e.shadowRoot && find(e.shadowRoot)).find(Boolean);
    return find(document);
  };
  const bg = (el) => getComputedStyle(el).backgroundColor;
  return { page: bg(document.body), editor: bg(deep('.cm-editor')), terminal: bg(deep('.xterm-scrollable-element')) };
})()`;

/** Sum of the RGB channels of a computed `rgb(…)` colour: low is dark; NaN (fails both ways) if transparent. */
const lightness = (rgb: string) =>
  /^rgba\(.*,\s*0\)$/.test(rgb)
    ? NaN
    : rgb
        .match(/\d+/g)!
        .slice(0, 3)
        .map(Number)
        .reduce((a, b) => a + b, 0);

describe('chapter 1 after a run', () => {
  for (const scheme of ['light', 'dark'] as const) {
    test(`in the ${scheme} scheme`, async () => {
      const browser = await launchBrowser(scheme, { width: 1200, height: 1300 });
      try {
        const { page } = browser;
        await page.goto(`${server.url}#/chapters/01-sync-async/chain-latency`);
        const chain = snippet(page, 'chain-latency');
        await chain.getByRole('button', { name: 'Run' }).and(page.locator(':enabled')).click();
        await waitForText(terminalOf(chain), /latencies add up/);
        await waitForText(statusOf(chain), /Exited with code 0/);
        const colours = (await page.evaluate(backgrounds)) as Record<string, string>;
        for (const [part, colour] of Object.entries(colours)) {
          if (scheme === 'dark') expect(lightness(colour), `${part} is dark`).toBeLessThan(200);
          else expect(lightness(colour), `${part} is light`).toBeGreaterThan(600);
        }
        if (scheme === 'light') {
          // the editor and the terminal follow a scheme change while the page is open, not only at load
          const parts = async () => {
            const c = (await page.evaluate(backgrounds)) as Record<string, string>;
            return [lightness(c.editor!), lightness(c.terminal!)];
          };
          await page.emulateMedia({ colorScheme: 'dark' });
          await expect.poll(async () => Math.max(...(await parts())), { timeout: 5000 }).toBeLessThan(200);
          await page.emulateMedia({ colorScheme: 'light' });
          await expect.poll(async () => Math.min(...(await parts())), { timeout: 5000 }).toBeGreaterThan(600);
        }
        await chain.evaluate((el) => el.scrollIntoView({ block: 'start' }));
        await page.evaluate(() => window.scrollBy(0, -150));
        const name = scheme === 'light' ? 'screenshot-chapter.png' : 'screenshot-chapter-dark.png';
        await page.screenshot({ path: path.join(shots, name) });
      } finally {
        await browser.close();
      }
    });
  }
});
