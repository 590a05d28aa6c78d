import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildFix, parseDecimal } from './make-fix.js';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

test('parseDecimal accepts exactly plain decimal numbers', () => {
  for (const ok of ['31.5603', '-106.2237', '+0.5', '.5', '5.', '1e-3', '2E+2', ' 7 ', '0', '00.10']) {
    assert.equal(parseDecimal(ok), Number(ok), ok);
  }
  for (const bad of ['', ' ', '0x1F', '0b11', '0o7', 'Infinity', '-Infinity', '31,5', '1_000', 'e5', '1e', '--1', 'NaN', '12abc']) {
    assert.equal(parseDecimal(bad), undefined, bad);
  }
});

test('parseDecimal agrees with the decimal grammar (spaces around allowed) on any short text', () => {
  const chars = fc.constantFrom(...'0123456789.+-eExXbBoO, _I'.split(''));
  fc.assert(fc.property(fc.array(chars, { maxLength: 8 }).map((a) => a.join('')), (s) => {
    const expected = DECIMAL.test(s.trim()) && Number.isFinite(Number(s)) ? Number(s) : undefined; // 6e900 overflows
    assert.equal(parseDecimal(s), expected, JSON.stringify(s));
  }), { seed: 31, numRuns: 3000 });
});

test('a fix keeps honest optional values and drops placeholders', () => {
  const fix = buildFix({ unit: 'u', time: 1, lat: 31.5, lon: -106.2, accuracyM: 0, altM: -12, speedMps: -1, courseDeg: 370 });
  assert.deepEqual(fix, { unit: 'u', time: 1, lat: 31.5, lon: -106.2, altM: -12, courseDeg: 10, source: 'file' });
  assert.match(String(buildFix({ unit: 'u', time: 1, lat: -90.5, lon: 0 })), /latitude -90.5 is outside/);
  assert.match(String(buildFix({ unit: 'u', time: NaN, lat: 0, lon: 0 })), /time is not a number/);
});
