// Evidence bundles: one incident's records with what proves them, in one JSON file that
// `lindero verify BUNDLE` checks on any machine, without the store.
//
// Version 2 (written when the covering checkpoint signs a tree head, i.e. since schema step 6): each
// record is proven by inclusion proofs up to the signed checkpoint. A record of the commit form carries
// its leaf index and audit path in its commit's tree (RFC 6962 §2.1.1), which give the commit's root;
// with the hash of the entry before and the commit's size that gives the entry's hash. A record of the
// record form gives its entry's hash with the hash of the entry before. Each entry's hash then carries
// its audit path in the checkpoint's tree over entries 1 to n, which must give the signed tree head.
// A bundle of one incident is so a few dozen hashes per record whatever the length of the chain, and
// holds nothing of other units' records.
//
// Version 1 (checkpoints that sign the head only, before schema step 6): the run of chain entries from
// the incident's first record to the checkpoint: the hash of the entry before it, then for every entry
// its record hash and chain hash, with the record itself for the incident's own. Still written for
// such a checkpoint, and still verified.
import { LinderoError } from '../model/index.js';
import {
  GENESIS_HASH, leafHash, MerkleTree, recordHash, type ChainEntryWithRecord, type ChainKind, type ChainLocation, type ChainRecord, type Checkpoint, type Store,
  type UnchainedRecord,
} from '../store/index.js';
import { checkpointCovering, entryTree } from './checkpoint.js';
import { keyFingerprint, type EvidenceKey } from './keys.js';
import type { IncidentEvidence } from './types.js';

export const BUNDLE_FORMAT = 'lindero-evidence-bundle';

export const CHAIN_RULE =
  'record_hash = SHA-256(RFC 8785 canonical JSON of record); hash_n = SHA-256(hash_(n-1) || record_hash_n), hashes as 32 raw bytes, ' +
  'hash_0 = 32 zero bytes; checkpoint signature = Ed25519 (RFC 8032) over the RFC 8785 JSON of ' +
  '{"format":"lindero-checkpoint","version":1,"n":n,"hash":hex hash_n,"signed_ms":signed_ms}';

export const MERKLE_RULE =
  'record_hash = SHA-256(RFC 8785 canonical JSON of record); Merkle trees as RFC 6962 section 2.1 (leaf = SHA-256(0x00 || data), ' +
  'node = SHA-256(0x01 || left || right)), inclusion proofs checked as RFC 9162 section 2.1.3.2. An entry of the commit form: ' +
  'root = MTH(record_hash of its records), hash_n = SHA-256(hash_(n-1) || size as 8 bytes big-endian || root); of the record form: ' +
  'hash_n = SHA-256(hash_(n-1) || record_hash_n); hashes as 32 raw bytes, hash_0 = 32 zero bytes. tree_root = MTH(hash_1 .. hash_n) ' +
  'for the checkpoint at n; checkpoint signature = Ed25519 (RFC 8032) over the RFC 8785 JSON of {"format":"lindero-checkpoint",' +
  '"version":2,"n":n,"hash":hex hash_n,"signed_ms":signed_ms,"tree_size":n,"tree_root":hex tree_root}';

export interface BundleEntry {
  n: number;
  kind: ChainKind;
  record_hash: string;
  hash: string;
  /** Present for the incident's own records. */
  record?: ChainRecord;
}

