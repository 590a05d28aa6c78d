// The partners file: YAML or JSON, defaults from the issue, and a clear error naming the line and
// field of the first problem, including for hostile and oversized files.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LinderoError } from '../model/index.js';
import { loadShareConfig, MAX_CONFIG_BYTES, parseShareConfig } from './index.js';
import { tempDir } from '../../test/helpers/temp.js';

const SECRET = 'correct horse battery staple 31';

const tmp = tempDir();
after(() => tmp.remove());

function fails(text: string, check: { field?: string; line?: number; message: RegExp }, file = 'partners.yaml') {
  assert.throws(() => parseShareConfig(text, file), (e: unknown) => {
    assert.ok(e instanceof LinderoError, String(e));
    assert.equal(e.code, 'share-config');
    assert.equal(e.place.file, file);
    if (check.field !== undefined) assert.equal(e.place.field, check.field);
    if (check.line !== undefined) assert.equal(e.place.line, check.line);
    assert.match(e.message, check.message);
    return true;
  });
}

const YAML = `org: US-BP
lang: en
link:
  port: 9190
units:
  k9-1: [withheld]
  "scout-*": [covert]
partners:
  - name: SEDENA
    url: wss://mx.example.org:9190
    secret: "${SECRET}"
    policy:
      boundary_within_m: 1500
      grid_m: 250
      delay_s: 60
      alerts: { kinds: [approach, crossing], position: false }
      withhold_tags: [covert]
`;

