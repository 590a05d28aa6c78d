// `lindero where` on stdin with worker threads: the same bytes, the same exit code and the same message as
// answering every line in the main thread, whatever the lines are and however the input is cut into chunks.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { before, describe, it } from 'node:test';
import type { CommandIo } from '../../src/cli/io.js';
import { loadLayers } from '../../src/layers/load-layers.js';
import { whereStream, type BatchTuning } from '../../src/cli/where.js';
import type { WhereOptions } from '../../src/cli/where-batch.js';
import { READER_GONE } from '../../src/cli/main.js';
import { ROOT, runProcess } from '../helpers/cli.js';
import { seeded } from '../helpers/geodesic-oracle.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(chunks: string[], opts: WhereOptions, tuning: BatchTuning, bytes = true): Promise<Run> {
  const out: Buffer[] = [];
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    stdin: Readable.from(chunks, { objectMode: false }),
    out: (t) => { stdout += t; },
    err: (t) => { stderr += t; },
    write: async (t) => { stdout += t; },
  };
  if (bytes) io.writeBytes = async (b) => { out.push(Buffer.from(b)); };
  const code = await whereStream(io, opts, {}, tuning);
  return { code, stdout: Buffer.concat(out).toString('utf8') + stdout, stderr };
}

const GOOD = ['31.56,-106.22', '31.70,-106.45', '32.5,-117.05', '31.33 -109.55', '31.3314N 109.5453W',
  '31°33\'37.1"N 106°13\'25.3"W', '13RCQ8386292349', '13R 385000 3494000', '32.7, -114.9', '29.751042,-102.595124'];
const BAD = ['garbage', '', '91,0', '31.5,-106.2,7', '\u0000', '13RCR123', 'ñ°ñ', '  31.56,-106.22  '];

/** Random lines: good and bad positions, CRLF endings, lines around and far over the length limit. */
function randomInput(rnd: () => number, lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const r = rnd();
    let line: string;
    if (r < 0.6) line = GOOD[Math.floor(rnd() * GOOD.length)];
    else if (r < 0.85) line = BAD[Math.floor(rnd() * BAD.length)];
    else if (r < 0.95) line = `${(29 + rnd() * 4).toFixed(6)},${(-117 + rnd() * 20).toFixed(6)}`;
    else line = 'x'.repeat([1023, 1024, 1025, 1026, 1027, 5000][Math.floor(rnd() * 6)]);
    out.push(line + (rnd() < 0.2 ? '\r\n' : '\n'));
  }
  let text = out.join('');
  if (rnd() < 0.5) text = text.replace(/\r?\n$/, ''); // no newline after the last line
  return text;
}

function cut(rnd: () => number, text: string, maxChunk: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length;) {
    const n = 1 + Math.floor(rnd() * maxChunk);
    chunks.push(text.slice(i, i + n));
    i += n;
  }
  return chunks;
}

describe('lindero where reading stdin with worker threads', () => {
  let opts: WhereOptions;
  before(async () => {
    opts = { layers: await loadLayers(), accuracyM: 5, json: true, lang: 'en' };
  });

  const inline: BatchTuning = { workers: 0 };
  let byWorkers = 0;
  const threads: BatchTuning = { workers: 2, blockChars: 300, poolAfterChars: 0, waitForWorkers: true, onBlock: (by) => { if (by === 'worker') byWorkers++; } };

  it('gives the same output, line numbers and exit code as the main thread alone, however the input is cut', async () => {
    const rnd = seeded(20261126);
    for (let round = 0; round < 12; round++) {
      const text = randomInput(rnd, 20 + Math.floor(rnd() * 400));
      const json = round % 3 !== 2;
      const o = { ...opts, json, lang: round % 2 ? 'es' as const : 'en' as const };
      const alone = await run([text], o, inline);
      const chunks = cut(rnd, text, [7, 100, 3000][round % 3]);
      const spread = await run(chunks, o, { ...threads, blockChars: 50 + Math.floor(rnd() * 2000) });
      assert.equal(spread.stdout, alone.stdout, `round ${round}`);
      assert.equal(spread.code, alone.code);
      assert.equal(spread.stderr, alone.stderr);
      const expectedLines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      assert.equal(alone.stdout.split('\n').length - 1, expectedLines, 'one result per line');
    }
    assert.ok(byWorkers > 20, `${byWorkers} blocks answered by the workers`);
  });

  it('a line far over the limit, arriving in many chunks, is one error with its exact length and line number', async () => {
    const long = 'é'.repeat(100_000);
    const text = `31.56,-106.22\n${long}\r\n31.70,-106.45\n${long}`;
    const rnd = seeded(7);
    for (const tuning of [inline, threads]) {
      const r = await run(cut(rnd, text, 4096), opts, tuning);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(lines.length, 4);
      assert.equal(lines[0].territory, 'US');
      assert.deepEqual(lines[1], { line: 2, error: { code: 'bad-position', message: 'line is 100001 characters long; a position is at most 1024' } });
      assert.equal(lines[2].territory, 'MX');
      assert.deepEqual(lines[3], { line: 4, error: { code: 'bad-position', message: 'line is 100000 characters long; a position is at most 1024' } });
      assert.equal(r.code, 2);
      assert.equal(r.stderr, '2 of 4 lines could not be read as positions\n');
    }
  });

  it('many blocks come back in input order, also to a stream that takes only text', async () => {
    const text = Array.from({ length: 5000 }, (_, i) => `${(30 + (i % 997) / 1000).toFixed(3)},-106.${String(i).padStart(4, '0')}`).join('\n') + '\n';
    const alone = await run([text], opts, inline);
    for (const bytes of [true, false]) {
      const spread = await run(cut(seeded(3), text, 5000), opts, { ...threads, workers: 3, blockChars: 200, poolAfterChars: 1000 }, bytes);
      assert.equal(spread.stdout, alone.stdout);
      assert.equal(spread.code, 0);
    }
    const lats = alone.stdout.trim().split('\n').map((l) => JSON.parse(l).lat);
    assert.deepEqual(lats.slice(0, 3), [30, 30.001, 30.002]);
  });

  it('empty input writes nothing and exits 0', async () => {
    for (const tuning of [inline, threads]) assert.deepEqual(await run([], opts, tuning), { code: 0, stdout: '', stderr: '' });
  });
});

