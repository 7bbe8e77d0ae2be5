// Browser tests of the sandbox connection (issue 2, item 3): a refused or missing token says to open the URL
// printed by npm start; a dropped connection shows the banner, interrupts live runs and reconnects by itself;
// a server that goes away and comes back with a fresh token is reported as such. Plus the target switch and
// broker health in the header (issue 3, item 3).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { WebSocketRoute } from 'playwright-core';
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

beforeAll(async () => {
  server = await startServer(FIXTURE_CONTENT);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const banner = (b: TestBrowser) => b.page.locator('mb-connection-banner [role="status"]');

describe('the sandbox connection', () => {
  test('a wrong token is refused with a pointer to the URL printed by npm start', async () => {
    const page = await browser.context.newPage();
    const url = new URL(server.url);
    url.searchParams.set('token', 'not-the-token');
    await page.goto(url.href);
    await waitForText(page.locator('mb-connection-banner'), /refused this page’s token[\s\S]*npm start/);
    await page.close();
  });

  test('a page opened without a token says how to get one', async () => {
    const page = await browser.context.newPage();
    await page.goto(new URL(server.url).origin);
    await waitForText(page.locator('mb-connection-banner'), /no sandbox token[\s\S]*npm start/);
    await page.close();
  });

  test('the header shows the target and each broker’s health, and switches target', async () => {
    const { page } = browser;
    await page.goto(`${server.url}#/chapters/02-long-runs`);
    const header = page.locator('mb-target-status');
    await header.getByRole('radio', { name: 'embedded' }).and(page.locator(':checked')).waitFor();
    await header.getByRole('listitem').filter({ hasText: 'Kafka' }).waitFor();
    const realOnly = snippet(page, 'real-only');
    const run = realOnly.getByRole('button', { name: 'Run' });
    await realOnly.getByText('Runs on real brokers only.').waitFor();
    expect(await run.isDisabled()).toBe(true);
    await header.getByText('real', { exact: true }).click();
    await header.getByRole('radio', { name: 'real' }).and(page.locator(':checked')).waitFor();
    await run.and(page.locator(':enabled')).waitFor();
    // the choice survives a reload (a new connection, whose server default is embedded)
    await page.reload();
    await header.getByRole('radio', { name: 'real' }).and(page.locator(':checked')).waitFor();
    // the real target's health comes from probing its addresses
    await waitForText(header.getByRole('listitem').filter({ hasText: 'RabbitMQ' }), /up|down/);
    await header.getByText('embedded', { exact: true }).click();
    await header.getByRole('radio', { name: 'embedded' }).and(page.locator(':checked')).waitFor();
  });

  test('a dropped connection shows the banner, interrupts the run, and reconnects by itself', async () => {
    const { page } = browser;
    const sockets: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/ws\?/, (ws) => {
      ws.connectToServer();
      sockets.push(ws);
    });
    await page.reload();
    const ticker = snippet(page, 'ticker');
    const run = ticker.getByRole('button', { name: 'Run' });
    await run.and(page.locator(':enabled')).waitFor();
    await run.click();
    await waitForText(terminalOf(ticker), /tick 2/);

    const live = sockets.at(-1)!;
    await live.close({ code: 1012, reason: 'test: connection dropped' });
    await waitForText(banner(browser), /Reconnecting…/);
    await waitForText(statusOf(ticker), /Interrupted/);
    // the next attempt goes through the route again, to the same server with the same token
    await banner(browser).filter({ hasText: /\S/ }).waitFor({ state: 'detached', timeout: 20_000 });
    expect(sockets.length).toBeGreaterThan(1);
    await run.and(page.locator(':enabled')).waitFor();
    await page.unrouteAll();
  });

  test('a server that goes away shows the banner; back with a fresh token, the page says to open the new URL', async () => {
    const { page } = browser;
    await page.reload();
    const ticker = snippet(page, 'ticker');
    const run = ticker.getByRole('button', { name: 'Run' });
    await run.and(page.locator(':enabled')).waitFor();
    await run.click();
    await waitForText(terminalOf(ticker), /tick 2/);

    await server.stop();
    await waitForText(banner(browser), /Connection to the sandbox lost\. Reconnecting…/);
    await waitForText(statusOf(ticker), /Interrupted/);
    expect(await run.isDisabled()).toBe(true);

    server = await startServer(FIXTURE_CONTENT, server.port);
    await waitForText(banner(browser), /refused this page’s token[\s\S]*npm start/, 30_000);
    await page.goto(`${server.url}#/chapters/02-long-runs`);
    await run.and(page.locator(':enabled')).waitFor();
  });
});
