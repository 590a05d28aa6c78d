// Benchmark: `lindero track` end to end — read a 1,000,000-point GPX and analyse it against the shipped
// U.S.–Mexico boundary — and, in the same run, a Turf peer doing the per-point part of the job.
// Run: node --import tsx bench/track.ts [points]   (or --write FILE [points]: only write the track)
// Each measurement runs in its own process, so its peak RSS is its own.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLayers } from '../src/layers/load-layers.js';
import { classify, type Layers } from '../src/geo/index.js';
import { readTrack, type Fix, type TrackItem } from '../src/ingest/index.js';
import { analyzeTrack, analyzeTrackFiles } from '../src/analysis/index.js';
import { seeded } from '../test/helpers/geodesic-oracle.js';

const SEED = 20240601;

/**
 * A patrol along the boundary: 1 fix a second at 1.5 m/s along the line from its western end, wandering
 * across it (a slow random walk within ±3 km of it, crossing now and then) with 5 m GPS noise.
 * Offsets use local metres per degree: the track is synthetic, only its realism matters.
 */
async function* syntheticTrack(layers: Layers, points: number): AsyncGenerator<{ lat: number; lon: number }> {
  const rnd = seeded(SEED);
  const { lonDeg, latDeg } = layers.boundary;
  let vertex = 0, along = 0, offsetM = 800, driftMps = 0;
  for (let i = 0; i < points; i++) {
    let segLon = lonDeg[vertex + 1] - lonDeg[vertex], segLat = latDeg[vertex + 1] - latDeg[vertex];
    const mPerDegLat = 110_900, mPerDegLon = 111_320 * Math.cos(latDeg[vertex] * Math.PI / 180);
    let lengthM = Math.hypot(segLon * mPerDegLon, segLat * mPerDegLat);
    along += 1.5;
    while (along > lengthM && vertex < lonDeg.length - 2) {
      along -= lengthM;
      vertex++;
      segLon = lonDeg[vertex + 1] - lonDeg[vertex];
      segLat = latDeg[vertex + 1] - latDeg[vertex];
      lengthM = Math.hypot(segLon * mPerDegLon, segLat * mPerDegLat) || 1;
    }
    driftMps = Math.max(-2, Math.min(2, driftMps + (rnd() - 0.5) * 0.2 - offsetM * 1e-5));
    offsetM = Math.max(-3000, Math.min(3000, offsetM + driftMps));
    const f = Math.min(1, along / lengthM);
    const eastM = segLon * mPerDegLon / lengthM, northM = segLat * mPerDegLat / lengthM;
    // Left of the direction of travel (north-ish: the U.S.) is (−north, east).
    const noiseM = (rnd() - 0.5) * 17;
    const lat = latDeg[vertex] + f * segLat + ((offsetM + noiseM) * eastM) / mPerDegLat;
    const lon = lonDeg[vertex] + f * segLon + ((offsetM + noiseM) * -northM) / mPerDegLon;
    yield { lat, lon };
  }
}

