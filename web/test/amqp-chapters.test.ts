// Browser test of the queue chapters on `npm start` with nothing but Node (issue 9): the repository's own chapters
// served by the real server, their snippets run on the embedded AMQP broker. A work-queue group runs its three
// workers and its producer together, one terminal each; the memory-alarm snippet reaches the broker's alarm
// through the run's control endpoint; an exercise graded on the broker's state passes with its solution.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, startServer, type TestServer } from './support/server';
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
let origin: string;

beforeAll(async () => {
  server = await startServer(undefined);
  browser = await launchBrowser();
  browser.page.setDefaultTimeout(20_000);
  browser.page.on('dialog', (d) => void d.accept());
  await browser.page.goto(server.url);
  origin = new URL(server.url).origin;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the queue chapters in the browser', () => {
  test('a work queue: three workers and a producer run together, one terminal each', async () => {
    const { page } = browser;
    await page.goto(`${origin}/#/chapters/02-patterns/worker`);
    const group = page.locator('mb-snippet-group[group-id="work-queue"]');
    await group.scrollIntoViewIfNeeded();
    await group.getByRole('button', { name: 'Run all' }).click();
    const members = ['worker', 'worker-2', 'slow-worker', 'producer'].map((id) => snippet(page, id));
    // xterm renders only what is on screen: look at each terminal as a learner would
    for (const id of ['worker', 'worker-2', 'slow-worker']) {
      await snippet(page, id).scrollIntoViewIfNeeded();
      await waitForText(terminalOf(snippet(page, id)), /waiting for tasks/);
    }
    const producer = snippet(page, 'producer');
    await producer.scrollIntoViewIfNeeded();
    await waitForText(terminalOf(producer), /prefetch-1: 12 tasks in \d+ ms/, 60_000);
    for (const m of members) await waitForText(statusOf(m), /Exited with code 0/, 30_000);
    // each terminal holds its own program's output only
    expect(await terminalOf(snippet(page, 'slow-worker')).textContent()).not.toMatch(/prefetch-1:/);
  });

  test('the memory alarm blocks the publisher, raised through the run’s control endpoint', async () => {
    const { page } = browser;
    await page.goto(`${origin}/#/chapters/06-backpressure/memory-alarm`);
    const s = snippet(page, 'memory-alarm');
    await s.scrollIntoViewIfNeeded();
    await s.getByRole('button', { name: 'Run' }).click();
    await waitForText(terminalOf(s), /publisher: connection\.blocked/, 30_000);
    await waitForText(terminalOf(s), /publisher: connection\.unblocked/, 30_000);
    await waitForText(statusOf(s), /Exited with code 0/, 30_000);
    expect(await terminalOf(s).textContent()).not.toMatch(/rabbitmqctl/);
  });

  test('links between pages lead to the places they name', async () => {
    const { page } = browser;
    await page.goto(`${origin}/#/chapters/06-backpressure`);
    const article = page.locator('mb-chapter-page article');
    await article.getByRole('link', { name: 'memory alarm' }).first().click();
    await page.waitForURL(/#\/chapters\/06-backpressure\/when-the-broker-runs-out-of-memory$/);
    const heading = page.getByRole('heading', { name: 'When the broker runs out of memory' });
    await expect
      .poll(() => heading.evaluate((h) => Math.round(h.getBoundingClientRect().top)))
      .toBeLessThan(50);
    await article.getByRole('link', { name: 'work queues' }).first().click();
    await page.waitForURL(/#\/chapters\/02-patterns$/);
    await page.getByRole('heading', { level: 1, name: 'Queue and exchange patterns' }).waitFor();
  });

  test('an exercise graded on what the broker holds fails on its starter and passes with the solution', async () => {
    const { page } = browser;
    const solution = readFileSync(
      path.join(REPO_ROOT, 'solutions', '07-retry-budget', 'solution.ts'),
      'utf8',
    );
    await page.goto(`${origin}/#/exercises/07-retry-budget`);
    await page.locator('mb-exercise-page .cm-content').waitFor();
    const results = page.locator('mb-exercise-page section.results');
    await page.getByRole('button', { name: 'Check' }).click();
    await waitForText(results.locator('p.summary'), /\d+ of \d+ checks passed/, 120_000);
    const editor = page.locator('mb-exercise-page .cm-content');
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(solution);
    await page.getByRole('button', { name: 'Check' }).click();
    await waitForText(results.locator('p.summary'), /All \d+ checks passed/, 120_000);
  });
});