/** Version 1: the run of chain entries from the incident's first record to the checkpoint. */
export interface EvidenceBundleV1 {
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

/** A record of a version 2 bundle and where it is: its entry, and in the commit form its leaf and audit path. */
export interface BundleRecord {
  n: number;
  kind: ChainKind;
  record: ChainRecord;
  /** Its leaf index in its commit's tree; null for a record of the record form. */
  leaf: number | null;
  /** Its audit path in its commit's tree (hex), from the leaf up; empty in the record form. */
  path: string[];
}

/** An entry holding some of a version 2 bundle's records, and its place in the checkpoint's tree. */
export interface BundleProofEntry {
  n: number;
  form: 'record' | 'commit';
  /** hash_(n-1). */
  previous_hash: string;
  /** The commit form: how many records its tree has. */
  size: number | null;
  /** The audit path of hash_n, leaf n-1 of the checkpoint's tree of checkpoint.n leaves (hex). */
  tree_path: string[];
}

/** Version 2: inclusion proofs up to a checkpoint that signs a tree head. */
export interface EvidenceBundleV2 {
  format: typeof BUNDLE_FORMAT;
  version: 2;
  created: string;
  incident_id: number;
  rule: string;
  public_key: string;
  key_fingerprint: string;
  records: BundleRecord[];
  entries: BundleProofEntry[];
  checkpoint: { n: number; hash: string; signed_ms: number; signature: string; tree_root: string };
}

export type EvidenceBundle = EvidenceBundleV1 | EvidenceBundleV2;

/** The records a bundle carries, of either version, in chain order, with their record hash as the bundle states it (v1) or as they hash (v2). */
export function bundleRecords(bundle: EvidenceBundle): { n: number; kind: ChainKind; record: ChainRecord; recordHash: string }[] {
  if (bundle.version === 1) {
    return bundle.chain.entries.filter((e) => e.record).map((e) => ({ n: e.n, kind: e.kind, record: e.record!, recordHash: e.record_hash }));
  }
  return bundle.records.map((r) => ({ n: r.n, kind: r.kind, record: r.record, recordHash: recordHash(r.record).toString('hex') }));
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
  const [before] = await store.chainHashes(n - 2, 1);
  if (!before) throw new LinderoError('runtime-chain-broken', `the chain has no entry ${n - 1}; run lindero verify --db`, {});
  return before;
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
  const lastN = chained[chained.length - 1].n;
  const checkpoint = await checkpointCovering(store, lastN, key);
  if (!checkpoint) {
    throw new LinderoError('runtime-no-checkpoint', `no signed checkpoint covers chain entry ${lastN} yet, and the store's evidence key is not at hand to sign one: wait for the server's next checkpoint (every minute) or run this where the key file is readable`, {});
  }
  const head = {
    format: BUNDLE_FORMAT, created: new Date(now()).toISOString(), incident_id: evidence.incident.id,
    public_key: checkpoint.publicKey, key_fingerprint: keyFingerprint(checkpoint.publicKey),
  } as const;
  return checkpoint.treeRoot ? { ...head, ...(await proofs(store, chained, checkpoint, checkpoint.treeRoot)) } : { ...head, ...(await run(store, chained, checkpoint)) };
}

const signed = (c: Checkpoint) => ({ n: c.n, hash: c.hash.toString('hex'), signed_ms: c.signedMs, signature: c.signature.toString('base64') });

/** Version 1's body: every entry from the first record's to the checkpoint (all of the record form: the checkpoint predates the commit form). */
async function run(store: Store, chained: ChainLocation[], checkpoint: Checkpoint): Promise<Omit<EvidenceBundleV1, 'format' | 'created' | 'incident_id' | 'public_key' | 'key_fingerprint'>> {
  const firstN = chained[0].n;
  const included = new Set(chained.map((e) => `${e.kind}:${e.ref}`));
  const entries: BundleEntry[] = [];
  for (let after = firstN - 1; after < checkpoint.n;) {
    const page = await store.chainEntries(after, Math.min(5000, checkpoint.n - after));
    if (page.length === 0) break;
    for (const e of page) {
      if (e.form !== 'record') throw new LinderoError('runtime-chain-broken', `chain entry ${e.n} is of the commit form under a checkpoint that signs no tree head; run lindero verify --db`, {});
      const entry: BundleEntry = { n: e.n, kind: e.kind, record_hash: e.recordHash.toString('hex'), hash: e.hash.toString('hex') };
      if (included.has(`${e.kind}:${e.ref}`) && e.record) entry.record = e.record;
      entries.push(entry);
    }
    after = page[page.length - 1].n;
  }
  return {
    version: 1, rule: CHAIN_RULE, chain: { start_n: firstN, previous_hash: (await previousHash(store, firstN)).toString('hex'), entries }, checkpoint: signed(checkpoint),
  };
}

/** Version 2's body: each record's audit path in its commit's tree, and each entry's in the checkpoint's tree. */
async function proofs(
  store: Store, chained: ChainLocation[], checkpoint: Checkpoint, treeRoot: Buffer,
): Promise<Omit<EvidenceBundleV2, 'format' | 'created' | 'incident_id' | 'public_key' | 'key_fingerprint'>> {
  const tree = await entryTree(store, checkpoint.n);
  if (!tree || !tree.root.equals(treeRoot)) {
    throw new LinderoError('runtime-chain-broken', `the chain's entries 1 to ${checkpoint.n} do not give the tree head signed at entry ${checkpoint.n}; run lindero verify --db`, {});
  }
  const records: BundleRecord[] = [];
  const entries: BundleProofEntry[] = [];
  const ns = [...new Set(chained.map((c) => c.n))];
  for (const n of ns) {
    const [entry] = await store.chainEntries(n - 1, 1);
    if (!entry || entry.n !== n) throw new LinderoError('runtime-chain-broken', `the chain has no entry ${n}; run lindero verify --db`, {});
    entries.push({
      n, form: entry.form, previous_hash: (await previousHash(store, n)).toString('hex'), size: entry.form === 'commit' ? entry.size : null,
      tree_path: tree.path(n - 1).map((h) => h.toString('hex')),
    });
    records.push(...recordsOf(entry, chained.filter((c) => c.n === n)));
  }
  return {
    version: 2, rule: MERKLE_RULE, records, entries, checkpoint: { ...signed(checkpoint), tree_root: treeRoot.toString('hex') },
  };
}

function recordsOf(entry: ChainEntryWithRecord, wanted: ChainLocation[]): BundleRecord[] {
  const missing = (c: ChainLocation) => new LinderoError('runtime-chain-broken', `${c.kind} ${c.ref} of chain entry ${c.n} is missing from its table; run lindero verify --db`, {});
  if (entry.form === 'record') {
    if (!entry.record) throw missing(wanted[0]);
    return [{ n: entry.n, kind: entry.kind, record: entry.record, leaf: null, path: [] }];
  }
  const commitTree = new MerkleTree(entry.leaves.map((l) => leafHash(l.recordHash)));
  return wanted.map((c) => {
    const leaf = entry.leaves.find((l) => l.leaf === c.leaf);
    if (!leaf?.record) throw missing(c);
    return { n: entry.n, kind: c.kind, record: leaf.record, leaf: leaf.leaf, path: commitTree.path(leaf.leaf).map((h) => h.toString('hex')) };
  });
}
