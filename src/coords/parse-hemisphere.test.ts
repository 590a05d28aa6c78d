import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePosition } from './parse-position.js';
import { pointOf, refusal } from '../../test/helpers/coords.js';

const CLINT = { lat: 31.5603, lon: -106.2237, form: 'decimal' };

test('hemisphere letters after the numbers give the signs: "31.5603N 106.2237W"', () => {
  assert.deepEqual(pointOf('31.5603N 106.2237W'), CLINT);
});

test('hemisphere letters before the numbers read the same: "N31.5603 W106.2237"', () => {
  assert.deepEqual(pointOf('N31.5603 W106.2237'), CLINT);
  assert.deepEqual(pointOf('N 31.5603, W 106.2237'), CLINT);
});

test('spaces and a comma around the letters are allowed: "31.5603 N, 106.2237 W"', () => {
  assert.deepEqual(pointOf('31.5603 N, 106.2237 W'), CLINT);
  assert.deepEqual(pointOf('31.5603N,106.2237W'), CLINT);
});

test('lowercase hemisphere letters are accepted', () => {
  assert.deepEqual(pointOf('31.5603n 106.2237w'), CLINT);
});

test('"O" for Oeste, Spanish for west, is read as west', () => {
  assert.deepEqual(pointOf('31.5603N 106.2237O'), CLINT);
  assert.deepEqual(pointOf('n31.5603 o106.2237'), CLINT);
});

test('south and east give negative latitude and positive longitude', () => {
  assert.deepEqual(pointOf('33.8688S 151.2093E'), { lat: -33.8688, lon: 151.2093, form: 'decimal' });
});

test('with hemisphere letters, longitude may come first', () => {
  assert.deepEqual(pointOf('106.2237W 31.5603N'), CLINT);
});

test('a degree sign on decimal degrees keeps the position decimal', () => {
  assert.deepEqual(pointOf('31.5603° N 106.2237° W'), CLINT);
  assert.deepEqual(pointOf('31.5603º, -106.2237º'), CLINT);
});

test('a lone "s" after decimal degrees is the southern hemisphere, not seconds', () => {
  assert.deepEqual(pointOf('31.5603s 106.2237w'), { lat: -31.5603, lon: -106.2237, form: 'decimal' });
});

test('a single hemisphere letter is refused: both coordinates need one, or neither', () => {
  assert.match(refusal('31.5603N -106.2237').message, /has one hemisphere letter/);
});

test('two latitudes are refused', () => {
  assert.match(refusal('31.5603N 106.2237S').message, /two latitudes \(N or S\)/);
  assert.match(refusal('31.5603E 106.2237W').message, /two longitudes \(E or W\)/);
});

test('a minus sign together with a hemisphere letter is refused instead of guessing', () => {
  assert.match(refusal('-31.5603S 106.2237W').message, /both a minus sign and the hemisphere letter S/);
});

test('letters before one number and after the other are refused', () => {
  assert.match(refusal('N31.5603 106.2237W').message, /must all come after their numbers/);
  assert.match(refusal('31.5603N W106.2237').message, /must all come after their numbers/);
  assert.match(refusal('31N W106').message, /must all come after their numbers/);
});

test('a hemisphere letter with no number is refused', () => {
  assert.match(refusal('N W').message, /hemisphere letters must all come after their numbers/);
  assert.match(refusal('31.5N W').message, /hemisphere letters must all come after their numbers/);
});

test('a latitude beyond 90 with a hemisphere letter is refused as out of range', () => {
  assert.match(refusal('95N 106W').message, /^latitude 95 is out of range/);
});
