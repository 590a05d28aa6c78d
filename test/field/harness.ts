// Shared by the field-mode browser tests: a real `lindero serve` (startServer, port 0, temporary store) with
// the built field app, and Debian's chromium as a phone: small touch screen, location allowed, positions
// set by the test, navigator.vibrate counted, and nothing allowed to leave the machine.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, ROOT, requireChromium, startServerInTempDir, type TestServer } from '../helpers/browser.js';

export { ARTIFACTS, ROOT, screenshot } from '../helpers/browser.js';
const FIELD_DIST = join(ROOT, 'web/field/dist');

/** Builds web/field/dist once when missing (`npm test` builds it fresh through `pretest`). */
export async function ensureFieldBuilt(): Promise<void> {
  if (existsSync(join(FIELD_DIST, 'index.html')) && existsSync(join(FIELD_DIST, 'sw.js'))) return;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'web/field/vite.config.ts'), logLevel: 'warn' });
}

export type FieldServer = TestServer;

/** `lindero serve` with the default boundary and no fence, on a free port, with a store in a temporary folder. */
export async function startFieldServer(): Promise<FieldServer> {
  await ensureFieldBuilt();
  return startServerInTempDir('lindero-field-', 'field.db', { osmandPort: null, cotPort: null, cotUdpPort: null, nmeaPort: null });
}

export interface Phone {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Requests for anything but the server under test. */
  foreignRequests: string[];
  setPosition(lat: number, lon: number, accuracyM?: number): Promise<void>;
  /** Patterns passed to navigator.vibrate since the page was loaded. */
  vibrations(): Promise<number[][]>;
  /** Web Audio tones started since the page was loaded. */
  tones(): Promise<number>;
  close(): Promise<void>;
}

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
  // Any host name resolves to nothing, so no request can leave the machine even if one were made.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

/**
 * Records every navigator.vibrate pattern in window.__vibrations (the page's own vibrate is replaced) and
 * counts the tones started through Web Audio in window.__tones (they still play).
 */
const VIBRATE_STUB = `
  window.__tones = 0;
  const startTone = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    window.__tones++;
    return startTone.apply(this, args);
  };
  window.__vibrations = [];
  Object.defineProperty(Navigator.prototype, 'vibrate', {
    configurable: true,
    value(pattern) {
      window.__vibrations.push(Array.isArray(pattern) ? [...pattern] : [pattern]);
      return true;
    },
  });
`;

/**
 * A phone-sized chromium with location allowed for the server's origin, opened at /field/ (through the login
 * page first, as a person would, when `signIn` is given: a server beyond loopback asks for it).
 */
export async function openPhone(origin: string, start: { lat: number; lon: number; accuracyM?: number }, signIn?: { name: string; password: string }): Promise<Phone> {
  requireChromium();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'en-US',
    timezoneId: 'America/Denver',
    geolocation: { latitude: start.lat, longitude: start.lon, accuracy: start.accuracyM ?? 5 },
    // Chrome on Android allows the motion sensors by default; the compass needs them.
    permissions: ['geolocation', 'accelerometer', 'gyroscope', 'magnetometer'],
    serviceWorkers: 'allow',
  });
  const foreignRequests: string[] = [];
  const local = (url: string) => url === origin || url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:');
  context.on('request', (request) => {
    if (!local(request.url())) foreignRequests.push(request.url());
  });
  // A string, not a function: the test runner's transpiler would wrap named functions in a helper the page lacks.
  await context.addInitScript({ content: VIBRATE_STUB });
  const page = await context.newPage();
  page.on('websocket', (ws) => {
    if (!local(ws.url())) foreignRequests.push(ws.url());
  });
  await page.goto(`${origin}/field/`);
  if (signIn) {
    await page.fill('input[name="name"]', signIn.name);
    await page.fill('input[name="password"]', signIn.password);
    await Promise.all([page.waitForURL(`${origin}/field/`), page.click('button[type="submit"]')]);
  }
  await fieldReady(page);
  return {
    browser, context, page, foreignRequests,
    setPosition: (lat, lon, accuracyM = 5) => context.setGeolocation({ latitude: lat, longitude: lon, accuracy: accuracyM }),
    vibrations: () => page.evaluate(() => (window as unknown as { __vibrations: number[][] }).__vibrations),
    tones: () => page.evaluate(() => (window as unknown as { __tones: number }).__tones),
    async close() {
      await context.close();
      await browser.close();
    },
  };
}

/** Waits for the app to have its layers (body[data-ready]). */
export async function fieldReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, undefined, { timeout: 30_000 });
  const state = await page.evaluate(() => document.body.dataset.ready);
  if (state !== 'true') throw new Error(`field mode failed to start: ${await page.textContent('#layers-error')}`);
}

/** Waits until the card shows a position at exactly this distance from the line (the where answer's distance_m). */
export async function waitForDistance(page: Page, distanceM: number): Promise<void> {
  await page.waitForFunction((d) => document.querySelector<HTMLElement>('.field-card')?.dataset.distanceM === String(d), distanceM, { timeout: 10_000 });
}
