// Benchmark: 1,000 units at 1 fix/s each on the dashboard map, in Debian's chromium.
// Measures the idle page first (the machine's own frame rate), then compares the dashboard's incremental updates (UnitLayer → GeoJSONSource.updateData) with the naive peer,
// rewriting the whole source (setData) for every batch, in the same run. Reports frame intervals and
// main-thread long tasks. Run: node --import tsx test/browser/units-load.bench.ts [seconds] [width] [height]
import { dashboardReady, launchBrowser, mapIdle, startTestServer } from './harness.js';

const SECONDS = Number(process.argv[2] ?? 10);
// Software GL (no GPU here) pays per pixel on every repaint; a small map keeps the fill cost from hiding the update cost.
const VIEWPORT = { width: Number(process.argv[3] ?? 640), height: Number(process.argv[4] ?? 400) };
const UNITS = 1000;

interface Result { mode: string; frames: number; p50: number; p95: number; max: number; longTaskMs: number; fixes: number }

const server = await startTestServer();
const browser = await launchBrowser(server.origin);
try {
  const page = await browser.open('/');
  await page.setViewportSize(VIEWPORT);
  await dashboardReady(page);
  await mapIdle(page, 'map.jumpTo({ center: [-106.45, 31.75], zoom: 10 })');
  // tsx keeps function names by wrapping them in __name(), which the page does not have.
  await page.evaluate('globalThis.__name = (f) => f');
  const results: Result[] = [];
  for (const mode of ['idle', 'updateData', 'setData'] as const) {
    results.push(await page.evaluate(async ([mode, units, seconds]) => {
      const { map } = window.lindero!;
      const layer = (window.lindero as unknown as { units: { push(f: unknown): void; reset(f: unknown[]): void } }).units;
      const source = map.getSource('units') as unknown as { setData(d: unknown): Promise<void> };
      // Units scattered over 30 km either side of the line at El Paso, each walking its own way.
      const fix = (i: number, tick: number) => ({
        id: tick * units + i, unit: `u${i}`, time: '', time_ms: Date.now(), source: 'json', late: false,
        lat: 31.75 + 0.3 * Math.sin(i * 12.9898) + 0.0002 * tick * Math.cos(i),
        lon: -106.45 + 0.3 * Math.cos(i * 78.233) + 0.0002 * tick * Math.sin(i),
        accuracy_m: 5 + (i % 20), course_deg: (i * 37) % 360,
        determination: { territory: i % 2 ? 'US' : 'MX', zone: 'inland', certain: i % 7 !== 0, confidence: 0.99, accuracy_m: 5,
          boundary: { distance_m: 100, nearest: { lat: 0, lon: 0 }, bearing_deg: 0, other_territory: 'MX' }, fence: null },
      });
      layer.reset([]);
      const latest = new Map<number, ReturnType<typeof fix>>();
      const feature = (f: ReturnType<typeof fix>) => ({ type: 'Feature', id: f.unit, geometry: { type: 'Point', coordinates: [f.lon, f.lat] },
        properties: { unit: f.unit, territory: f.determination.territory, zone: 'inland', certain: f.determination.certain,
          accuracy_m: f.accuracy_m, course_deg: f.course_deg, cos_lat: 0.85 } });
      let longTaskMs = 0;
      const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) longTaskMs += e.duration; });
      observer.observe({ type: 'longtask', buffered: false });
      const intervals: number[] = [];
      let last = performance.now();
      let running = true;
      const frame = (at: number) => { intervals.push(at - last); last = at; if (running) requestAnimationFrame(frame); };
      requestAnimationFrame(frame);
      // Fixes arrive spread over each second, 10 every 10 ms, as a stream of 1,000 units at 1 Hz delivers them.
      let sent = 0;
      const started = performance.now();
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const tick = Math.floor((performance.now() - started) / 1000);
          if (tick >= seconds) { clearInterval(timer); resolve(); return; }
          for (let k = 0; k < 10; k++) {
            const f = fix(sent % units, tick);
            sent++;
            if (mode === 'updateData') layer.push(f);
            else if (mode === 'setData') latest.set(sent % units, f);
          }
        }, 10);
        // The peer rewrites the whole collection at the same cadence as the dashboard's incremental updates.
        const rewrite = setInterval(() => {
          if (mode !== 'setData') return;
          if (performance.now() - started >= seconds * 1000) { clearInterval(rewrite); return; }
          void source.setData({ type: 'FeatureCollection', features: [...latest.values()].map(feature) });
        }, 250);
      });
      running = false;
      observer.disconnect();
      intervals.sort((a, b) => a - b);
      const q = (p: number) => intervals[Math.min(intervals.length - 1, Math.floor(p * intervals.length))];
      return { mode, frames: intervals.length, p50: q(0.5), p95: q(0.95), max: intervals[intervals.length - 1], longTaskMs, fixes: sent };
    }, [mode, UNITS, SECONDS] as const));
  }
  for (const r of results) {
    console.log(`${VIEWPORT.width}×${VIEWPORT.height} ${r.mode.padEnd(10)} ${r.fixes} fixes in ${SECONDS} s: ${r.frames} frames (${(r.frames / SECONDS).toFixed(1)}/s), ` +
      `interval p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, max ${r.max.toFixed(0)} ms; long tasks ${r.longTaskMs.toFixed(0)} ms`);
  }
} finally {
  await browser.close();
  await server.close();
}
