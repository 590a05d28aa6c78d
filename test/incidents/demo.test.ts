// `lindero demo` headless: the Clint scenario through the real ingest, its alerts printed as they happen,
// an incident opened by the rule, and a report whose determinations are what `lindero where` says.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import type { CommandIo } from '../../src/cli/io.js';
import { DEFAULT_SCENARIO, runDemo, type DemoOptions } from '../../src/cli/demo.js';
import { runInProcess } from '../helpers/cli.js';
import { FENCE_FILE } from './helpers.js';
import { assertRowsMatchWhere, reportRows } from './report-rows.js';

function captureIo(): { io: CommandIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdin: Readable.from([]), out: (t) => { out += t; }, err: (t) => { err += t; }, write: async (t) => { out += t; } },
    out: () => out,
    err: () => err,
  };
}

const options = (lang: 'en' | 'es', speed: number): DemoOptions => ({ speed, port: 0, host: '127.0.0.1', open: false, lang, scenarioFile: DEFAULT_SCENARIO });

test('the demo replays Clint, opens its incident and writes a report that matches `lindero where` fix by fix', async () => {
  const c = captureIo();
  const run = await runDemo(options('en', 250), c.io);
  try {
    const result = await run.finished;
    const out = c.out();
    assert.match(out, /^Scenario: Clint, Texas\. Modelled on 13 April 2019/);
    assert.match(out, /Dashboard: http:\/\/127\.0\.0\.1:\d+\//);
    assert.match(out, /Position card of us-army-1: http:\/\/127\.0\.0\.1:\d+\/card\?unit=us-army-1/);
    assert.match(out, /Position card of mx-sedena-1: http:\/\/127\.0\.0\.1:\d+\/card\?unit=mx-sedena-1/);
    assert.match(out, /\] us-army-1 is \d+ m from the boundary, in United States\./);
    assert.match(out, /\] mx-sedena-1 is \d+ m from the boundary, in Mexico\./);
    assert.match(out, /\] (us-army-1 is close to mx-sedena-1|mx-sedena-1 is close to us-army-1) \(\d+ m apart\)/);
    assert.match(out, /\] mx-sedena-1 crossed the boundary from Mexico into United States/);
    assert.match(out, /Incident 1 opened by proximity alert: .*us-army-1.*/);
    assert.match(out, /Inquiry report of incident 1: .*incident-1-report\.html \(http:\/\/127\.0\.0\.1:\d+\/api\/v1\/incidents\/1\/report\)/);
    assert.equal(result.replay.sent, 296);
    assert.deepEqual(result.replay.rejected, []);
    assert.equal(result.incidents.length, 1);

    const html = readFileSync(result.incidents[0].reportFile, 'utf8');
    const rows = reportRows(html);
    assert.equal(rows.length, 296, 'every fix of both units is in the report');
    await assertRowsMatchWhere(rows, FENCE_FILE);
    assert.match(html, /class="verdict ok">Verified/);
    const verified = await runInProcess(['verify', result.incidents[0].bundleFile]);
    assert.equal(verified.code, 0, verified.stdout);
    const chain = await runInProcess(['verify', '--db', `${run.dir}/demo.db`]);
    assert.equal(chain.code, 0, chain.stdout);
  } finally {
    await run.stop();
    rmSync(run.dir, { recursive: true, force: true });
  }
});

test('with --lang es the demo speaks Spanish', async () => {
  const c = captureIo();
  const run = await runDemo(options('es', 1500), c.io);
  try {
    await run.finished;
    assert.match(c.out(), /^Escenario: Clint, Texas\. Basado en el 13 de abril de 2019/);
    assert.match(c.out(), /Tablero: http/);
    assert.match(c.out(), /\] mx-sedena-1 cruzó el límite de México a Estados Unidos/);
    assert.match(c.out(), /Incidente 1 abierto por alerta de proximidad: /);
    assert.match(c.out(), /Informe de investigación del incidente 1: /);
  } finally {
    await run.stop();
    rmSync(run.dir, { recursive: true, force: true });
  }
});

test('demo options are checked before anything starts', async () => {
  for (const [args, message] of [[['--speed', '0'], /--speed must be/], [['--speed', 'fast'], /--speed must be/], [['--port', '70000'], /--port must be/], [['--lang', 'fr'], /--lang must be/], [['now'], /unexpected argument/]] as const) {
    const r = await runInProcess(['demo', ...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message);
  }
  const help = await runInProcess(['demo', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /modelled on 13 April 2019|scenario modelled on 13 April 2019/);
});
