import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Fix } from '../model/index.js';
import { ReorderWindow } from './reorder-window.js';

const fixAt = (time: number, lat: number): Fix => ({ unit: 'u', time, lat, lon: 0, source: 'file' });

test('fixes up to the window size out of place come out in time order, equal times in order of arrival', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }), fc.integer({ min: 1, max: 8 }), (times, capacity) => {
    const window = new ReorderWindow(capacity);
    const out: Fix[] = [];
    const take = () => {
      out.push(window.oldestFix());
      assert.equal(window.oldestFile(), `f${window.oldestFix().lat}`);
      window.dropOldest();
    };
    times.forEach((t, i) => {
      if (window.size === capacity) take();
      window.insert(fixAt(t, i), `f${i}`);
    });
    while (window.size > 0) take();
    assert.equal(out.length, times.length);
    // What a stable sort would give for every stretch the window could hold: checked against a simple model.
    const model: Fix[] = [];
    const held: Fix[] = [];
    times.forEach((t, i) => {
      if (held.length === capacity) model.push(held.shift()!);
      let k = held.length;
      while (k > 0 && held[k - 1].time > t) k--;
      held.splice(k, 0, fixAt(t, i));
    });
    model.push(...held);
    assert.deepEqual(out, model);
  }), { seed: 64, numRuns: 500 });
});

test('a full window refuses another fix instead of losing one', () => {
  const window = new ReorderWindow(2);
  window.insert(fixAt(1, 0), 'a');
  window.insert(fixAt(2, 1), 'a');
  assert.throws(() => window.insert(fixAt(3, 2), 'a'), RangeError);
});
