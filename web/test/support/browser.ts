// Debian's Chromium driven by playwright-core, in a fresh profile per test file (never a downloaded browser,
// never jsdom). Helpers here read what a learner sees: a snippet's terminal text and status line.
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(
  colorScheme: 'light' | 'dark' = 'light',
  viewport = { width: 1200, height: 900 },
): Promise<TestBrowser> {
  const profile = await mkdtemp(path.join(tmpdir(), 'msgbook-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport,
    colorScheme,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A snippet by id, wherever it sits (playwright's CSS locators pierce the shadow roots). */
export function snippet(page: Page, id: string): Locator {
  return page.locator(`mb-snippet[snippet-id="${id}"]`);
}

/** Waits until the locator's text matches; playwright polls the page, so no sleeps. */
export async function waitForText(locator: Locator, text: RegExp, timeout = 30_000): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout });
}

export function terminalOf(s: Locator): Locator {
  return s.locator('.xterm-rows');
}

export function statusOf(s: Locator): Locator {
  return s.locator('p.status');
}
