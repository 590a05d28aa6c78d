import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LinderoError } from '../model/index.js';
import { MAX_POSITION_CHARS, parsePosition } from './parse-position.js';
import { pointOf, refusal, seededRandom } from '../../test/helpers/coords.js';

test('empty or blank text is refused as no position', () => {
  assert.equal(refusal('').message, 'no position given: the text is empty');
  assert.equal(refusal('  \t \r\n').message, 'no position given: the text is empty');
});

test('words are refused as not a position, naming the first unreadable character', () => {
  const error = refusal('hello world');
  assert.equal(error.message, `not a position: unexpected 'h' at column 1 of 'hello world'; expected decimal degrees, DMS, MGRS or UTM`);
  assert.equal(error.place.column, 1);
});

test('NaN, Infinity and exponent notation are refused', () => {
  assert.match(refusal('NaN, NaN').message, /^not a position: unexpected 'a' at column 2/);
  assert.match(refusal('Infinity, 1').message, /^not a position: unexpected 'I'/);
  assert.match(refusal('-Infinity -Infinity').message, /^not a position/);
  assert.match(refusal('3.1e1, -1.06e2').message, /exponent notation at column 4 is not accepted/);
});

test('three numbers are refused, saying how many numbers a position has', () => {
  assert.match(refusal('31.5603 -106.2237 1200').message, /has 3 numbers: expected a latitude and a longitude as 2 numbers/);
  assert.match(refusal('31.5603,-106.2237,1200').message, /has 2 commas/);
  assert.match(refusal('31.5603').message, /has one number/);
});

test('a comma used as a decimal separator is refused rather than guessed', () => {
  for (const text of ['31,5603 -106,2237', '31,5603, -106,2237', '31,5603N 106,2237W', '31,5603']) {
    assert.match(refusal(text).message, /decimal commas are not accepted, write decimals with a point/, text);
  }
});

test('a 10 MB line is refused at once for its length', () => {
  const huge = '31.5603,-106.2237 '.repeat(600_000);
  assert.equal(refusal(huge).message, `input is ${huge.length} characters long; a position is at most ${MAX_POSITION_CHARS}`);
  assert.match(refusal(' '.repeat(10_000_000)).message, /input is 10000000 characters long/);
});

test('a line just over the limit is refused; one at the limit with padding is read', () => {
  assert.match(refusal('1'.repeat(MAX_POSITION_CHARS + 1)).message, /a position is at most 200/);
  assert.deepEqual(pointOf(`${' '.repeat(150)}31.5,-106.2${' '.repeat(150)}`), { lat: 31.5, lon: -106.2, form: 'decimal' });
});

test('control characters inside a position are refused with their code and column', () => {
  const error = refusal('31.5603\u0000,-106.2237');
  assert.equal(error.message, 'control character U+0000 at column 8: a position is printable text');
  assert.equal(error.place.column, 8);
  assert.match(refusal('31.5603\u001b[2J -106.2237').message, /control character U\+001B/);
  assert.match(refusal('31.5603\u007f -106.2237').message, /control character U\+007F/);
  assert.match(refusal('31.5603 N\u0085106.2237 W').message, /control character U\+0085/);
});

test('long runs that could make a pattern backtrack are refused', () => {
  for (const text of [
    '13 ' + '1'.repeat(190) + ' x',
    '13R ' + '1 '.repeat(98),
    '13RCR' + '1'.repeat(190) + 'x',
    '°'.repeat(199),
    '1°'.repeat(99),
    'N1 '.repeat(66),
    '1.'.repeat(99),
  ]) {
    assert.ok(refusal(text).message.length > 0);
  }
});

test('stray signs and points are refused', () => {
  for (const text of ['-', '+', '.', '- 1', '--31 1', '31..5 1', '1 . 2']) refusal(text);
});

test('text that is not a string is refused, not crashed on', () => {
  assert.match(refusal(null as unknown as string).message, /a position must be text, not null/);
  assert.match(refusal(31.5 as unknown as string).message, /a position must be text, not number/);
});

test('any string at all either reads as an in-range position or is refused with bad-position', () => {
  const check = (text: string) => {
    try {
      const { lat, lon, accuracyM } = parsePosition(text);
      assert.ok(Math.abs(lat) <= 90 && Math.abs(lon) <= 180, text);
      assert.ok(accuracyM === undefined || (accuracyM > 0 && accuracyM <= 1_000_000), text);
    } catch (error) {
      assert.ok(error instanceof LinderoError && error.code === 'bad-position', `${JSON.stringify(text)}: ${error}`);
    }
  };
  const random = seededRandom(11);
  for (let i = 0; i < 3000; i++) {
    // Any UTF-16 code units, lone surrogates included.
    check(String.fromCharCode(...Array.from({ length: Math.floor(random() * 80) }, () => Math.floor(random() * 0x10000))));
  }
  // Strings built from the characters positions are made of, to reach deep into the parsers.
  const alphabet = fc.constantFrom(...'0123456789 .,+-NSEWOdmsRCQ°\'"′″’”±/'.split(''));
  fc.assert(fc.property(fc.string({ unit: alphabet, maxLength: 40 }), check), { seed: 12, numRuns: 2000 });
});

test('binary garbage is refused', () => {
  const random = seededRandom(5);
  for (let i = 0; i < 200; i++) {
    const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 60) }, () => Math.floor(random() * 256)));
    for (const text of [bytes.toString('latin1'), bytes.toString('utf8')]) {
      try {
        parsePosition(text);
      } catch (error) {
        assert.ok(error instanceof LinderoError && error.code === 'bad-position');
      }
    }
  }
});

test('an accuracy written after the position ("±8", "+/- 8 m", "+-8.5") is read with it; a bad or second one is refused', () => {
  for (const [text, accuracyM] of [['31.56,-106.22 ±8', 8], ['31.56 -106.22 +/- 8 m', 8], ['31.56 -106.22+-8.5M', 8.5], ['13RCR7304 ±50', 50],
    ['31°33\'37.1"N 106°13\'25.3"W ± 5m', 5], ['13R 383863 3492349 ±3', 3]] as const) {
    const p = parsePosition(text);
    assert.equal(p.accuracyM, accuracyM, text);
    assert.ok(Math.abs(p.lat - 31.6) < 0.1 && Math.abs(p.lon + 106.3) < 0.1, text);
  }
  assert.equal(parsePosition('13RCR7304 ±50').precisionM, 1000, 'an MGRS square keeps its size beside the accuracy');
  assert.equal(parsePosition('31.56,-106.22').accuracyM, undefined);
  assert.match(refusal('31.56 -106.22 ±abc').message, /accuracy after the position .* must be a positive number of metres .* not 'abc'/);
  assert.match(refusal('31.56 -106.22 ±0').message, /must be a positive number/);
  assert.match(refusal('31.56 -106.22 ±2000000').message, /up to 1000000/);
  assert.match(refusal('31.56 -106.22 ±5 ±6').message, /unexpected '±'/);
  assert.match(refusal('±8').message, /no position given/);
  assert.match(refusal('31.5+-106.3').message, /'31\.5' has one number.*\(with '\+-106\.3' read as its accuracy\)/);
});
