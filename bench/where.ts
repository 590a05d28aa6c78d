// Benchmark of the core: classify() on the default line against Turf, the CLI's stdin batch rate,
// its cold start, and the heap held by the default layers. Seeded; prints ratios against the peer.
import type { LineString } from 'geojson';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import pointToLineDistance from '@turf/point-to-line-distance';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { lineString, point, polygon } from '@turf/helpers';
import { buildLayers, classify } from '../src/geo/index.js';
import { loadDefaultBoundary } from '../src/layers/node.js';
import { direct, inverse, seeded } from '../test/helpers/geodesic-oracle.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const boundary = loadDefaultBoundary();
const line = (boundary.features[0].geometry as LineString).coordinates as [number, number][];
const layers = buildLayers(boundary, null);

/** Points in the corridor: a random place on the line, stepped 1 mm … 60 km (log-uniform) to either side. */
function corridorPoints(n: number, seed: number): { lat: number; lon: number }[] {
  const rnd = seeded(seed);
  const out: { lat: number; lon: number }[] = [];
  for (let i = 0; i < n; i++) {
    const k = Math.floor(rnd() * (line.length - 1));
    const [a, b] = [line[k], line[k + 1]];
    const t = rnd();
    const foot = { lat: a[1] + t * (b[1] - a[1]), lon: a[0] + t * (b[0] - a[0]) };
    const az = inverse(a[1], a[0], b[1], b[0]).azi1 as number;
    out.push(direct(foot.lat, foot.lon, az + (rnd() < 0.5 ? -90 : 90), 10 ** (-3 + rnd() * Math.log10(60_000 / 0.001))));
  }
  return out;
}

function bestOf(runs: number, fn: () => void): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

function benchClassify() {
  const pts = corridorPoints(200_000, 42);
  let sink = 0;
  const ms = bestOf(7, () => { for (const p of pts) sink += classify(p, layers).boundary.distanceM; });
  const rate = pts.length / (ms / 1000);
  // The peer: Turf's distance to the line plus point-in-polygon against the U.S. side closed off to the north.
  const turfLine = lineString(line);
  const usSide = polygon([[...line, [line[line.length - 1][0], 36], [line[0][0], 36], line[0]]]);
  const sample = pts.slice(0, 400);
  const turfMs = bestOf(2, () => {
    for (const p of sample) {
      const pt = point([p.lon, p.lat]);
      sink += pointToLineDistance(pt, turfLine, { units: 'meters' }) + (booleanPointInPolygon(pt, usSide) ? 1 : 0);
    }
  });
  const turfRate = sample.length / (turfMs / 1000);
  console.log(`classify, default line (${line.length} vertices), 200,000 corridor points: ${fmt(rate)} determinations/s on one core`);
  console.log(`Turf point-to-line-distance + boolean-point-in-polygon, same points (400): ${fmt(turfRate)} /s`);
  console.log(`ratio lindero / Turf: ${(rate / turfRate).toFixed(0)}×`);
  // Positions far inland (a unit at a base, a mistyped coordinate): 100–1,000 km from the line.
  const rnd = seeded(5);
  const far = Array.from({ length: 2_000 }, () => {
    const [lon, lat] = line[Math.floor(rnd() * line.length)];
    return direct(lat, lon, rnd() * 360, 100_000 + rnd() * 900_000);
  });
  const farMs = bestOf(3, () => { for (const p of far) sink += classify(p, layers).boundary.distanceM; });
  console.log(`classify 100–1,000 km from the line (2,000 points): ${fmt(far.length / (farMs / 1000))} determinations/s`);
  return sink;
}

/**
 * The worst cases beside the best: positions uniform on the sphere (almost all far from the line, most outside
 * both territories), far inland in the United States, and 1–20 km from a custom line of ~11,000 vertices.
 * Each against Turf (distance to the line and point-in-polygon on the same territories) and against the naive
 * floor of one GeographicLib inverse per position, in the same run.
 */
