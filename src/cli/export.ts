// `lindero export --incident ID --out bundle.json`: one incident's evidence in a self-contained file that
// `lindero verify bundle.json` checks on another machine.
import { writeFileSync } from 'node:fs';
import { LinderoError } from '../model/index.js';
import { existingEvidenceKey, incidentBundle, verifyBundle } from '../incidents/index.js';
import { parseArgs } from './args.js';
import type { CommandIo } from './io.js';
import { loadLayers } from '../layers/node.js';
import { openCliStore } from './read-store.js';
import { incidentId } from './verify.js';

export const EXPORT_HELP = `Usage: lindero export --incident ID [--db FILE|URL] [--db-files PATH] --out BUNDLE.json

Writes an incident's evidence bundle: its records, the fixes of its units in its window, their alerts,
what proves them up to a signed checkpoint (each record's inclusion proofs up to the tree head the
checkpoint signs; under a checkpoint that signs the chain head only, the chain entries from the first of
them to it), and the server's public key. When no checkpoint covers the records yet, one is signed with
the key beside the store if it is readable.
  --incident ID   the incident (see GET /api/v1/incidents)
  --db FILE|URL   the store: a SQLite file (default ./lindero.db) or a postgresql:// URL
  --db-files PATH with PostgreSQL: the path the evidence key is named after, as given to lindero serve
                  (default ./lindero-pg: the key is ./lindero-pg.key)
  --out FILE      where to write the bundle`;

export async function command(argv: string[], io: CommandIo): Promise<number> {
  const args = parseArgs(argv, { values: ['incident', 'db', 'db-files', 'out'], flags: ['help'] });
  if (args.flags.has('help')) {
    io.out(EXPORT_HELP + '\n');
    return 0;
  }
  if (args.positionals.length > 0) throw new LinderoError('usage', `unexpected argument ${JSON.stringify(args.positionals[0])}`);
  const id = incidentId(args.options.incident);
  const out = args.options.out;
  if (!out) throw new LinderoError('usage', '--out FILE is required: where to write the bundle', { field: 'out' });
  const { store, name } = await openCliStore(args.options.db, args.options['db-files']);
  try {
    const bundle = await incidentBundle(store, await loadLayers(), id, { key: existingEvidenceKey(store.file) });
    const verdict = verifyBundle(bundle);
    writeFileSync(out, JSON.stringify(bundle, null, 1) + '\n');
    const r = verdict.records;
    io.out(`${out}: incident ${id}, ${r.fix} fixes, ${r.alert} alerts, ${r.incident} incident records; chain entries ${verdict.firstN} to ${verdict.lastN}, ` +
      `signed checkpoint at entry ${verdict.checkpoint.n} by key ${verdict.checkpoint.fingerprint}\n`);
    if (!verdict.ok) {
      io.err(`lindero export: the store's evidence for incident ${id} does not verify: ${verdict.problem}; run lindero verify --db ${name}\n`);
      return 1;
    }
    return 0;
  } finally {
    await store.close();
  }
}
