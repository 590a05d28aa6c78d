// Benchmark: GPX reading speed and peak memory, lindero's streaming reader against a DOM peer
// (@xmldom/xmldom + @tmcw/togeojson) and against saxes tokenising alone (the floor for any saxes reader).
// Run: node --import tsx bench/gpx.ts [points]
// Each measurement runs in its own process so peak RSS is its own.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { readTrack } from '../src/ingest/files/index.js';
import { writeSyntheticGpx } from '../test/helpers/synthetic-gpx.js';

interface Result { reader: string; points: number; seconds: number; cpuSeconds: number; peakRssMB: number }

async function measure(reader: string, path: string): Promise<Result> {
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let peak = process.memoryUsage.rss();
  let points = 0;
  if (reader === 'lindero') {
    for await (const item of readTrack(path)) {
      if (item.kind === 'fix') points++;
      if ((points & 0x3fff) === 0) peak = Math.max(peak, process.memoryUsage.rss());
    }
  } else if (reader === 'saxes-only') {
    const { SaxesParser } = await import('saxes');
    const parser = new SaxesParser({ position: true });
    parser.on('closetag', (tag) => { if (tag.name === 'trkpt') points++; });
    for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 })) parser.write(chunk as string);
    parser.close();
  } else {
    const { DOMParser } = await import('@xmldom/xmldom');
    const { gpx } = await import('@tmcw/togeojson');
    const doc = new DOMParser().parseFromString(readFileSync(path, 'utf8'), 'text/xml');
    peak = Math.max(peak, process.memoryUsage.rss());
    for (const feature of gpx(doc as unknown as Document).features) {
      const times = (feature.properties?.coordinateProperties as { times?: unknown[] } | undefined)?.times;
      points += Array.isArray(times) ? times.flat().length : 0;
    }
  }
  const cpu = process.cpuUsage(cpu0);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { reader, points, seconds: (performance.now() - start) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMB: Math.round(peak / 2 ** 20) };
}

function runChild(reader: string, path: string): Result {
  const self = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', reader, path], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as Result;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    console.log(JSON.stringify(await measure(process.argv[3], process.argv[4])));
    return;
  }
  const big = Number(process.argv[2] ?? 1_000_000);
  const small = Math.min(big, 200_000);
  const dir = mkdtempSync(join(tmpdir(), 'lindero-gpx-bench-'));
  try {
    const bigPath = join(dir, 'big.gpx');
    const smallPath = join(dir, 'small.gpx');
    await writeSyntheticGpx(bigPath, big);
    await writeSyntheticGpx(smallPath, small);
    const rows = [runChild('saxes-only', bigPath), runChild('lindero', bigPath), runChild('lindero', smallPath), runChild('togeojson', smallPath)];
    for (const r of rows) {
      const mb = statSync(r.points === big ? bigPath : smallPath).size / 2 ** 20;
      console.log(`${r.reader.padEnd(10)} ${String(r.points).padStart(8)} points (${mb.toFixed(0)} MB)  ${r.seconds.toFixed(2)} s  `
        + `${Math.round(r.points / r.seconds).toLocaleString('en')} points/s (${Math.round(r.points / r.cpuSeconds).toLocaleString('en')} per CPU-s)  peak RSS ${r.peakRssMB} MB`);
    }
  } finally {
    rmSync(dir, { recursive: true });
  }
}

await main();
