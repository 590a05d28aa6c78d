// Field mode on a phone-like chromium: what the phone downloads once (the app with the default boundary),
// and how long a new GPS position takes to become an updated card with the CPU slowed ×4 (CDP
// Emulation.setCPUThrottlingRate), against the peer of asking the server for the same answer.
// Run: node --import tsx bench/field.ts
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { seeded } from '../test/helpers/geodesic-oracle.js';
import { CHROMIUM_ARGS, ROOT, startFieldServer } from '../test/field/harness.js';
import { loadDefaultBoundary } from '../src/layers/node.js';

const DIST = join(ROOT, 'web/field/dist');
const THROTTLE = 4;
const POSITIONS = 60;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

function bundleSizes(): void {
  const rows = files(DIST).map((path) => {
    const bytes = readFileSync(path);
    return { file: relative(DIST, path), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes).length };
  }).sort((a, b) => b.raw - a.raw);
  for (const r of rows) console.log(`  ${r.file.padEnd(48)} ${kB(r.raw).padStart(10)} raw ${kB(r.gzip).padStart(10)} gzip ${kB(r.brotli).padStart(10)} brotli`);
  const total = (key: 'raw' | 'gzip' | 'brotli', filter = (_f: string) => true) => rows.filter((r) => filter(r.file)).reduce((s, r) => s + r[key], 0);
  // The .br and .gz files are what the server sends instead of their plain twins; the phone keeps the plain ones.
  const kept = (f: string) => !/\.(br|gz)$/.test(f);
  const code = (f: string) => kept(f) && !f.startsWith('layers/') && !f.startsWith('icons/');
  const sent = (f: string) => /\.br$/.test(f) || (kept(f) && !f.startsWith('layers/'));
  console.log(`field app, everything the service worker keeps: ${kB(total('raw', kept))}`);
  console.log(`  of which code (HTML, JS, CSS, service worker): ${kB(total('raw', code))} raw, ${kB(total('gzip', code))} gzip; default boundary (compiled and GeoJSON) ${kB(total('raw', (f) => kept(f) && f.startsWith('layers/')))}`);
  console.log(`what the first visit downloads in all (the service worker's precache included; boundary files brotli-compressed by lindero serve, code as is): ${kB(total('raw', sent))}`);
}

/** Seeded points near the line along its whole length, 1 m … 5 km to either side (fixes a patrol would take). */
function corridorPoints(n: number, seed: number): { lat: number; lon: number }[] {
  const line = (loadDefaultBoundary().features[0].geometry as unknown as { coordinates: [number, number][] }).coordinates;
  const random = seeded(seed);
  return Array.from({ length: n }, () => {
    const [lon, lat] = line[Math.floor(random() * line.length)];
    const offsetDeg = (random() < 0.5 ? -1 : 1) * 10 ** (-5 + random() * 3.7);
    return { lat: lat + offsetDeg, lon };
  });
}

function stats(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms (${ms.length} fixes)`;
}

const measures = (page: Page) => page.evaluate(() => performance.getEntriesByName('lindero:fix-to-card').map((e) => e.duration));

/**
 * Opens /field/ in a new throttled page and times the first card on screen from navigation start (the
 * `lindero:fix-to-card` measure's end); also how much the page fetched over the network (transfer sizes).
 */
async function openAndTime(context: BrowserContext, origin: string, label: string): Promise<{ page: Page; firstCardMs: number }> {
  const { page } = await openThrottledUntil(context, `${origin}/field/`, "performance.getEntriesByName('lindero:fix-to-card').length", (n) => n >= 1, 60_000, 'no card');
  const t = await page.evaluate(() => {
    const card = performance.getEntriesByName('lindero:fix-to-card')[0];
    return { card: card.startTime + card.duration, layers: performance.getEntriesByName('lindero:layers-ready')[0]?.startTime ?? NaN };
  });
  const fromNetwork = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => {
    const r = e as PerformanceResourceTiming;
    return { name: r.name, transfer: r.transferSize, body: r.decodedBodySize, sw: r.workerStart > 0 };
  }));
  const total = fromNetwork.reduce((sum, r) => sum + r.transfer, 0);
  const layersEntry = fromNetwork.find((r) => r.name.includes('layers.bin'));
  console.log(`${label}: layers ready ${t.layers.toFixed(0)} ms, first card ${t.card.toFixed(0)} ms after navigation; the page fetched ${kB(total)} over the network`
    + (layersEntry ? ` (compiled boundary: ${kB(layersEntry.transfer)} transferred, ${kB(layersEntry.body)} decoded${layersEntry.transfer === 0 ? ', from cache' : ''})` : ''));
  return { page, firstCardMs: t.card };
}

/** The peer: the same app when the compiled boundary cannot be had, so it builds the index from the GeoJSON on the phone (as before). */
async function builtOnThePhone(browser: import('playwright-core').Browser, origin: string): Promise<void> {
  const context = await browser.newContext({ ...PHONE, serviceWorkers: 'block' });
  await context.route('**/*.layers.bin', (route) => route.abort());
  const runs: number[] = [];
  for (let i = 0; i < 2; i++) {
    const { page, firstCardMs } = await openAndTime(context, origin, `peer, built on the phone from the GeoJSON ${i + 1}`);
    runs.push(firstCardMs);
    await page.close();
  }
  console.log(`peer: first answer when the phone builds the index itself, CPU ×${THROTTLE}: ${runs.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);
  await context.close();
}

