// The satellite messengers' JSON read as track files, damaged at random (seeded): every damaged copy of the
// real captures is read (fixes and listed records) or refused with a LinderoError naming the file, never
// another error. What the undamaged captures give: test/track-captures.test.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { mutate } from '../../../test/helpers/damage.js';
import { seeded } from '../../../test/helpers/geodesic-oracle.js';
import { LinderoError } from '../../model/index.js';
import { readTrackFromBytes } from './index.js';

const CAPTURES = ['tracks/flyxc/spot2-feed.json', 'tracks/flyxc/spot3-feed.json', 'devices/inreach/garmin-example-event.json', 'devices/inreach/trailscribe-v4-satellite-position-report.json', 'devices/inreach/trailscribe-free-text-no-gps.json'];

for (const [k, path] of CAPTURES.entries()) {
  test(`${path}: 300 damaged copies are each read or refused with the file named`, async () => {
    const bytes = readFileSync(new URL(`../../../test/fixtures/${path}`, import.meta.url));
    let whole = 0;
    for await (const item of readTrackFromBytes(bytes, 'whole.json')) whole += item.kind === 'fix' ? 1 : 0;
    const rnd = seeded(k + 17);
    const outcomes = { read: 0, refused: 0, fixes: 0 };
    for (let i = 0; i < 300; i++) {
      try {
        for await (const item of readTrackFromBytes(mutate(bytes, rnd), 'damaged.json')) {
          if (item.kind === 'fix') {
            outcomes.fixes++;
            assert.ok(Math.abs(item.fix.lat) <= 90 && Math.abs(item.fix.lon) <= 180 && Number.isFinite(item.fix.time));
          } else assert.equal(item.file, 'damaged.json');
        }
        outcomes.read++;
      } catch (e) {
        assert.ok(e instanceof LinderoError, (e as Error).stack);
        assert.equal(e.place.file, 'damaged.json', e.message);
        outcomes.refused++;
      }
    }
    // Some damage reaches the reader (read, not refused), and where the capture has fixes some copies keep them.
    assert.ok(outcomes.read > 0 && outcomes.refused > 0 && (whole === 0 || outcomes.fixes > 0), JSON.stringify(outcomes));
  });
}