function benchDistributions() {
  const rnd = seeded(77);
  const sphere = Array.from({ length: 100_000 }, () => ({ lat: (Math.asin(2 * rnd() - 1) * 180) / Math.PI, lon: rnd() * 360 - 180 }));
  const inland = Array.from({ length: 100_000 }, () => ({ lat: 33 + rnd() * 12, lon: -120 + rnd() * 40 }));
  const custom = customLine(11_000, 9);
  const customLayers = buildLayers({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { left: 'AA', right: 'BB' }, geometry: { type: 'LineString', coordinates: custom } }] }, null);
  const nearCustom = pointsBeside(custom, 100_000, 1_000, 20_000, 11);
  const territories = boundary.features.slice(1).map((f) => f as unknown as Parameters<typeof booleanPointInPolygon>[1]);
  const turfLine = lineString(line), turfCustom = lineString(custom);
  let sink = 0;
  const cases: [string, { lat: number; lon: number }[], typeof layers, () => ReturnType<typeof lineString>, boolean][] = [
    ['uniform on the sphere', sphere, layers, () => turfLine, true],
    ['far inland (33–45°N, 120–80°W)', inland, layers, () => turfLine, true],
    ['1–20 km from a custom line of 11,000 vertices', nearCustom, customLayers, () => turfCustom, false],
  ];
  for (const [name, pts, l, turfOf, withPolygons] of cases) {
    const ms = bestOf(3, () => { for (const p of pts) sink += classify(p, l).boundary.distanceM; });
    const rate = pts.length / (ms / 1000);
    const sample = pts.slice(0, 200);
    const peer = turfOf();
    const turfMs = bestOf(2, () => {
      for (const p of sample) {
        const pt = point([p.lon, p.lat]);
        sink += pointToLineDistance(pt, peer, { units: 'meters' });
        if (withPolygons) for (const t of territories) if (booleanPointInPolygon(pt, t)) { sink++; break; }
      }
    });
    const floorMs = bestOf(3, () => { for (const p of pts) sink += inverse(p.lat, p.lon, 31.5, -106.2).s12 as number; });
    const turfRate = sample.length / (turfMs / 1000), floorRate = pts.length / (floorMs / 1000);
    console.log(`classify, ${name} (${fmt(pts.length)} points): ${fmt(rate)} determinations/s on one core; ` +
      `Turf ${fmt(turfRate)}/s (×${(rate / turfRate).toFixed(0)}); one GeographicLib inverse each ${fmt(floorRate)}/s (×${(rate / floorRate).toFixed(2)})`);
  }
  return sink;
}

/**
 * A user line of 100,000 vertices: each position timed alone, wherever it is (on the line, beside it, far away,
 * anywhere on the sphere), with the worst and the 99.9th percentile printed. The first query of each kind
 * builds what it needs (the segment grid, the far search's boxes); those are timed apart.
 */
function benchLargeLine() {
  const big = customLine(100_000, 21, 20); // ~4,000 km of meanders
  const t0 = performance.now();
  const bigLayers = buildLayers({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { left: 'AA', right: 'BB' }, geometry: { type: 'LineString', coordinates: big } }] }, null);
  const buildMs = performance.now() - t0;
  const rnd = seeded(31);
  const pts = [
    ...pointsBeside(big, 10_000, 0.001, 20_000, 32),
    ...pointsBeside(big, 5_000, 20_000, 2_000_000, 33),
    ...Array.from({ length: 5_000 }, () => ({ lat: (Math.asin(2 * rnd() - 1) * 180) / Math.PI, lon: rnd() * 360 - 180 })),
  ];
  const firstNear = performance.now(); classify(pts[0], bigLayers); const firstNearMs = performance.now() - firstNear;
  const firstFar = performance.now(); classify(pts[pts.length - 1], bigLayers); const firstFarMs = performance.now() - firstFar;
  let sink = 0;
  for (const p of pts.slice(0, 2000)) sink += classify(p, bigLayers).boundary.distanceM; // warm the code
  // Each position timed three times, the best kept: a single timing also catches the collector and the
  // scheduler, which are the machine's, not the position's.
  const times: number[] = [];
  for (const p of pts) {
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      sink += classify(p, bigLayers).boundary.distanceM;
      best = Math.min(best, (performance.now() - t) * 1000);
    }
    times.push(best);
  }
  times.sort((a, b) => a - b);
  console.log(`classify, a user line of 100,000 vertices (built in ${buildMs.toFixed(0)} ms; first near query ${firstNearMs.toFixed(0)} ms, first far ${firstFarMs.toFixed(0)} ms): ` +
    `${fmt(pts.length)} positions near, far and anywhere, each timed (best of 3): median ${times[times.length >> 1].toFixed(1)} µs, ` +
    `99.9th percentile ${times[Math.floor(times.length * 0.999)].toFixed(1)} µs, worst ${times[times.length - 1].toFixed(1)} µs`);
  return sink;
}

