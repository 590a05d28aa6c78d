// Benchmark: the dashboard with 1,000 units reporting once a second each, fed through the server's real
// ingest (POST /api/v1/fixes, 100 fixes every 100 ms) and delivered by its stream, in Debian's chromium.
// Measures the main thread's busy share (CDP Performance.getMetrics TaskDuration over wall time) of the
// dashboard and, in the same run and the same browser, of a baseline page that only holds the stream open,
// and how long a crossing sent in the middle of the load takes to be on screen in the alerts panel.
// Recorded, not asserted. Run: node --import tsx test/browser/dashboard-load.bench.ts [seconds]
import { cpus, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { dashboardReady, launchBrowser, mapIdle, STAMP_CROSSING_FRAME, startTestServer } from './harness.js';

const SECONDS = Number(process.argv[2] ?? 20);
const UNITS = 1000;
const BATCH_MS = 100;

const server = await startTestServer();
let stopped = false;
const browser = await launchBrowser(server.origin);

/** Units scattered over 30 km either side of the line at El Paso, each walking its own way. */
function fix(i: number, tick: number) {
  return {
    unit: `u${i}`, time: new Date().toISOString(),
    lat: 31.95 + 0.15 * Math.sin(i * 12.9898) + 0.00002 * tick * Math.cos(i),
    lon: -106.45 + 0.3 * Math.cos(i * 78.233) + 0.00002 * tick * Math.sin(i),
    accuracy_m: 5 + (i % 20),
  };
}

async function post(body: unknown[]): Promise<void> {
  const r = await fetch(`${server.origin}/api/v1/fixes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await r.arrayBuffer();
}

/** Feeds every unit once a second for `seconds`, 100 fixes per batch; resolves with the fixes sent. */
async function feed(seconds: number): Promise<number> {
  let sent = 0;
  const started = Date.now();
  const perBatch = (UNITS * BATCH_MS) / 1000;
  while (!stopped && Date.now() - started < seconds * 1000) {
    const tick = Math.floor((Date.now() - started) / 1000);
    const batch = Array.from({ length: perBatch }, (_, k) => fix((sent + k) % UNITS, tick));
    sent += perBatch;
    await post(batch);
    const next = started + (sent / perBatch) * BATCH_MS;
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
  }
  return sent;
}

/**
 * The page's main thread so far, seconds: time in tasks (wall clock, which on a loaded machine includes time
 * waiting for a core) and its CPU time (ThreadTime). One CDP session per page, enabled once.
 */
async function taskMeter(page: Page): Promise<() => Promise<{ task: number; cpu: number }>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const cpu = await page.context().newCDPSession(page);
  await cpu.send('Performance.enable', { timeDomain: 'timeTicks' });
  const metric = async (session: typeof cdp) => (await session.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')!.value;
  return async () => ({ task: await metric(cpu), cpu: await metric(cdp) });
}

try {
  // The baseline: a page of this server that holds the same stream open (as the dashboard asks for it: batches,
  // each acknowledged, no unit summaries) and does nothing else with it.
  const baseline = await browser.open('/basemap/places.json');
  // tsx keeps function names by wrapping them in __name(), which the pages do not have.
  await baseline.evaluate('globalThis.__name = (f) => f');
  await baseline.evaluate(() => {
    const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/api/v1/stream?batch=1&ack=1&units=0`);
    let n = 0;
    ws.onmessage = (e) => {
      n++;
      if (String(e.data).startsWith('{"type":"batch"')) ws.send('ack');
    };
    (window as unknown as { frames: () => number }).frames = () => n;
  });
  // Stamps when the crossing's alert frame reaches the page (before the dashboard sees it), as dashboard.test.ts does.
  const dashboard = await browser.open('/', async (p) => void await p.addInitScript(STAMP_CROSSING_FRAME));
  await dashboardReady(dashboard);
  await dashboard.evaluate('globalThis.__name = (f) => f');
  await mapIdle(dashboard, 'map.jumpTo({ center: [-106.45, 31.9], zoom: 9 })');
  // Every unit once before measuring, so the run measures moves, not first appearances.
  await feed(1.2);
  await new Promise((r) => setTimeout(r, 2000));

  const dashTasks = await taskMeter(dashboard);
  const baseTasks = await taskMeter(baseline);
  const before = { dash: await dashTasks(), base: await baseTasks(), at: performance.now() };
  const feeding = feed(SECONDS).catch((e: unknown) => { if (!stopped) throw e; return 0; });
  // Halfway, a crossing (north to south of the line west of El Paso, along 31.7838° N): how long until it is on screen.
  await new Promise((r) => setTimeout(r, (SECONDS * 1000) / 2));
  const crossingAt = await dashboard.evaluate(() => Date.now());
  let committedAt = 0;
  const crossing = post([
    { unit: 'crosser', time: new Date(Date.now() - 2000).toISOString(), lat: 31.7843, lon: -106.64, accuracy_m: 3 },
    { unit: 'crosser', time: new Date(Date.now() - 1000).toISOString(), lat: 31.7833, lon: -106.64, accuracy_m: 3 },
  ]).then(() => { committedAt = Date.now(); });
  const shownAt = await dashboard.evaluate(() => new Promise<number>((resolve) => {
    const seen = () => document.querySelector('#alerts .alert[data-kind="crossing"]');
    if (seen()) { resolve(Date.now()); return; }
    new MutationObserver((_, observer) => { if (seen()) { observer.disconnect(); resolve(Date.now()); } })
      .observe(document.getElementById('alerts')!, { childList: true, subtree: true });
  }));
  await crossing;
  const frameAt = await dashboard.evaluate(() => (window as unknown as { crossingFrameAt: number }).crossingFrameAt);
  const sent = await feeding;
  const after = { dash: await dashTasks(), base: await baseTasks(), at: performance.now() };
  const wallS = (after.at - before.at) / 1000;
  const busy = (a: { task: number; cpu: number }, b: { task: number; cpu: number }) =>
    `${((100 * (b.cpu - a.cpu)) / wallS).toFixed(1)} % of a core in CPU time (${((100 * (b.task - a.task)) / wallS).toFixed(1)} % in task wall time)`;
  console.log(`dashboard load — ${cpus()[0]?.model ?? 'CPU'}, ${cpus().length} cores, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}, ${new Date().toISOString()}`);
  console.log(`${UNITS} units at 1 fix/s through POST /api/v1/fixes and the stream, ${sent} fixes in ${wallS.toFixed(1)} s (${(sent / wallS).toFixed(0)}/s)`);
  console.log(`main thread busy: dashboard ${busy(before.dash, after.dash)}, baseline page (stream open, nothing drawn) ${busy(before.base, after.base)} (target for the dashboard ≤ 25 %)`);
  console.log(`a crossing sent under load was on screen in the alerts panel ${shownAt - crossingAt} ms after it was sent, `
    + `${shownAt - committedAt} ms after the server had stored it (its POST answered) (target ≤ 1,000 ms); its frame reached the page `
    + `${frameAt - committedAt} ms after it was stored, and was on screen ${shownAt - frameAt} ms after that`);
} catch (e) {
  console.error('the benchmark failed:', e);
  process.exitCode = 1;
} finally {
  stopped = true;
  await browser.close();
  await server.close();
}
