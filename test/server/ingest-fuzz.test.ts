// The ingest fuzz at a size that fits the normal tests (npm run fuzz runs it at 20,000 inputs a listener):
// every listener, seeded, then no crash, no 5xx, nothing stored out of range, no unit of lindero's own.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkStore, fuzzListener, FUZZ_LIMITS, LISTENERS } from '../helpers/ingest-fuzz.js';
import { startTestServer, type TestServer } from './helpers.js';

const INPUTS_PER_LISTENER = 300;
let server: TestServer;
before(async () => {
  server = await startTestServer({ tickMs: 3_600_000, limits: FUZZ_LIMITS, logger: false });
});
after(async () => {
  await server.stop();
});

for (const [i, listener] of LISTENERS.entries()) {
  test(`${INPUTS_PER_LISTENER} mutated inputs on ${listener} (seed ${i + 1}): no crash, no 5xx, the next good fix stored`, { timeout: 60_000 }, async () => {
    const report = await fuzzListener(server, listener, INPUTS_PER_LISTENER, i + 1);
    assert.equal(report.statuses['5xx'] ?? 0, 0, JSON.stringify(report.statuses));
    assert.equal(report.statuses['no answer'] ?? 0, 0, JSON.stringify(report.statuses));
    assert.ok(report.aliveAfter, `${listener} stored no good fix after the fuzz`);
  });
}

test('after the fuzz, every stored fix is within range and the live window, and no unit is lindero\'s own marker', async () => {
  await server.pipeline.settle();
  const check = checkStore(server);
  assert.ok(check.fixes > 0);
  assert.equal(check.outOfRange, 0);
  assert.equal(check.ownMarkers, 0);
});