/** A seeded random walk of `n` vertices `minStepM` to 3× that apart (default ~300 m), eastward from 31.5°N 106.5°W, in [lon, lat]. */
function customLine(n: number, seed: number, minStepM = 150): [number, number][] {
  const rnd = seeded(seed);
  const out: [number, number][] = [[-106.5, 31.5]];
  let az = 90;
  for (let i = 1; i < n; i++) {
    az += (rnd() - 0.5) * 60;
    az = 90 + Math.max(-60, Math.min(60, az - 90));
    const [lon, lat] = out[i - 1];
    const p = direct(lat, lon, az, minStepM * (1 + rnd() * 2));
    out.push([p.lon, p.lat]);
  }
  return out;
}

/** n points beside a line, minM…maxM from a random place on it (log-uniform), either side. */
function pointsBeside(coords: [number, number][], n: number, minM: number, maxM: number, seed: number): { lat: number; lon: number }[] {
  const rnd = seeded(seed);
  return Array.from({ length: n }, () => {
    const k = Math.floor(rnd() * (coords.length - 1));
    const [a, b] = [coords[k], coords[k + 1]];
    const az = inverse(a[1], a[0], b[1], b[0]).azi1 as number;
    return direct(a[1], a[0], az + (rnd() < 0.5 ? -90 : 90), minM * (maxM / minM) ** rnd());
  });
}

function benchHeap() {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return console.log('heap: run with --expose-gc to measure');
  const script = `import { buildLayers } from './src/geo/index.ts'; import { loadDefaultBoundary } from './src/layers/node.ts';
    gc(); const before = process.memoryUsage().heapUsed; let layers = buildLayers(loadDefaultBoundary(), null); gc(); gc();
    const after = process.memoryUsage().heapUsed; const ab = layers.boundary.lonDeg.buffer.byteLength * 2 + layers.boundary.index.data.byteLength + layers.boundary.centredBoxes.byteLength;
    console.log(JSON.stringify({ heap: after - before, typed: ab })); globalThis.keep = layers;`;
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  const { heap, typed } = JSON.parse(out);
  console.log(`heap held by the default layers: ${(heap / 1e6).toFixed(2)} MB of JS heap (+ ${(typed / 1e6).toFixed(2)} MB of typed arrays off-heap)`);
}

async function benchBatch() {
  const n = 1_000_000;
  const pts = corridorPoints(20_000, 7);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) { const p = pts[i % pts.length]; lines.push(`${p.lat.toFixed(6)},${p.lon.toFixed(6)}`); }
  // As a batch is usually run, `lindero where --json < positions.txt > answers.ndjson`: stdin and stdout are
  // files, so no process reading a pipe here takes CPU from the command measured (on two cores it did).
  const dir = mkdtempSync(join(tmpdir(), 'lindero-bench-'));
  const inFile = join(dir, 'positions.txt'), outFile = join(dir, 'answers.ndjson');
  writeFileSync(inFile, lines.join('\n') + '\n');
  // The machine's speed wanders from run to run: the best of three, each printed.
  const rates: number[] = [];
  for (let run = 0; run < 3; run++) {
    const input = openSync(inFile, 'r'), output = openSync(outFile, 'w');
    const t0 = performance.now();
    const child = spawn(process.execPath, ['bin/lindero.js', 'where', '--json'], { cwd: ROOT, stdio: [input, output, 'inherit'] });
    const code = await new Promise((r) => child.on('close', r));
    const s = (performance.now() - t0) / 1000;
    closeSync(input);
    closeSync(output);
    const written = readFileSync(outFile);
    let outLines = 0;
    for (let i = written.indexOf(10); i >= 0; i = written.indexOf(10, i + 1)) outLines++;
    if (code !== 0 || outLines !== n) throw new Error(`the batch exited ${code} and wrote ${outLines} lines for ${n}`);
    rates.push(n / s);
  }
  rmSync(dir, { recursive: true });
  console.log(`CLI stdin batch, ${fmt(n)} lines → JSON lines, file to file, ${availableParallelism()} threads: ${fmt(Math.max(...rates))} lines/s (best of 3: ${rates.map(fmt).join(', ')})`);
}