/** Where a warm start's time goes: navigation timing and the app's own marks, ms after navigation start. */
async function timeline(page: Page): Promise<string> {
  // As a string: the bundler's helpers for named functions do not exist in the page.
  return page.evaluate(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const mark = (name) => performance.getEntriesByName(name)[0]?.startTime;
    const card = performance.getEntriesByName('lindero:fix-to-card')[0];
    const parts = [
      ['worker', nav.workerStart || undefined], ['response', nav.responseStart], ['bundle', mark('lindero:bundle-start')], ['script', mark('lindero:script-start')],
      ['domInteractive', nav.domInteractive], ['fetched', mark('lindero:layers-fetched')], ['restored', mark('lindero:layers-restored')],
      ['early', mark('lindero:early-read')], ['main', mark('lindero:main')], ['asked', mark('lindero:layers-asked')], ['answered', mark('lindero:layers-response')], ['drawn', mark('lindero:drawn')],
      ...performance.getEntriesByType('resource').filter((r) => /layers\.bin|index-.*\.js/.test(r.name)).flatMap((r) => {
        const n = r.name.includes('layers') ? 'bin' : 'js';
        return [[n + '.start', r.startTime], [n + '.responseStart', r.responseStart], [n + '.end', r.responseEnd]];
      }),
      ['fix', card?.startTime], ['card', card ? card.startTime + card.duration : undefined],
    ];
    return parts.filter(([, v]) => v !== undefined).map(([k, v]) => k + ' ' + v.toFixed(0)).join(', ');
  })()`);
}

/**
 * The floor of a warm start: a page of a few words with one inline script, from a bare HTTP server on loopback,
 * opened the same way (a new page of the same browser and context, CPU ×4) — the time the browser takes to
 * start a page and draw it before any of the app's work. Returns ms from navigation to its first paint.
 */
async function openBlank(context: BrowserContext, origin: string): Promise<number> {
  const { page, value } = await openThrottledUntil(context, `${origin}/`, "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1",
    (ms) => ms >= 0, 30_000, 'the blank page was not drawn');
  await page.close();
  return value;
}

/**
 * Opens `url` in a new page of `context` with the CPU slowed ×THROTTLE and waits until the number `expression`
 * gives is `ready`; returns the page and that number. Asked through the protocol in the page's own world, every
 * 100 ms: playwright's waitForFunction would first evaluate its injected script (~120 ms of the page's main
 * thread at CPU ×4) while the page starts.
 */
async function openThrottledUntil(context: BrowserContext, url: string, expression: string, ready: (value: number) => boolean, timeoutMs: number,
  failure: string): Promise<{ page: Page; value: number }> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  await page.goto(url, { waitUntil: 'commit' });
  for (const deadline = Date.now() + timeoutMs; ;) {
    const { result } = await cdp.send('Runtime.evaluate', { expression, returnByValue: true });
    const value = Number(result.value);
    if (ready(value)) return { page, value };
    if (Date.now() > deadline) throw new Error(`${failure} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function blankServer(): Promise<{ origin: string; close: () => Promise<void> }> {
  const html = '<!doctype html><html lang="en"><head><script>performance.mark(\'early\')</script><meta charset="utf-8">'
    + '<meta name="viewport" content="width=device-width, initial-scale=1"><title>floor</title></head><body><p>You are in United States territory.</p></body></html>';
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * The first visit, then `runs` warm starts once the service worker keeps the app, each with where its time went,
 * each followed by the floor (a blank page opened the same way) so a change of the machine's speed falls on both.
 */
async function visits(context: BrowserContext, origin: string, runs: number): Promise<{ cold: { page: Page; firstCardMs: number }; warmRuns: number[] }> {
  const cold = await openAndTime(context, origin, 'first visit');
  await cold.page.waitForFunction(() => document.body.dataset.offlineReady === 'true', undefined, { timeout: 120_000 });
  const blank = await blankServer();
  const warmRuns: number[] = [], floorRuns: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const warm = await openAndTime(context, origin, `warm ${i + 1}`);
      warmRuns.push(warm.firstCardMs);
      console.log(`  ${await timeline(warm.page)}`);
      await warm.page.close();
      floorRuns.push(await openBlank(context, blank.origin));
    }
  } finally {
    await blank.close();
  }
  const best = (xs: number[]) => Math.min(...xs);
  console.log(`floor: a blank page's first paint, opened the same way, CPU ×${THROTTLE}: ${floorRuns.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}; `
    + `best warm start ${(best(warmRuns) / best(floorRuns)).toFixed(1)}× the best floor, the app's own part ${(best(warmRuns) - best(floorRuns)).toFixed(0)} ms (best − best)`);
  return { cold, warmRuns };
}