async function writeGpx(layers: Layers, path: string, points: number): Promise<void> {
  const out = createWriteStream(path);
  const t0 = Date.UTC(2024, 5, 1);
  let buf = '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="lindero bench" xmlns="http://www.topografix.com/GPX/1/1">\n<trk><name>bench-patrol</name><trkseg>\n';
  let i = 0;
  for await (const p of syntheticTrack(layers, points)) {
    buf += `<trkpt lat="${p.lat.toFixed(7)}" lon="${p.lon.toFixed(7)}"><ele>1200.0</ele><time>${new Date(t0 + i++ * 1000).toISOString()}</time><hdop>0.9</hdop></trkpt>\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(`${buf}</trkseg></trk>\n</gpx>\n`);
  await once(out, 'finish');
}

interface Result { job: string; points: number; seconds: number; cpuSeconds: number; peakRssMB: number; note?: string }

/** One job in this (child) process: 'read', 'analyse' (read + analyse), 'memory' (analyse fixes already read), 'classify' or 'turf'. */
async function child(job: string, path: string, sample: number): Promise<Result> {
  const layers = await loadLayers();
  if (job === 'memory' || job === 'classify' || job === 'turf') return timed(job, await firstFixes(path, sample), layers);
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let points = 0;
  let note: string | undefined;
  if (job === 'read') {
    // As the analysis takes them: in the reader's batches.
    for await (const batch of readTrack(path).batches()) for (const item of batch) if (item.kind === 'fix') points++;
  } else {
    // What `lindero track FILE` runs.
    const report = await analyzeTrackFiles([path], layers);
    const u = report.units[0];
    points = u.points;
    note = `${u.crossings.length} crossings (${u.crossings.filter((c) => c.confirmed).length} confirmed), ${Math.round(u.timeInS.MX / 3600)} h in MX, ${fmt(report.classified)} fixes classified`;
  }
  const cpu = process.cpuUsage(cpu0);
  return { job, points, seconds: (performance.now() - start) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMB: peakRssMB(), note };
}

/** Times one in-memory job on fixes already read. */
async function timed(job: string, fixes: Fix[], layers: Layers): Promise<Result> {
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let note: string | undefined;
  if (job === 'memory') {
    const report = await analyzeTrack(itemsOf(fixes), layers);
    note = `${fmt(report.classified)} of ${fmt(fixes.length)} fixes classified`;
  } else if (job === 'classify') classifyAll(fixes, layers);
  else await turfAll(fixes, layers);
  const cpu = process.cpuUsage(cpu0);
  return { job, points: fixes.length, seconds: (performance.now() - start) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMB: peakRssMB(), note };
}

async function* itemsOf(fixes: Fix[]): AsyncGenerator<TrackItem> {
  for (const fix of fixes) yield { kind: 'fix', fix };
}

async function firstFixes(path: string, n: number): Promise<Fix[]> {
  const out: Fix[] = [];
  for await (const item of readTrack(path)) {
    if (item.kind !== 'fix') continue;
    out.push(item.fix);
    if (out.length === n) break;
  }
  return out;
}

function classifyAll(positions: { lat: number; lon: number }[], layers: Layers): number {
  let sum = 0;
  for (const p of positions) sum += classify(p, layers).boundary.distanceM;
  return sum;
}

/** The peer: @turf/point-to-line-distance (geodesic) to the same boundary, per point. It gives no side. */
async function turfAll(positions: { lat: number; lon: number }[], layers: Layers): Promise<number> {
  const { default: pointToLineDistance } = await import('@turf/point-to-line-distance');
  const { point, lineString } = await import('@turf/helpers');
  const set = layers.boundary;
  const line = lineString(Array.from({ length: set.lonDeg.length }, (_, i) => [set.lonDeg[i], set.latDeg[i]]));
  let sum = 0;
  for (const p of positions) sum += pointToLineDistance(point([p.lon, p.lat]), line, { units: 'meters' });
  return sum;
}

function peakRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function runChild(job: string, path: string, sample = 0): Result {
  const self = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', job, path, String(sample)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as Result;
}

const rate = (r: Result) => r.points / r.seconds;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    console.log(JSON.stringify(await child(process.argv[3], process.argv[4], Number(process.argv[5]))));
    return;
  }
  if (process.argv[2] === '--write') {
    // The seeded track alone, to look at it in a GIS or feed it to `lindero track`.
    await writeGpx(await loadLayers(), process.argv[3], Number(process.argv[4] ?? 1_000_000));
    return;
  }
  const points = Number(process.argv[2] ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'lindero-track-bench-'));
  try {
    const path = join(dir, 'patrol.gpx');
    await writeGpx(await loadLayers(), path, points);
    const mb = statSync(path).size / 2 ** 20;
    const analyse = runChild('analyse', path);
    const read = runChild('read', path);
    const memory = runChild('memory', path, 200_000);
    const classifyOnly = runChild('classify', path, 200_000);
    const turf = runChild('turf', path, 100);
    console.log(`track analysis, ${fmt(points)}-point GPX (${mb.toFixed(0)} MB) along the U.S.–Mexico line, seed ${SEED}`);
    const labels: Record<string, string> = {
      analyse: 'read + analyse (end to end)', read: 'read only', memory: 'analyse only (in memory)', classify: 'classify every fix', turf: 'Turf distance per fix',
    };
    for (const r of [analyse, read, memory, classifyOnly, turf]) {
      console.log(`  ${(labels[r.job] ?? r.job).padEnd(28)} ${fmt(r.points).padStart(9)} fixes ${r.seconds.toFixed(2).padStart(7)} s ${fmt(rate(r)).padStart(9)} /s  ${fmt(r.points / r.cpuSeconds).padStart(9)} /CPU-s  peak RSS ${r.peakRssMB} MB${r.note ? `  [${r.note}]` : ''}`);
    }
    const readShare = read.cpuSeconds / analyse.cpuSeconds;
    console.log(`  reading is ${(readShare * 100).toFixed(0)}% of the end-to-end CPU time`);
    console.log(`  end to end vs the Turf peer (distance only: no reading, no side, ${turf.points} fixes extrapolated): ${(rate(analyse) / rate(turf)).toFixed(0)}× the fixes per second`);
    console.log(`  targets: ≥ 300,000 fixes/s end to end → ${rate(analyse) >= 300_000 ? 'met' : 'not met'} (${fmt(rate(analyse))}/s wall, ${fmt(analyse.points / analyse.cpuSeconds)}/CPU-s); peak RSS ≤ 200 MB → ${analyse.peakRssMB <= 200 ? 'met' : 'not met'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
