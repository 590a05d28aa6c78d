// Field mode on a phone-like chromium: what the phone downloads once (the app with the default boundary),
// and how long a new GPS position takes to become an updated card with the CPU slowed ×4 (CDP
// Emulation.setCPUThrottlingRate), against the peer of asking the server for the same answer.
// Run: node --import tsx bench/field.ts
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
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
  const code = (f: string) => !f.startsWith('layers/') && !f.startsWith('icons/');
  console.log(`field app, everything the service worker keeps: ${kB(total('raw'))} raw, ${kB(total('gzip'))} gzip, ${kB(total('brotli'))} brotli`);
  console.log(`  of which code (HTML, JS, CSS, service worker): ${kB(total('raw', code))} raw, ${kB(total('gzip', code))} gzip; default boundary ${kB(total('raw', (f) => f.startsWith('layers/')))} raw, ${kB(total('gzip', (f) => f.startsWith('layers/')))} gzip`);
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

async function latency(): Promise<void> {
  const server = await startFieldServer();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const points = corridorPoints(POSITIONS, 42);
  try {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
      geolocation: { latitude: 31.5, longitude: -106.3, accuracy: 5 }, permissions: ['geolocation'],
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
    await page.goto(`${server.origin}/field/`);
    await page.waitForFunction(() => performance.getEntriesByName('lindero:fix-to-card').length === 1, undefined, { timeout: 60_000 });
    const start = await page.evaluate(() => ({
      layers: performance.getEntriesByName('lindero:layers-ready')[0]?.startTime ?? NaN,
      card: performance.getEntriesByName('lindero:fix-to-card')[0].startTime + performance.getEntriesByName('lindero:fix-to-card')[0].duration,
    }));
    console.log(`first load at CPU ×${THROTTLE} (loopback network): default boundary built ${start.layers.toFixed(0)} ms, first card ${start.card.toFixed(0)} ms after navigation`);

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
const { build } = await import('vite');
await build({ configFile: join(ROOT, 'web/field/vite.config.ts'), logLevel: 'warn' });
bundleSizes();
await latency();