const PHONE = {
  viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  geolocation: { latitude: 31.5, longitude: -106.3, accuracy: 5 }, permissions: ['geolocation'],
};

/** Only the first visit and the warm starts, RUNS of them (FIELD_ONLY=warm). */
async function warmOnly(runs: number): Promise<void> {
  const server = await startFieldServer();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ ...PHONE, serviceWorkers: 'allow' });
    const { warmRuns } = await visits(context, server.origin, runs);
    const sorted = [...warmRuns].sort((a, b) => a - b);
    console.log(`first answer on screen, warm cache, CPU ×${THROTTLE}: best ${sorted[0].toFixed(0)} ms, median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms`);
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }
}

async function latency(): Promise<void> {
  const server = await startFieldServer();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const points = corridorPoints(POSITIONS, 42);
  try {
    const context = await browser.newContext({ ...PHONE, serviceWorkers: 'allow' });
    // First visit (cold: nothing cached), then the page opened again once the service worker keeps the app (warm).
    const { cold, warmRuns } = await visits(context, server.origin, 3);
    console.log(`first answer on screen, warm cache, CPU ×${THROTTLE}: ${warmRuns.map((ms) => `${ms.toFixed(0)} ms`).join(', ')} (target ≤ 1,000 ms); first visit ${cold.firstCardMs.toFixed(0)} ms (target ≤ 3,000 ms)`);
    await builtOnThePhone(browser, server.origin);
    const page = cold.page;
    const observed: number[] = [];
    for (const [i, p] of points.entries()) {
      const t0 = performance.now();
      await context.setGeolocation({ latitude: p.lat, longitude: p.lon, accuracy: 5 });
      await page.waitForFunction((n) => performance.getEntriesByName('lindero:fix-to-card').length === n, i + 2, { polling: 'raf' });
      observed.push(performance.now() - t0);
    }
    const inPage = (await measures(page)).slice(1);
    console.log(`new position → updated card on screen (in the page, from the geolocation callback to the next frame), CPU ×${THROTTLE}: ${stats(inPage)}`);
    const classifyMs = (await page.evaluate(() => performance.getEntriesByName('lindero:classify').map((e) => e.duration))).slice(1);
    console.log(`  of which classify() and the answer's JSON and MGRS, CPU ×${THROTTLE}: ${stats(classifyMs)}`);
    console.log(`  as seen from outside (setGeolocation over CDP → card observed), CPU ×${THROTTLE}: ${stats(observed)}`);

    // The peer: the same answers asked of the server over loopback, from the same throttled page.
    const serverMs = await page.evaluate(async (ps) => {
      const out: number[] = [];
      for (const p of ps) {
        const t0 = performance.now();
        await (await fetch(`/api/v1/where?lat=${p.lat}&lon=${p.lon}&accuracy_m=5`)).json();
        out.push(performance.now() - t0);
      }
      return out;
    }, points);
    console.log(`peer: GET /api/v1/where from the same page over loopback (no drawing), CPU ×${THROTTLE}: ${stats(serverMs)}`);
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }
}

console.log(`lindero field benchmark — ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, chromium CPU throttling ×${THROTTLE}, ${new Date().toISOString().slice(0, 10)}`);
// FIELD_NO_BUILD=1: the app as it is in web/field/dist (to compare variants of the built files).
if (!process.env.FIELD_NO_BUILD) {
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'web/field/vite.config.ts'), logLevel: 'warn' });
}
if (process.env.FIELD_ONLY === 'warm') await warmOnly(Number(process.env.RUNS ?? 5));
else {
  bundleSizes();
  await latency();
}
