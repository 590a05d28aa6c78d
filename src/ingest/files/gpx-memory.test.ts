import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readTrack } from './index.js';
import { writeSyntheticGpx } from '../../../test/helpers/synthetic-gpx.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('a large GPX is streamed: the heap after 200,000 points is no bigger than after 50,000', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lindero-gpx-'));
  try {
    const path = join(dir, 'big.gpx');
    await writeSyntheticGpx(path, 200_000);
    const heapAt = new Map<number, number>();
    let count = 0;
    let last = 0;
    for await (const item of readTrack(path)) {
      assert.equal(item.kind, 'fix');
      if (item.kind === 'fix') last = item.fix.time;
      count++;
      if (count === 50_000 || count === 200_000) {
        gc();
        heapAt.set(count, process.memoryUsage().heapUsed);
      }
    }
    assert.equal(count, 200_000);
    assert.equal(last, Date.UTC(2024, 0, 1) + 199_999 * 1000);
    // Holding 150,000 more fixes would add well over 15 MB; a stream stays within a chunk's worth.
    const growthMB = (heapAt.get(200_000)! - heapAt.get(50_000)!) / 2 ** 20;
    assert.ok(growthMB < 8, `heap grew ${growthMB.toFixed(1)} MB`);
  } finally {
    rmSync(dir, { recursive: true });
  }
});
