// The inquiry report: one self-contained page with the map, timeline, determinations and verification,
// in English and Spanish, and the same as PDF.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { runInProcess } from '../helpers/cli.js';
import { evidenceStore, FENCE_FILE, tempDir } from './helpers.js';
import { assertRowsMatchWhere, reportRows } from './report-rows.js';

const tmp = tempDir('lindero-report-');
let db = '';
let html = '';
let checkpointHash = '';

before(async () => {
  db = tmp.file('clint.db');
  const e = await evidenceStore(db);
  checkpointHash = (await e.store.checkpoints())[0].hash.toString('hex');
  await e.store.close();
  const r = await runInProcess(['report', '--incident', '1', '--db', db, '--fence', FENCE_FILE, '--out', tmp.file('report.html')]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /report\.html: incident 1, 2 units, 42 positions, 7 alerts; evidence verified/);
  html = readFileSync(tmp.file('report.html'), 'utf8');
});
after(() => tmp.remove());

test('the report stands alone: no scripts, no external files, no tiles', () => {
  assert.match(html, /^<!doctype html>/);
  assert.doesNotMatch(html, /<script|<link|<img|url\(http|src="http/i);
});

test('its map draws the boundary, the illustrative fence, both tracks, the crossing, a scale bar and a north arrow', () => {
  const svg = /<svg[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
  assert.match(svg, /<path class="boundary" d="M[-\d.,L]+"/);
  assert.match(svg, /<path class="fence illustrative" d="M/);
  assert.match(svg, /<g class="unit" data-unit="mx-1"><path class="track"/);
  assert.match(svg, /<g class="unit" data-unit="us-1"><circle/, 'the parked unit has no track line');
  assert.equal([...svg.matchAll(/<circle class="fix/g)].length, 42);
  assert.match(svg, /<path class="crossing"[^>]*><title>mx-1 MX→US \d\d:\d\d:\d\dZ<\/title>/);
  assert.match(svg, /<g class="scale">.*<text[^>]*>\d+ (m|km)<\/text><\/g>/);
  assert.match(svg, /<g class="north">/);
  assert.match(svg, />Mexico</);
  assert.match(svg, />United States</);
  assert.match(html, /Clint fence \(illustrative, not surveyed\) — <strong>illustrative, not surveyed \/ ilustrativa, no levantada<\/strong>/);
});

test('its timeline tells the crossing and the alerts in both languages, by device time', () => {
  const timeline = /<table class="timeline">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  assert.match(timeline, /mx-1 crosses the boundary from Mexico into United States \(confirmed beyond 3 sigma\)\./);
  assert.match(timeline, /mx-1 cruza el límite de México a Estados Unidos \(confirmado a 3 sigma\)\./);
  assert.match(timeline, /us-1 is close to mx-1/);
  const times = [...timeline.matchAll(/<time datetime="([^"]+)">/g)].map((m) => Date.parse(m[1]));
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
});

test('every determination in the report is what `lindero where` says for that position', async () => {
  const rows = reportRows(html);
  assert.equal(rows.length, 42);
  await assertRowsMatchWhere(rows, FENCE_FILE);
  assert.ok(rows.every((r) => /^\d+$/.test(r['chain-n']) && /^[0-9a-f]{64}$/.test(r['record-hash'])));
});

test('its verification says the records are intact and shows the signed hash and the public key', () => {
  const section = /<section id="verification">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
  assert.match(section, /<p lang="en" class="verdict ok">Verified: the 52 records of this incident \(42 positions, 7 alerts, 3 incident records\)/);
  assert.match(section, /<p lang="es" class="verdict ok">Verificado:/);
  assert.ok(section.includes(checkpointHash));
  assert.match(section, /-----BEGIN PUBLIC KEY-----/);
});

test('with --lang es the report is in Spanish only', async () => {
  const r = await runInProcess(['report', '--incident', '1', '--db', db, '--fence', FENCE_FILE, '--lang', 'es', '--out', tmp.file('es.html')]);
  assert.equal(r.code, 0, r.stderr);
  const es = readFileSync(tmp.file('es.html'), 'utf8');
  assert.match(es, /<html lang="es">/);
  assert.match(es, /Informe de investigación/);
  assert.doesNotMatch(es, /Inquiry report|crosses the boundary|Verified:/);
});

test('the report of a store altered after the fact says so and names the record; the command fails', async () => {
  const altered = tmp.file('altered.db');
  copyFileSync(db, altered);
  const raw = new Database(altered);
  raw.prepare('UPDATE fixes SET lat = lat - 0.002 WHERE id = 20').run();
  raw.close();
  const r = await runInProcess(['report', '--incident', '1', '--db', altered, '--fence', FENCE_FILE, '--out', tmp.file('altered.html')]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /NOT verified: entry \d+, fix 20 .* was altered/);
  assert.match(readFileSync(tmp.file('altered.html'), 'utf8'), /class="verdict bad">NOT VERIFIED: entry \d+, fix 20/);
});

test('a report for a missing incident or without an output is refused', async () => {
  const missing = await runInProcess(['report', '--incident', '4', '--db', db, '--out', tmp.file('x.html')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /there is no incident 4/);
  const noOut = await runInProcess(['report', '--incident', '1', '--db', db]);
  assert.equal(noOut.code, 2);
  const lang = await runInProcess(['report', '--incident', '1', '--db', db, '--out', tmp.file('x.html'), '--lang', 'fr']);
  assert.match(lang.stderr, /--lang must be en, es or both/);
});

test('the report prints to a PDF of at least one page', { skip: !existsSync('/usr/bin/chromium') && 'Debian\'s chromium is not installed' }, async () => {
  const r = await runInProcess(['report', '--incident', '1', '--db', db, '--fence', FENCE_FILE, '--out', tmp.file('printed.html'), '--pdf']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /printed\.pdf: the same report as PDF/);
  execFileSync('pdftoppm', ['-r', '10', '-png', tmp.file('printed.pdf'), tmp.file('page')]);
  const pages = readdirSync(tmp.dir).filter((f) => /^page-\d+\.png$/.test(f));
  assert.ok(pages.length >= 1, `pdftoppm made ${pages.length} pages`);
});