describe('lindero where --threads, as a real process', () => {
  for (const withFence of [true, false]) it(`answers a long input from custom layers ${withFence ? 'with a fence' : '(a boundary alone, built once and handed to the workers compiled)'} the same with worker threads as without`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lindero-threads-'));
    const b = join(dir, 'b.geojson');
    const f = join(dir, 'f.geojson');
    writeFileSync(b, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { left: 'US', right: 'MX', name: 'Test line' }, geometry: { type: 'LineString', coordinates: [[-107, 31.5], [-106.5, 31.4], [-106, 31.5]] } }] }));
    writeFileSync(f, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'Test fence' }, geometry: { type: 'LineString', coordinates: [[-107, 31.51], [-106, 31.51]] } }] }));
    const rnd = seeded(11);
    const lines = Array.from({ length: 12_000 }, (_, i) => (i % 997 === 5 ? 'not a position' : `${(31.3 + rnd() * 0.3).toFixed(6)},${(-106.9 + rnd() * 0.8).toFixed(6)}`));
    const input = lines.join('\n') + '\n';
    const args = ['where', '--boundary', b, ...(withFence ? ['--fence', f] : []), '--json'];
    const one = await runProcess([...args, '--threads', '1'], input);
    const two = await runProcess([...args, '--threads', '3'], input, { env: { LINDERO_THREADS_CHECK: '1' } });
    assert.equal(one.code, 2, one.stderr);
    assert.equal(two.code, 2, two.stderr);
    assert.equal(two.stdout, one.stdout);
    const check = /^threads: (\d+) blocks answered by worker threads, (\d+) by the main thread\n/m;
    assert.ok(Number(check.exec(two.stderr)?.[1]) > 2, two.stderr);
    assert.equal(two.stderr.replace(check, ''), one.stderr);
    const out = one.stdout.trim().split('\n');
    assert.equal(out.length, 12_000);
    assert.ok(out.some((l) => l.includes('"zone":"strip"')) === withFence && out.some((l) => l.includes('"territory":"MX"')));
    assert.equal(JSON.parse(out[5]).line, 6);
  });

  it('a reader that stops early (`| head`) stops it quietly, with the status a shell gives a tool cut off by SIGPIPE', async () => {
    const rnd = seeded(12);
    const input = Array.from({ length: 100_000 }, () => `${(31.3 + rnd() * 0.3).toFixed(6)},${(-106.9 + rnd() * 0.8).toFixed(6)}`).join('\n') + '\n';
    for (const threads of ['1', '2']) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'where', '--json', '--threads', threads], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
      // It may stop before reading all of its input: that write failing is expected.
      child.stdin.on('error', () => undefined).end(input);
      const [first] = (await once(child.stdout, 'data')) as [Buffer];
      assert.ok(JSON.parse(first.toString('utf8').split('\n')[0]).territory);
      child.stdout.destroy();
      const [code] = await once(child, 'close');
      assert.equal(code, READER_GONE, `--threads ${threads}: ${stderr}`);
      assert.equal(stderr, '', `--threads ${threads}`);
    }
  });

  it('a bad --threads is a usage error', async () => {
    for (const bad of ['0', '-1', 'two', '1.5', '65']) {
      const r = await runProcess(['where', '--threads', bad], '31.56,-106.22\n');
      assert.equal(r.code, 2, bad);
      assert.match(r.stderr, /--threads must be a whole number from 1 to 64/);
    }
  });
});
