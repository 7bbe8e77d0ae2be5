// Browser test of the exercise view (issue 8, item 4) against the real server and its grader: reach an exercise
// from its chapter, Check the starter and read the failure, reveal a hint, put the reference solution in the
// editor, see every check pass, and find the completed marks still there after a reload.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURE_CONTENT, startServer, type TestServer } from './support/server';
import { launchBrowser, waitForText, type TestBrowser } from './support/browser';

let server: TestServer;
let browser: TestBrowser;
const SOLUTION = readFileSync(path.join(FIXTURE_CONTENT, 'solutions', '01-greeter', 'solution.ts'), 'utf8');

beforeAll(async () => {
  server = await startServer(FIXTURE_CONTENT);
  browser = await launchBrowser();
  browser.page.setDefaultTimeout(15_000);
  // Reset and Show solution ask first; the learner in this test agrees
  browser.page.on('dialog', (d) => void d.accept());
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('an exercise', () => {
  test('is reached from its chapter, fails on the starter with a message, and shows hints one at a time', async () => {
    const { page } = browser;
    await page.goto(server.url);
    await page.getByRole('link', { name: 'Basics for the browser tests' }).click();
    await page.getByRole('link', { name: 'Greet by the name upstream knows' }).click();
    await page.waitForURL(/#\/exercises\/01-greeter$/);
    await page.getByRole('heading', { level: 1, name: 'Greet by the name upstream knows' }).waitFor();
    await page.getByRole('region', { name: 'Task' }).getByText('answering').waitFor();
    await page.locator('mb-exercise-page .cm-content').waitFor();

    await page.getByRole('button', { name: /Show a hint \(1 of 2\)/ }).click();
    await page.getByText('Ask NAME_URL for the name.').waitFor();
    expect(await page.getByText("fetch(process.env.NAME_URL + '/name')").count()).toBe(0);

    await page.getByRole('button', { name: 'Check' }).click();
    const results = page.locator('mb-exercise-page section.results');
    await waitForText(results.locator('p.summary'), /0 of 2 checks passed/, 60_000);
    const first = results.locator('li.test').first();
    expect(await first.getAttribute('data-status')).toBe('fail');
    // the first failure is open, with the check's own message
    await waitForText(first.locator('p.message'), /expected "hello Ada-\w+", got "hello world"/);
    expect(await first.locator('details').getAttribute('open')).not.toBeNull();
    await waitForText(page.getByRole('status'), /0 of 2 checks passed/);
  });

  test('passes with the fixed code, marks itself completed, and keeps code and mark after a reload', async () => {
    const { page } = browser;
    const editor = page.locator('mb-exercise-page .cm-content');
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(SOLUTION);
    await page.locator('mb-exercise-page .edited').waitFor();
    await page.keyboard.press('Control+Enter');
    const results = page.locator('mb-exercise-page section.results');
    await waitForText(results.locator('p.summary'), /All 2 checks passed/, 60_000);
    expect(await results.locator('li.test[data-status="pass"]').count()).toBe(2);
    await page.getByTestId('exercise-done').waitFor();

    await page.reload();
    await page.getByTestId('exercise-done').waitFor();
    await waitForText(page.locator('mb-exercise-page .cm-content'), /process\.env\.NAME_URL/);
    await page.locator('mb-exercise-page .edited').waitFor();

    await page
      .getByRole('navigation', { name: 'Breadcrumb' })
      .getByRole('link', { name: 'Basics for the browser tests' })
      .click();
    await page.locator('mb-chapter-page li[data-exercise="01-greeter"]').getByText('✓ completed').waitFor();
    await page.getByRole('link', { name: 'All chapters' }).click();
    await page
      .locator('mb-chapter-list [data-exercises="01-basics"]')
      .getByText('✓ exercises done')
      .waitFor();
  });

  test('progress exports to a JSON file and comes back from it after a start over', async () => {
    const { page } = browser;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export progress' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('msgbook-progress.json');
    const exported = await download.path();
    expect(readFileSync(exported, 'utf8')).toContain('01-greeter');
    await page.getByRole('button', { name: 'Start over…' }).click();
    expect(await page.locator('mb-chapter-list [data-exercises="01-basics"]').textContent()).toMatch(
      /0 of 1/,
    );
    await page.getByLabel('Import progress from a file').setInputFiles(exported);
    await page
      .locator('mb-chapter-list [data-exercises="01-basics"]')
      .getByText('✓ exercises done')
      .waitFor();
  });

  test('Reset asks, then puts the starter back; Show solution shows it beside the code', async () => {
    const { page } = browser;
    await page.goto(`${new URL(server.url).origin}/#/exercises/01-greeter`);
    await page.locator('mb-exercise-page .edited').waitFor();
    await page.getByRole('button', { name: 'Reset to starter' }).click();
    await waitForText(page.locator('mb-exercise-page .cm-content'), /hello world/);
    expect(await page.locator('mb-exercise-page .edited').count()).toBe(0);
    await page.getByRole('button', { name: 'Show solution' }).click();
    await waitForText(page.getByLabel('Solution for starter.ts'), /process\.env\.NAME_URL/);
    await page.locator('mb-exercise-page .side-by-side .cm-content').waitFor();
  });

  test('Download my work saves the code as the one file msgbook grade --dir takes', async () => {
    const { page } = browser;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download my work' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('01-greeter.ts');
    const saved = await download.path();
    expect(readFileSync(saved, 'utf8')).toContain("res.end('hello world')");
  });

  test('says when the starter changed since the learner began, and shows the new one beside their code', async () => {
    const { page } = browser;
    // an edit begun on an older starter, as a learner would have it after the content was updated
    await page.evaluate(() => {
      localStorage.setItem('msgbook:edit:exercise:01-greeter/starter.ts', '// my old work\n');
      localStorage.setItem('msgbook:edit:exercise:01-greeter/starter.ts:base', '// the old starter\n');
    });
    await page.reload();
    const note = page.getByRole('note');
    await waitForText(note, /The starter of starter\.ts has changed/);
    await waitForText(page.getByLabel('New starter for starter.ts'), /hello world/);
    await waitForText(page.locator('mb-exercise-page .cm-content'), /my old work/);
    await note.getByRole('button', { name: 'Got it' }).click();
    expect(await page.getByRole('note').count()).toBe(0);
    await page.reload();
    await waitForText(page.locator('mb-exercise-page .cm-content'), /my old work/);
    expect(await page.getByRole('note').count()).toBe(0);
  });
});
