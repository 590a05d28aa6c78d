// npm run fuzz: the ingest fuzz at full size, 20,000 seeded inputs on every listener (FUZZ_INPUTS to
// change), against a server on loopback. Prints one line per listener and the store check; exits 1 on
// any crash, 5xx, listener that stopped storing, or stored value out of range.
import { checkStore, fuzzListener, FUZZ_LIMITS, LISTENERS } from '../helpers/ingest-fuzz.js';
import { startTestServer } from '../server/helpers.js';

const inputs = Number(process.env.FUZZ_INPUTS ?? 20_000);
const seed = Number(process.env.FUZZ_SEED ?? 1);
const server = await startTestServer({ tickMs: 3_600_000, limits: FUZZ_LIMITS, logger: false });
let failed = false;
try {
  for (const [i, listener] of LISTENERS.entries()) {
    const started = performance.now();
    const report = await fuzzListener(server, listener, inputs, seed + i);
    const bad = (report.statuses['5xx'] ?? 0) > 0 || (report.statuses['no answer'] ?? 0) > 0 || !report.aliveAfter;
    failed ||= bad;
    console.log(`${bad ? 'FAIL' : 'ok  '} ${listener.padEnd(8)} ${report.inputs} inputs (seed ${seed + i}) in ${((performance.now() - started) / 1000).toFixed(1)} s; http ${JSON.stringify(report.statuses)}; alive after: ${report.aliveAfter}`);
  }
  await server.pipeline.settle();
  const check = checkStore(server);
  failed ||= check.outOfRange > 0 || check.ownMarkers > 0;
  console.log(`store: ${check.fixes} fixes stored, ${check.outOfRange} out of range, ${check.ownMarkers} units of lindero's own markers`);
} finally {
  await server.stop();
}
process.exit(failed ? 1 : 0);
