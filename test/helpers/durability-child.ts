// Run by durability.test.ts, which kills it with SIGKILL at a random moment. Appends numbered fixes
// for ever, in a seeded mix of single calls, concurrent callers and batches, and prints one line per
// fix as soon as its append is acknowledged: "<status> <index> <id> <seq>".
import { openSqliteStore, type SqliteStore } from '../../src/store/index.js';
import { numberedFix, seededRandom } from './store-fixtures.js';

async function appendAndReport(store: SqliteStore, indexes: number[]): Promise<void> {
  const results = await store.appendFixes(indexes.map(numberedFix));
  // Writes to a pipe are synchronous on Linux: once this returns, the parent can read the line.
  process.stdout.write(results.map((r, i) => `${r.status} ${indexes[i]} ${r.id} ${r.seq}\n`).join(''));
}

const [file, startArg, seedArg] = process.argv.slice(2);
const random = seededRandom(Number(seedArg));
const store = await openSqliteStore(file);
process.stdout.write('ready\n');
let next = Number(startArg);
for (;;) {
  const pattern = random();
  if (pattern < 0.4) {
    await appendAndReport(store, [next++]);
  } else if (pattern < 0.7) {
    const callers = 2 + Math.floor(random() * 30);
    await Promise.all(Array.from({ length: callers }, () => appendAndReport(store, [next++])));
  } else {
    const size = 2 + Math.floor(random() * 60);
    await appendAndReport(store, Array.from({ length: size }, () => next++));
  }
}
