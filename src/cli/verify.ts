// `lindero verify --db FILE` checks a store's whole evidence chain; `lindero verify BUNDLE` checks an
// evidence bundle offline. Exit 0 when intact, 1 when not (naming the first broken record), 2 on bad usage.
import { readFileSync, statSync } from 'node:fs';
import { LinderoError } from '../model/index.js';
import {
  keyFingerprint, MAX_BUNDLE_BYTES, parseBundle, publishedPublicKey, verifyBundle, verifyStoreChain, type BundleVerdict, type ChainVerdict,
} from '../incidents/index.js';
import { isPostgresUrl } from '../store/index.js';
import { existingFile, parseArgs } from './args.js';
import { openCliStore } from './read-store.js';
import type { CommandIo } from './io.js';

export const VERIFY_HELP = `Usage: lindero verify --db FILE|URL [--key PUBLIC.pem] [--json]
       lindero verify BUNDLE.json [--key PUBLIC.pem] [--json]

Checks evidence. With --db: recomputes the store's whole hash chain from the records as they are now and
checks its signed checkpoints, and names the first record altered, deleted, reordered or added.
With a bundle (from 'lindero export'): checks it offline, without the store.
  --key FILE   the server's public key (PEM) the checkpoints must be signed with; default for --db: the
               key published beside the store (FILE.evidence-key.pub.pem); for a bundle: the one it carries;
               for a PostgreSQL store (--db postgresql://…) there is no default: give --key
  --json       print the result as JSON
Exit status: 0 intact, 1 broken, 2 bad usage or unreadable input.`;

/** An incident id from --incident. */
export function incidentId(value: string | undefined): number {
  if (value === undefined) throw new LinderoError('usage', '--incident ID is required', { field: 'incident' });
  if (!/^[1-9]\d{0,14}$/.test(value)) throw new LinderoError('usage', `--incident must be an incident id (a whole number from 1), not ${JSON.stringify(value)}`, { field: 'incident' });
  return Number(value);
}

function trustedKey(file: string | undefined): string | null {
  if (file === undefined) return null;
  const pem = readFileSync(existingFile(file, 'the key file', 'key'), 'utf8');
  keyFingerprint(pem);
  return pem;
}

function chainLines(db: string, v: ChainVerdict): string {
  const entries = `${v.entries} ${v.entries === 1 ? 'entry' : 'entries'}`;
  const lines = [v.ok ? `${db}: the evidence chain is intact: ${entries}` : `${db}: the evidence chain is BROKEN at entry ${v.problem?.n ?? '?'}: ${v.problem?.message}`];
  if (v.head) lines.push(`  head: entry ${v.head.n}, hash ${v.head.hash}`);
  const last = v.lastCheckpoint;
  if (last) lines.push(`  signed checkpoints checked: ${v.checkpointsChecked}, the last at entry ${last.n} (${new Date(last.signedMs).toISOString()}) by key ${last.fingerprint}`);
  if (v.keys.length > 1) lines.push(`  note: the checkpoints were signed by ${v.keys.length} different keys: ${v.keys.join(', ')}`);
  for (const w of v.warnings) lines.push(`  note: ${w}`);
  return lines.join('\n') + '\n';
}

function bundleLines(file: string, v: BundleVerdict): string {
  const r = v.records;
  const head = v.ok
    ? `${file}: the evidence bundle of incident ${v.incidentId} is intact`
    : `${file}: the evidence bundle of incident ${v.incidentId} is BROKEN: ${v.problem}`;
  const lines = [head, `  records: ${r.fix} fixes, ${r.alert} alerts, ${r.incident} incident records, ${r.policy} policy changes (chain entries ${v.firstN} to ${v.lastN})`];
  lines.push(`  signed checkpoint: entry ${v.checkpoint.n}, ${new Date(v.checkpoint.signedMs).toISOString()}, key ${v.checkpoint.fingerprint}`);
  const i = v.incident;
  if (i) lines.push(`  incident ${i.id}: ${new Date(i.fromMs).toISOString()} to ${new Date(i.toMs).toISOString()}, units ${i.units.join(', ')}`);
  if (v.ok) lines.push('  compare the key fingerprint with the one the server published before trusting the bundle');
  return lines.join('\n') + '\n';
}

async function verifyDb(db: string, keyFile: string | undefined, json: boolean, io: CommandIo): Promise<number> {
  const { store, name: shown } = await openCliStore(db);
  try {
    const trusted = trustedKey(keyFile) ?? (isPostgresUrl(db) ? null : publishedPublicKey(db));
    const verdict = await verifyStoreChain(store, { trustedPublicKey: trusted });
    io.out(json ? JSON.stringify({ db: shown, ...verdict }) + '\n' : chainLines(shown, verdict));
    return verdict.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}

function verifyBundleFile(file: string, keyFile: string | undefined, json: boolean, io: CommandIo): number {
  existingFile(file, 'the bundle', 'bundle');
  if (statSync(file).size > MAX_BUNDLE_BYTES) throw new LinderoError('bad-bundle', `the file is larger than ${MAX_BUNDLE_BYTES} bytes; no bundle is that large`, { file });
  const bundle = parseBundle(readFileSync(file, 'utf8'), file);
  const verdict = verifyBundle(bundle, { trustedPublicKey: trustedKey(keyFile) });
  io.out(json ? JSON.stringify({ bundle: file, ...verdict }) + '\n' : bundleLines(file, verdict));
  return verdict.ok ? 0 : 1;
}

export async function command(argv: string[], io: CommandIo): Promise<number> {
  const args = parseArgs(argv, { values: ['db', 'key'], flags: ['json', 'help'] });
  if (args.flags.has('help')) {
    io.out(VERIFY_HELP + '\n');
    return 0;
  }
  const json = args.flags.has('json');
  const db = args.options.db;
  if (db !== undefined && args.positionals.length > 0) throw new LinderoError('usage', 'give either --db FILE or a bundle file, not both');
  if (db !== undefined) return verifyDb(db, args.options.key, json, io);
  if (args.positionals.length !== 1) throw new LinderoError('usage', 'name what to verify: --db FILE or one bundle file (see lindero verify --help)');
  return verifyBundleFile(args.positionals[0], args.options.key, json, io);
}
