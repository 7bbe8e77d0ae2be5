// Browser tests of the workbook page against the real server (issue 2, items 3 and 7): the chapter list, a chapter
// with its snippets, editing and running, Stop and the time limit, a group, deep links, and what survives a
// reload (progress marks, edits). Output is read from the xterm terminals, as a learner sees it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURE_CONTENT, startServer, type TestServer } from './support/server';
import {
  launchBrowser,
  snippet,
  statusOf,
  terminalOf,
  waitForText,
  type TestBrowser,
} from './support/browser';

let server: TestServer;
let browser: TestBrowser;
const lazyChunks: string[] = [];

beforeAll(async () => {
  server = await startServer(FIXTURE_CONTENT);
  browser = await launchBrowser();
  browser.page.on('request', (r) => {
    if (/\/assets\/(codemirror|xterm)-/.test(r.url())) lazyChunks.push(r.url());
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the workbook page', () => {
  test('lists the chapters and drops the token from the address bar, without loading editor or terminal', async () => {
    const { page } = browser;
    await page.goto(server.url);
    await page.getByRole('link', { name: 'Basics for the browser tests' }).waitFor();
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    expect(lazyChunks).toEqual([]);
  });

  test('runs an edited snippet with Ctrl+Enter and streams its output', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Basics for the browser tests' }).click();
    const hello = snippet(page, 'hello');
    const editor = hello.locator('.cm-content');
    await editor.waitFor();
    expect(lazyChunks.some((u) => u.includes('codemirror'))).toBe(true);
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type("\nconsole.log('edited by ' + 'the test');");
    await hello.getByText('edited', { exact: true }).waitFor();
    await page.keyboard.press('Control+Enter');
    await waitForText(terminalOf(hello), /edited by the test/);
    await waitForText(terminalOf(hello), /sum = 10/);
    await waitForText(statusOf(hello), /Exited with code 0 after \d/);
    await hello.getByText('✓ done').waitFor();
  });

  test('Escape leaves the editor for the Run button, and Enter there runs again', async () => {
    const { page } = browser;
    const hello = snippet(page, 'hello');
    await hello.locator('.cm-content').click();
    await page.keyboard.press('Escape');
    const focused = await page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.className;
    });
    expect(focused).toContain('run');
    // the snippet announces every finished run with a composed event that reaches the document
    const finished = page.evaluate(
      () =>
        new Promise((resolve) =>
          document.addEventListener('mb-run-finished', (e) => resolve((e as CustomEvent).detail), {
            once: true,
          }),
        ),
    );
    await page.keyboard.press('Enter');
    expect(await finished).toEqual({ snippetId: 'hello', met: true });
  });

  test('the keyboard alone reaches the snippet’s controls, each with a visible focus ring', async () => {
    const { page } = browser;
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('body').click({ position: { x: 1, y: 300 } });
    const seen: string[] = [];
    for (let i = 0; i < 20 && !seen.includes('BUTTON run primary'); i++) {
      // Tab indents inside the editor; Escape is the way out, as the snippet's hint says
      await page.keyboard.press(seen.at(-1)?.includes('cm-content') ? 'Escape' : 'Tab');
      const focus = await page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        if (!el || el === document.body) return null;
        // the editor and the target switch draw their ring around the focused element
        const box = el.closest('.cm-editor') ?? el.closest('label') ?? el;
        const style = getComputedStyle(box);
        return {
          name: `${el.tagName} ${el.className}`,
          ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
        };
      });
      if (!focus) continue;
      seen.push(focus.name);
      expect(focus.ring, `${focus.name} shows where focus is`).toBe(true);
    }
    expect(seen, seen.join(' | ')).toContain('BUTTON run primary');
    expect(seen.some((n) => n.includes('cm-content'))).toBe(true);
  });

  test('Stop ends a runaway loop and says so', async () => {
    const { page } = browser;
    const runaway = snippet(page, 'runaway');
    await runaway.scrollIntoViewIfNeeded();
    await runaway.getByRole('button', { name: 'Run' }).click();
    await waitForText(terminalOf(runaway), /spinning/);
    await runaway.getByRole('button', { name: 'Stop' }).click();
    await waitForText(statusOf(runaway), /^Stopped after/);
    expect(await runaway.getByText('✓ done').count()).toBe(0);
  });

  test('the time limit ends a runaway loop, with the sandbox’s message', async () => {
    const { page } = browser;
    const runaway = snippet(page, 'runaway');
    await runaway.getByRole('button', { name: 'Run' }).click();
    await waitForText(statusOf(runaway), /Time limit reached after 2\.\d\d s/, 20_000);
    // the snippet declares `stopped: time-limit`, so this run is the one it is meant to show
    await runaway.getByText('✓ done').waitFor();
  });

  test('a group runs its snippets together, one terminal each', async () => {
    const { page } = browser;
    const group = page.locator('mb-snippet-group[group-id="ping-pong"]');
    await group.scrollIntoViewIfNeeded();
    await group.getByRole('button', { name: 'Run all' }).click();
    // xterm renders only what is on screen: look at each terminal as a learner would
    await snippet(page, 'ping').scrollIntoViewIfNeeded();
    await waitForText(terminalOf(snippet(page, 'ping')), /ping 3/);
    await snippet(page, 'pong').scrollIntoViewIfNeeded();
    await waitForText(terminalOf(snippet(page, 'pong')), /pong 3/);
    await waitForText(statusOf(snippet(page, 'ping')), /Exited with code 0/);
    await waitForText(statusOf(snippet(page, 'pong')), /Exited with code 0/);
    expect(await terminalOf(snippet(page, 'ping')).textContent()).not.toMatch(/pong/);
  });

  test('Stop all stops every run of a group', async () => {
    const { page } = browser;
    await page.goto(`${new URL(server.url).origin}/#/chapters/02-long-runs/two-tickers`);
    const group = page.locator('mb-snippet-group[group-id="two-tickers"]');
    const members = [snippet(page, 'ticker-2'), snippet(page, 'ticker-3')];
    await group.getByRole('button', { name: 'Run all' }).and(page.locator(':enabled')).click();
    for (const m of members) await waitForText(statusOf(m), /Running/);
    await group.getByRole('button', { name: 'Stop all' }).click();
    for (const m of members) await waitForText(statusOf(m), /^Stopped after/);
    await group.getByRole('button', { name: 'Stop all' }).and(page.locator(':disabled')).waitFor();
    await page.goto(`${new URL(server.url).origin}/#/chapters/01-basics`);
  });

  test('a reload keeps progress marks and edits; Reset restores the original', async () => {
    const { page } = browser;
    await page.reload();
    const hello = snippet(page, 'hello');
    await hello.getByText('✓ done').waitFor();
    await hello.getByText('edited', { exact: true }).waitFor();
    await waitForText(hello.locator('.cm-content'), /edited by/);
    await hello.getByRole('button', { name: 'Reset' }).click();
    await hello.getByText('edited', { exact: true }).waitFor({ state: 'detached' });
    expect(await hello.locator('.cm-content').textContent()).not.toMatch(/edited by/);

    await page.getByRole('link', { name: 'All chapters' }).click();
    // hello, runaway, ping and pong have each had a run that met their `expect`
    await page.getByText('✓ done').waitFor();
  });

  test('a deep link scrolls to a snippet and focuses it', async () => {
    const { page } = browser;
    await page.goto(`${new URL(server.url).origin}/#/chapters/01-basics/pong`);
    await page.locator('mb-snippet[snippet-id="pong"] section:focus').waitFor();
    expect(await snippet(page, 'pong').isVisible()).toBe(true);
    await page.goto(`${new URL(server.url).origin}/#/chapters/01-basics/ping-pong`);
    await page.locator('mb-snippet-group[group-id="ping-pong"] > section:focus').waitFor();
  });

  test('a chapter that does not exist says so', async () => {
    const { page } = browser;
    await page.goto(`${new URL(server.url).origin}/#/chapters/99-missing`);
    await waitForText(page.getByRole('alert'), /Could not load this chapter: no chapter 99-missing/);
  });
  test('a chapter links to the next one', async () => {
    const { page } = browser;
    await page.goto(`${new URL(server.url).origin}/#/chapters/01-basics`);
    await page.getByRole('link', { name: /Next\s*Long runs for the connection tests/ }).click();
    await page.getByRole('link', { name: /Previous\s*Basics for the browser tests/ }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/chapters/02-long-runs');
  });

  test('starting over forgets every mark and edit, after a confirmation', async () => {
    const { page } = browser;
    await page.goto(`${new URL(server.url).origin}/#/chapters/01-basics`);
    const hello = snippet(page, 'hello');
    await hello.locator('.cm-content').click();
    await page.keyboard.type('// scratch ');
    await hello.getByText('edited', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'All chapters' }).click();
    await page.getByText('✓ done').waitFor();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Start over…' }).click();
    await page.getByText('✓ done').waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Basics for the browser tests' }).click();
    await hello.locator('.cm-content').waitFor();
    expect(await hello.getByText('edited', { exact: true }).count()).toBe(0);
    expect(await hello.getByText('✓ done').count()).toBe(0);
  });
});
