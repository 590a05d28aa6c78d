import assert from 'node:assert/strict';
import { test } from 'node:test';
import { territoryName } from './sentence.js';

test('territories are named as Intl.DisplayNames names them, the written-out ones included', () => {
  for (const lang of ['en', 'es'] as const) {
    const names = new Intl.DisplayNames([lang], { type: 'region' });
    for (const code of ['US', 'MX', 'CA', 'GT']) assert.equal(territoryName(code, lang), names.of(code));
  }
});