describe('the partners file', () => {
  it('a YAML file gives the policy it states, with "withheld" always withheld', () => {
    const c = parseShareConfig(YAML, join(tmp.dir, 'partners.yaml'));
    assert.equal(c.org, 'US-BP');
    assert.equal(c.link.port, 9190);
    assert.deepEqual(c.unitTags.get('k9-1'), ['withheld']);
    const p = c.partners[0];
    assert.equal(p.name, 'SEDENA');
    assert.equal(p.secret, SECRET);
    assert.deepEqual(p.policy, {
      boundaryWithinM: 1500, gridM: 250, delayS: 60, alerts: { kinds: ['approach', 'crossing'], position: false }, withholdTags: ['withheld', 'covert'],
    });
  });

  it('a JSON file with only a partner gets the issue\'s defaults: 2,000 m, no grid, no delay, no alerts, 1,000 m proximity', () => {
    const c = parseShareConfig(JSON.stringify({ org: 'MX', partners: [{ name: 'US', secret: SECRET }] }), 'p.json');
    assert.deepEqual(c.partners[0].policy, { boundaryWithinM: 2000, gridM: null, delayS: 0, alerts: { kinds: [], position: false }, withholdTags: ['withheld'] });
    assert.equal(c.partners[0].url, null);
    assert.deepEqual(c.proximity, { distanceM: 1000, boundaryM: 1000 });
  });

  it('a partner may be given one address or several (its nodes), each a ws:// or wss:// URL', () => {
    const one = parseShareConfig(JSON.stringify({ org: 'MX', partners: [{ name: 'US', url: 'wss://a.example:9190', secret: SECRET }] }), 'p.json');
    assert.deepEqual([one.partners[0].url, one.partners[0].urls], ['wss://a.example:9190', ['wss://a.example:9190']]);
    const two = parseShareConfig(JSON.stringify({ org: 'MX', partners: [{ name: 'US', url: ['wss://a.example:9190', 'wss://b.example:9190'], secret: SECRET }] }), 'p.json');
    assert.deepEqual([two.partners[0].url, two.partners[0].urls], ['wss://a.example:9190', ['wss://a.example:9190', 'wss://b.example:9190']]);
    const none = parseShareConfig(JSON.stringify({ org: 'MX', partners: [{ name: 'US', secret: SECRET }] }), 'p.json');
    assert.deepEqual([none.partners[0].url, none.partners[0].urls], [null, []]);
    fails(JSON.stringify({ org: 'MX', partners: [{ name: 'US', url: ['wss://a.example', 'http://b.example'], secret: SECRET }] }), { message: /url/ }, 'p.json');
    fails(JSON.stringify({ org: 'MX', partners: [{ name: 'US', url: [], secret: SECRET }] }), { message: /url/ }, 'p.json');
  });

  it('--org overrides the name in the file, and a file without one needs it', () => {
    assert.equal(parseShareConfig(YAML, 'p.yaml', { org: 'CBP' }).org, 'CBP');
    fails(`partners: []`, { field: 'org', message: /home organisation/ });
  });

  it('a misspelt field is named with its line', () => {
    fails(YAML.replace('grid_m: 250', 'gird_m: 250'), { field: 'partners[0].policy.gird_m', line: 14, message: /not a known field/ });
  });

  it('a value out of range says what it must be', () => {
    fails(YAML.replace('grid_m: 250', 'grid_m: -5'), { field: 'partners[0].policy.grid_m', line: 14, message: /must be/ });
    fails(YAML.replace('delay_s: 60', 'delay_s: "soon"'), { field: 'partners[0].policy.delay_s', line: 15, message: /must be a number/ });
    fails(YAML.replace('[approach, crossing]', '[approach, teleport]'), { field: 'partners[0].policy.alerts.kinds[1]', line: 16, message: /one of "approach", "crossing", "proximity"/ });
  });

  it('a short secret, a missing secret and a partner with the home name are refused', () => {
    fails(YAML.replace(SECRET, 'hunter2'), { field: 'partners[0].secret', message: /at least 16 characters/ });
    fails(YAML.replace(`    secret: "${SECRET}"\n`, ''), { field: 'partners[0].secret', message: /needs a shared secret/ });
    fails(YAML.replace('name: SEDENA', 'name: US-BP'), { field: 'partners[0].name', message: /home organisation's own name/ });
  });

  it('a key given twice is an error, not a silent choice', () => {
    fails('org: A\norg: B\npartners: []\n', { line: 2, message: /not valid YAML or JSON.*[Mm]ap keys must be unique/ });
  });

  it('a secret can come from a file beside the partners file', () => {
    writeFileSync(join(tmp.dir, 'sedena.secret'), `${SECRET}\n`);
    const file = join(tmp.dir, 'with-secret-file.yaml');
    writeFileSync(file, YAML.replace(`secret: "${SECRET}"`, 'secret_file: sedena.secret'));
    assert.equal(loadShareConfig(file).partners[0].secret, SECRET);
  });

  it('broken YAML, binary garbage, a bare list and an empty file are refused', () => {
    fails('partners: [\n  {name: A,\n', { message: /not valid YAML or JSON/ });
    fails('- a\n- b\n', { message: /must be a mapping/ });
    fails('', { message: /must be a mapping/ });
    const garbage = join(tmp.dir, 'garbage.yaml');
    writeFileSync(garbage, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x13, 0x37]));
    assert.throws(() => loadShareConfig(garbage), /binary/);
  });

  it('an alias bomb ("billion laughs") is refused instead of expanded', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) lines.push(`${'abcdefghij'[i]}: &${'abcdefghij'[i]} [*${'abcdefghij'[i - 1]}, *${'abcdefghij'[i - 1]}, *${'abcdefghij'[i - 1]}, *${'abcdefghij'[i - 1]}, *${'abcdefghij'[i - 1]}, *${'abcdefghij'[i - 1]}, *${'abcdefghij'[i - 1]}, *${'abcdefghij'[i - 1]}, *${'abcdefghij'[i - 1]}, *${'abcdefghij'[i - 1]}]`);
    fails(`${lines.join('\n')}\npartners: []\n`, { message: /[Ee]xcessive alias count|alias/ });
  });

  it('deeply nested input is refused with a clear error, not a crash', () => {
    const deep = `org: A\npartners: []\nunits: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    assert.throws(() => parseShareConfig(deep, 'deep.yaml'), (e: unknown) => e instanceof LinderoError && e.code === 'share-config');
  });

  it('a file over the size limit is refused before it is parsed', () => {
    const big = join(tmp.dir, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(MAX_CONFIG_BYTES)}\npartners: []\n`);
    assert.throws(() => loadShareConfig(big), /bytes; more than/);
  });

  it('a missing file says so', () => {
    assert.throws(() => loadShareConfig(join(tmp.dir, 'nope.yaml')), (e: unknown) => e instanceof LinderoError && /cannot read/.test(e.message));
  });
});
