// The batch's fast reader of plain decimal lines gives what parsePosition gives: the same two numbers and the
// same square their digits name, for any number of decimals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decimalPair, readDecimalPair } from '../../src/cli/fast-decimal.js';
import { parsePosition } from '../../src/coords/index.js';
import { seeded } from '../helpers/geodesic-oracle.js';

test('readDecimalPair reads what parsePosition reads, the square of coarse digits included', () => {
  const rnd = seeded(83);
  const separators = [',', ', ', ' ', '\t', ' , '];
  for (let i = 0; i < 20_000; i++) {
    const lat = (rnd() * 180 - 90).toFixed(Math.floor(rnd() * 9));
    const lon = (rnd() * 360 - 180).toFixed(Math.floor(rnd() * 9));
    const text = `${lat}${separators[i % separators.length]}${lon}`;
    const parsed = parsePosition(text);
    assert.ok(readDecimalPair(text), text);
    assert.deepEqual([decimalPair.lat, decimalPair.lon, decimalPair.precisionM], [parsed.lat, parsed.lon, parsed.precisionM], text);
  }
});
