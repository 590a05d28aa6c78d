// The message catalogues: every string the dashboard and the card show exists in English and Spanish,
// with the same placeholders, and every key the code or the pages ask for is in them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './harness.js';

const WEB = join(ROOT, 'web');
const read = (path: string) => readFileSync(join(WEB, path), 'utf8');
const en = JSON.parse(read('src/i18n/en.json')) as Record<string, string>;
const es = JSON.parse(read('src/i18n/es.json')) as Record<string, string>;
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.(ts|html)$/.test(name)) out.push(path);
  }
  return out;
}

test('English and Spanish have the same messages, none empty', () => {
  assert.deepEqual(Object.keys(es).sort(), Object.keys(en).sort());
  for (const [key, text] of Object.entries({ ...en, ...es })) assert.ok(text.trim().length > 0, `${key} is empty`);
});

test('each message has the same placeholders in both languages', () => {
  for (const key of Object.keys(en)) assert.deepEqual(placeholders(es[key]), placeholders(en[key]), key);
});

test('plural messages come in one/other pairs', () => {
  const bases = new Set(Object.keys(en).filter((k) => /\.(one|other)$/.test(k)).map((k) => k.replace(/\.(one|other)$/, '')));
  for (const base of bases) {
    assert.ok(`${base}.one` in en && `${base}.other` in en, base);
  }
});

test('every key the pages and the code ask for is in the catalogue', () => {
  const files = [...sources(join(WEB, 'src')), join(WEB, 'index.html'), join(WEB, 'card.html')];
  const asked = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/data-i18n(?:-[a-z-]+)?="([\w.-]+)"/g)) asked.add(m[1]);
    for (const m of text.matchAll(/\b(?:t|message\(\w+,)\s*\(?\s*'([\w.-]+)'/g)) asked.add(m[1]);
    for (const m of text.matchAll(/\bplural\('([\w.-]+)'/g)) {
      asked.add(`${m[1]}.one`);
      asked.add(`${m[1]}.other`);
    }
  }
  assert.ok(asked.size > 50, `found ${asked.size} keys in use`);
  const missing = [...asked].filter((k) => !(k in en));
  assert.deepEqual(missing, []);
});

test('every alert kind the server raises has a name in both languages', () => {
  for (const kind of ['approach', 'crossing', 'entered-strip', 'left-strip', 'proximity', 'stale']) {
    assert.ok(en[`alert.kind.${kind}`] && es[`alert.kind.${kind}`], kind);
  }
});
