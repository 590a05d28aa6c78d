// The Content-Security-Policy (no inline code, nothing from elsewhere, no framing) holds for every page:
// the dashboard, the position card and field mode load and draw with nothing refused and nothing logged
// as an error in chromium's console.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { dashboardReady, launchBrowser, sendFixes, startTestServer, type Browser, type TestServer } from './harness.js';

let server: TestServer;
let browser: Browser;
before(async () => {
  server = await startTestServer();
  await sendFixes(server.origin, [{ unit: 'alpha', time: new Date(Date.now() - 60_000).toISOString(), lat: 31.79, lon: -106.64, accuracy_m: 5 }]);
  browser = await launchBrowser(server.origin);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a page recording every CSP violation (the DOM's own event) and every console error. */
async function openWatched(path: string): Promise<{ page: Page; problems: () => Promise<string[]> }> {
  const consoleErrors: string[] = [];
  const page = await browser.open(path, async (p) => {
    p.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    p.on('pageerror', (e) => consoleErrors.push(String(e)));
    await p.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
  });
  return {
    page,
    problems: async () => [...consoleErrors, ...await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)],
  };
}

test('every answer carries the security headers', async () => {
  for (const path of ['/', '/card', '/field/', '/api/v1/units', '/api/v1/nothing-here']) {
    const r = await fetch(`${server.origin}${path}`);
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/, path);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer', path);
  }
});

test('the dashboard draws with nothing refused by the policy and a clean console', async () => {
  const { page, problems } = await openWatched('/');
  await dashboardReady(page);
  assert.deepEqual(await problems(), []);
  await page.close();
});

test('the position card draws with nothing refused by the policy and a clean console', async () => {
  const { page, problems } = await openWatched('/card?lat=31.79&lon=-106.64');
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, undefined, { timeout: 120_000 });
  assert.deepEqual(await problems(), []);
  await page.close();
});

test('field mode starts with nothing refused by the policy and a clean console', async () => {
  const { page, problems } = await openWatched('/field/');
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, undefined, { timeout: 120_000 });
  assert.deepEqual(await problems(), []);
  await page.close();
});
