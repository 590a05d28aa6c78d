import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../test/helpers/store-fixtures.js';
import { floorPercent, formatDistance, plainNumber, territoryName } from './sentence.js';

test('territories are named as Intl.DisplayNames names them, the written-out ones included', () => {
  for (const lang of ['en', 'es'] as const) {
    const names = new Intl.DisplayNames([lang], { type: 'region' });
    for (const code of ['US', 'MX', 'CA', 'GT']) assert.equal(territoryName(code, lang), names.of(code));
  }
});

test('numbers are written as toLocaleString writes them in en-US and es-MX, ties and carries included', () => {
  const random = seededRandom(20261206);
  const values: number[] = [0, 0.5, 0.05, 0.005, 1.005, 2.345, 9.95, 9.995, 99.95, 999.5, 999.95, 1e-7, 123456789.125, 1e21, 5e-324];
  for (let i = 0; i < 20_000; i++) {
    const magnitude = 10 ** Math.floor(random() * 14 - 5);
    values.push(random() * magnitude);
    // Ties on the decimal form: k + 0.5·10^-d.
    const digits = Math.floor(random() * 3);
    values.push(Math.floor(random() * 100_000) / 10 ** digits + 5 / 10 ** (digits + 1));
    values.push(-random() * magnitude);
  }
  for (const x of values) {
    for (const digits of [0, 1, 2]) {
      for (const locale of ['en-US', 'es-MX']) {
        const expected = x.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
        assert.equal(plainNumber(x, digits), expected, `${x} to ${digits} digits in ${locale}`);
      }
    }
  }
  assert.deepEqual([formatDistance(0.354, 'es'), formatDistance(9.96, 'en'), formatDistance(12_345.6, 'en')], ['35 cm', '10 m', '12.3 km']);
});

test('percentages are written as Intl.NumberFormat writes them (percent, two decimals, floor) in en-US and es-MX', () => {
  const random = seededRandom(20261207);
  const values: number[] = [0, 1, 0.5, 0.29, 0.57, 0.905, 0.9999, 0.99996, 0.999999999, 1e-4, 9.9999e-5, 1e-7, 5e-324, 0.1 + 0.2, 1 - 1e-16];
  for (let i = 0; i < 30_000; i++) {
    values.push(random());
    values.push(1 - random() * 10 ** -Math.floor(random() * 12));
    values.push(Math.floor(random() * 10_001) / 10_000);
    values.push(Math.floor(random() * 100_001) / 100_000);
  }
  const formats = ['en-US', 'es-MX'].map((locale) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2, roundingMode: 'floor' } as Intl.NumberFormatOptions));
  for (const p of values) {
    for (const f of formats) assert.equal(floorPercent(p), f.format(p), `${p} in ${f.resolvedOptions().locale}`);
  }
});