/**
 * `lindero where --boundary CUSTOM --json` on 200,000 positions up to 20 km from a custom line of 11,000
 * vertices, file to file, against the naive floor (bench/naive-where.mjs: one GeographicLib inverse and one
 * JSON.stringify a line) on the same input, best of three each.
 */
async function benchCustomBatch() {
  const custom = customLine(11_000, 9);
  const pts = pointsBeside(custom, 200_000, 1, 20_000, 12);
  const dir = mkdtempSync(join(tmpdir(), 'lindero-bench-'));
  const boundaryFile = join(dir, 'custom.geojson'), inFile = join(dir, 'positions.txt'), outFile = join(dir, 'answers.ndjson');
  writeFileSync(boundaryFile, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { left: 'AA', right: 'BB' }, geometry: { type: 'LineString', coordinates: custom } }] }));
  writeFileSync(inFile, pts.map((p) => `${p.lat.toFixed(6)},${p.lon.toFixed(6)}`).join('\n') + '\n');
  const timed = async (args: string[]) => {
    const input = openSync(inFile, 'r'), output = openSync(outFile, 'w');
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: [input, output, 'inherit'] });
    const code = await new Promise((r) => child.on('close', r));
    const ms = performance.now() - t0;
    closeSync(input);
    closeSync(output);
    if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}`);
    return pts.length / (ms / 1000);
  };
  // The two in turn, three times each, so a change in the machine's load between runs falls on both alike.
  const linderoRates: number[] = [], naiveRates: number[] = [];
  for (let run = 0; run < 3; run++) {
    linderoRates.push(await timed(['bin/lindero.js', 'where', '--boundary', boundaryFile, '--json']));
    naiveRates.push(await timed(['bench/naive-where.mjs']));
  }
  rmSync(dir, { recursive: true });
  const lindero = Math.max(...linderoRates), naive = Math.max(...naiveRates);
  console.log(`CLI batch, custom line of 11,000 vertices, 200,000 positions up to 20 km from it, file to file: ${fmt(lindero)} lines/s ` +
    `(best of ${linderoRates.map(fmt).join(', ')}); naive (one GeographicLib inverse + JSON.stringify a line) ${fmt(naive)} lines/s ` +
    `(best of ${naiveRates.map(fmt).join(', ')}); ratio ${(lindero / naive).toFixed(2)}×`);
}

function benchColdStart() {
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    execFileSync(process.execPath, ['bin/lindero.js', 'where', '31.5603,-106.2237', '--json'], { cwd: ROOT });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const node = [];
  for (let i = 0; i < 10; i++) { const t0 = performance.now(); execFileSync(process.execPath, ['-e', '0']); node.push(performance.now() - t0); }
  node.sort((a, b) => a - b);
  console.log(`CLI cold start (one-shot where, median of 20): ${times[10].toFixed(0)} ms (bare node -e 0: ${node[5].toFixed(0)} ms)`);
}

console.log(`lindero where benchmark — ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
// BENCH_ONLY=classify|worst|large|heap|batch|custom|cold runs those parts (a comma-separated list).
const only = process.env.BENCH_ONLY?.split(',');
const part = (name: string) => !only || only.includes(name);
console.log(`load average at the start: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
if (part('classify')) benchClassify();
if (part('worst')) benchDistributions();
if (part('large')) benchLargeLine();
if (part('heap')) benchHeap();
if (part('batch')) await benchBatch();
if (part('custom')) await benchCustomBatch();
if (part('cold')) benchColdStart();
console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);

function fmt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}
