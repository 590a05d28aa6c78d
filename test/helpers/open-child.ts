// Run by open-errors.test.ts as another user: opens a store and prints the outcome as one JSON line.
import { isLinderoError } from '../../src/model/index.js';
import { openSqliteStore } from '../../src/store/index.js';

const file = process.argv[2];
try {
  const store = await openSqliteStore(file);
  await store.close();
  process.stdout.write(JSON.stringify({ ok: true }) + '\n');
} catch (e) {
  const out = isLinderoError(e) ? { code: e.code, message: e.message, place: e.place } : { code: 'unexpected', message: String(e) };
  process.stdout.write(JSON.stringify(out) + '\n');
}
