// Evidence bundles: one incident's records with what proves them, in one JSON file that
// `lindero verify BUNDLE` checks on any machine, without the store.
//
// The proof is the run of chain entries from the incident's first record to a signed checkpoint: the
// hash of the entry before it, then for every entry its record hash and chain hash, with the record
// itself for the incident's own. Recomputing the run from its records and record hashes must give the
// signed hash; other units' records are present only as their hashes.
import { LinderoError } from '../model/index.js';
import { GENESIS_HASH, type ChainKind, type ChainRecord, type Store, type UnchainedRecord } from '../store/index.js';
import { checkpointCovering } from './checkpoint.js';
import { keyFingerprint, type EvidenceKey } from './keys.js';
import type { IncidentEvidence } from './types.js';

export const BUNDLE_FORMAT = 'lindero-evidence-bundle';

export const CHAIN_RULE =
  'record_hash = SHA-256(RFC 8785 canonical JSON of record); hash_n = SHA-256(hash_(n-1) || record_hash_n), hashes as 32 raw bytes, ' +
  'hash_0 = 32 zero bytes; checkpoint signature = Ed25519 (RFC 8032) over the RFC 8785 JSON of ' +
  '{"format":"lindero-checkpoint","version":1,"n":n,"hash":hex hash_n,"signed_ms":signed_ms}';

export interface BundleEntry {
  n: number;
  kind: ChainKind;
  record_hash: string;
  hash: string;
  /** Present for the incident's own records. */
  record?: ChainRecord;
}

export interface EvidenceBundle {
  format: typeof BUNDLE_FORMAT;
  version: 1;
  created: string;
  incident_id: number;
  rule: string;
  public_key: string;
  key_fingerprint: string;
  chain: { start_n: number; previous_hash: string; entries: BundleEntry[] };
  checkpoint: { n: number; hash: string; signed_ms: number; signature: string };
}

/** The records an incident's evidence consists of: its own records, the attached fixes and the alerts. */
export function evidenceRecords(evidence: IncidentEvidence): UnchainedRecord[] {
  return [
    ...evidence.incident.records.map((r) => ({ kind: 'incident' as const, id: r.id })),
    ...evidence.units.flatMap((u) => u.fixes.map((f) => ({ kind: 'fix' as const, id: f.id }))),
    ...evidence.alerts.map((a) => ({ kind: 'alert' as const, id: a.id })),
  ];
}

async function previousHash(store: Store, n: number): Promise<Buffer> {
  if (n <= 1) return GENESIS_HASH;
  const [before] = await store.chainEntries(n - 2, 1);
  if (!before || before.n !== n - 1) throw new LinderoError('runtime-chain-broken', `the chain has no entry ${n - 1}; run lindero verify --db`, {});
  return before.hash;
}

/**
 * The bundle of an incident's evidence. When no checkpoint covers its records yet and `key` is given,
 * the chain head is signed now.
 */
export async function buildBundle(store: Store, evidence: IncidentEvidence, key: EvidenceKey | null, now: () => number = Date.now): Promise<EvidenceBundle> {
  const wanted = evidenceRecords(evidence);
  const chained = await store.chainEntriesOf(wanted);
  if (chained.length < wanted.length) {
    throw new LinderoError('runtime-chain-broken', `${wanted.length - chained.length} of incident ${evidence.incident.id}'s records have no chain entry; run lindero verify --db`, {});
  }
  const firstN = chained[0].n;
  const lastN = chained[chained.length - 1].n;
  const checkpoint = await checkpointCovering(store, lastN, key);
  if (!checkpoint) {
    throw new LinderoError('runtime-no-checkpoint', `no signed checkpoint covers chain entry ${lastN} yet, and the store's evidence key is not at hand to sign one: wait for the server's next checkpoint (every minute) or run this where the key file is readable`, {});
  }
  const included = new Set(chained.map((e) => `${e.kind}:${e.ref}`));
  const entries: BundleEntry[] = [];
  for (let after = firstN - 1; after < checkpoint.n;) {
    const page = await store.chainEntries(after, Math.min(5000, checkpoint.n - after));
    if (page.length === 0) break;
    for (const e of page) {
      const entry: BundleEntry = { n: e.n, kind: e.kind, record_hash: e.recordHash.toString('hex'), hash: e.hash.toString('hex') };
      if (included.has(`${e.kind}:${e.ref}`) && e.record) entry.record = e.record;
      entries.push(entry);
    }
    after = page[page.length - 1].n;
  }
  return {
    format: BUNDLE_FORMAT, version: 1, created: new Date(now()).toISOString(), incident_id: evidence.incident.id, rule: CHAIN_RULE,
    public_key: checkpoint.publicKey, key_fingerprint: keyFingerprint(checkpoint.publicKey),
    chain: { start_n: firstN, previous_hash: (await previousHash(store, firstN)).toString('hex'), entries },
    checkpoint: { n: checkpoint.n, hash: checkpoint.hash.toString('hex'), signed_ms: checkpoint.signedMs, signature: checkpoint.signature.toString('base64') },
  };
}
