// Shared by the browser tests: a real lindero server on 127.0.0.1 with the built dashboard, Debian's
// chromium driven by playwright-core with a fresh profile, and a guard that fails on any request that
// leaves the server under test.
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, ROOT, requireChromium, startServerInTempDir, type TestServer } from '../helpers/browser.js';

export { ARTIFACTS, ROOT, screenshot, type TestServer } from '../helpers/browser.js';
export const FENCES = fileURLToPath(new URL('./fixtures/fences.geojson', import.meta.url));

/**
 * Builds web/dist when it is missing (npm test builds it fresh through `pretest`; after changing web/,
 * run `npm run build:web`). Test files run in parallel, so each builds into its own folder and moves it
 * into place; the first to arrive wins and the others drop theirs.
 */
export async function ensureWebBuilt(): Promise<void> {
  const dist = join(ROOT, 'web/dist');
  if (existsSync(join(dist, 'index.html')) && existsSync(join(dist, 'card.html'))) return;
  const { build } = await import('vite');
  const outDir = mkdtempSync(join(ROOT, 'web/.dist-'));
  try {
    await build({ configFile: join(ROOT, 'web/vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    if (!existsSync(join(dist, 'index.html'))) {
      rmSync(dist, { recursive: true, force: true });
      renameSync(outDir, dist);
    }
  } catch (e) {
    if (!existsSync(join(dist, 'index.html'))) throw e;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

export async function startTestServer(): Promise<TestServer> {
  await ensureWebBuilt();
  return startServerInTempDir('lindero-browser-', 'test.db', { fenceFile: FENCES, osmandPort: 0, cotPort: null, cotUdpPort: null, nmeaPort: null });
}

export interface FixInput {
  unit: string;
  time: string;
  lat: number;
  lon: number;
  accuracy_m?: number;
  course_deg?: number;
  speed_mps?: number;
  emergency?: { state: 'declared' | 'cancelled'; what?: string };
}

/** POST /api/v1/fixes: answers once the fixes are stored. */
export async function sendFixes(origin: string, fixes: FixInput[]): Promise<void> {
  const response = await fetch(`${origin}/api/v1/fixes`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fixes),
  });
  const body = (await response.json()) as { accepted?: number; rejected?: unknown[] };
  if (response.status !== 200 || body.accepted !== fixes.length) {
    throw new Error(`fixes not all accepted (${response.status}): ${JSON.stringify(body)}`);
  }
}

export interface Browser {
  context: BrowserContext;
  /** Requests that went anywhere but the server under test. */
  foreignRequests: string[];
  /** A new page at `path`; `prepare` runs before it loads (to listen to its WebSocket, say). */
  open(path: string, prepare?: (page: Page) => void | Promise<void>): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Debian's chromium with a fresh profile. Every request is checked: one for any other origin is
 * recorded (and refused, so nothing leaves the machine even when a test is about to fail).
 */
export async function launchBrowser(origin: string, options: { locale?: string } = {}): Promise<Browser> {
  requireChromium();
  const profile = mkdtempSync(join(tmpdir(), 'lindero-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
    viewport: { width: 1280, height: 800 },
    locale: options.locale ?? 'en-US',
    timezoneId: 'America/Denver',
  });
  // Generous waits: a loaded two-core machine can take tens of seconds to start chromium and draw the first frame.
  context.setDefaultTimeout(90_000);
  const foreignRequests: string[] = [];
  const allowed = (url: string) => url.startsWith(`${origin}/`) || url === origin || url.startsWith('data:') || url.startsWith('blob:')
    || url.startsWith(`${origin.replace('http:', 'ws:')}/`);
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (allowed(url)) return route.continue();
    foreignRequests.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (request) => {
    if (!allowed(request.url()) && !foreignRequests.includes(request.url())) foreignRequests.push(request.url());
  });
  return {
    context,
    foreignRequests,
    async open(path: string, prepare?: (page: Page) => void | Promise<void>) {
      const page = await context.newPage();
      page.on('websocket', (ws) => {
        if (!allowed(ws.url())) foreignRequests.push(ws.url());
      });
      await prepare?.(page);
      await page.goto(`${origin}${path}`);
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits for the dashboard to have drawn its first complete frame (body[data-ready]). */
export async function dashboardReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, undefined, { timeout: 120_000 });
  const state = await page.evaluate(() => document.body.dataset.ready);
  if (state !== 'true') throw new Error(`dashboard failed to start: ${await page.textContent('#flash')}`);
}

/**
 * Resolves when the map has drawn everything it was asked to (its `idle` event), after forcing a frame
 * so that an already idle map answers too. Rejects after 60 s rather than hang the test run.
 */
export async function mapIdle(page: Page, change?: string): Promise<void> {
  await page.evaluate((code) => new Promise<void>((resolve, reject) => {
    const { map } = window.lindero!;
    const timer = setTimeout(() => reject(new Error('the map did not become idle within 60 s')), 60_000);
    map.once('idle', () => {
      clearTimeout(timer);
      resolve();
    });
    if (code) new Function('map', code)(map);
    map.triggerRepaint();
  }), change);
}

/**
 * An init script stamping, in the page, when the stream delivers the first crossing alert (window.crossingFrameAt),
 * before the dashboard sees it: the time a frame reached the page, apart from the time the page took to show it.
 */
export const STAMP_CROSSING_FRAME = `
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const text = String(e.data);
        if (!window.crossingFrameAt && text.startsWith('{"type":"alert"') && text.includes('"kind":"crossing"')) window.crossingFrameAt = Date.now();
      });
    }
  };`;
