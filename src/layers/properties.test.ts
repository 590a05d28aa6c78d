import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeProperties } from './properties.js';

describe('layer properties', () => {
  it('shapefile-style upper-case and truncated names become the names buildLayers reads', () => {
    assert.deepEqual(normalizeProperties({ LEFT: 'US', Right: 'MX', TERRITORY: 'US', NAME: 'x', EDGES: 'lonlat', ILLUSTRATI: 'T', PROVENANCE: 'p', OTHER: 1 }), {
      left: 'US', right: 'MX', territory: 'US', name: 'x', edges: 'lonlat', illustrative: true, provenance: 'p', OTHER: 1,
    });
  });

  it('text around codes is trimmed; other properties pass through untouched', () => {
    assert.deepEqual(normalizeProperties({ left: ' US\n', note: ' keep ' }), { left: 'US', note: ' keep ' });
  });

  it('illustrative yes/no words and 0/1 become booleans; anything else is left for buildLayers to judge', () => {
    for (const [value, expected] of [['yes', true], ['No', false], ['1', true], ['0', false], [1, true], [0, false], ['', false], ['maybe', 'maybe'], [2, 2]] as const) {
      assert.equal(normalizeProperties({ illustrative: value }).illustrative, expected, String(value));
    }
  });

  it('an exact lower-case key wins over a differently cased duplicate, which is kept as it was', () => {
    assert.deepEqual(normalizeProperties({ NAME: 'upper', name: 'lower' }), { NAME: 'upper', name: 'lower' });
  });

  it('null properties become an empty object', () => {
    assert.deepEqual(normalizeProperties(null), {});
  });
});
