// Checking an evidence bundle offline: recompute every record hash and chain hash from the bundle
// alone, check they reach the signed checkpoint (version 1: along the run of entries; version 2: along
// each record's inclusion proofs to the signed tree head), and check its Ed25519 signature.
import {
  commitLinkHash, leafHash, linkHash, recordHash, rootFromPath, type ChainKind, type Checkpoint, type StoredIncidentRecord,
} from '../store/index.js';
import { checkpointSignatureValid } from './checkpoint.js';
import { describeRecord } from './describe.js';
import { bundleRecords, type EvidenceBundle, type EvidenceBundleV1, type EvidenceBundleV2 } from './bundle.js';
import { foldIncidents } from '../live/index.js';
import { keyFingerprint } from './keys.js';
import type { Incident } from './types.js';

export interface BundleVerdict {
  ok: boolean;
  incidentId: number;
  /** Records carried, by kind. */
  records: Record<ChainKind, number>;
  firstN: number;
  lastN: number;
  checkpoint: { n: number; signedMs: number; fingerprint: string };
  /** The incident as its records in the bundle make it (when they can be read). */
  incident: Incident | null;
  problem: string | null;
}

export interface VerifyBundleOptions {
  /** The public key (PEM) the checkpoint must be signed with. */
  trustedPublicKey?: string | null;
}

export function verifyBundle(bundle: EvidenceBundle, options: VerifyBundleOptions = {}): BundleVerdict {
  const carried = bundleRecords(bundle);
  const records: Record<ChainKind, number> = { fix: 0, alert: 0, incident: 0, policy: 0 };
  for (const r of carried) records[r.kind] += 1;
  const fingerprint = safeFingerprint(bundle.public_key);
  const ns = bundle.version === 1 ? bundle.chain.entries.map((e) => e.n) : carried.map((r) => r.n);
  const verdict: BundleVerdict = {
    ok: false, incidentId: bundle.incident_id, records, firstN: Math.min(...ns), lastN: Math.max(...ns),
    checkpoint: { n: bundle.checkpoint.n, signedMs: bundle.checkpoint.signed_ms, fingerprint }, incident: incidentOf(bundle), problem: null,
  };
  const problem = checkSignature(bundle, fingerprint, options) ?? (bundle.version === 1 ? findProblem(bundle) : findProofProblem(bundle)) ?? foreignRecord(bundle);
  return problem ? { ...verdict, problem } : { ...verdict, ok: true };
}

function checkSignature(bundle: EvidenceBundle, fingerprint: string, options: VerifyBundleOptions): string | null {
  const { checkpoint } = bundle;
  const signed: Checkpoint = {
    n: checkpoint.n, hash: Buffer.from(checkpoint.hash, 'hex'), signedMs: checkpoint.signed_ms, publicKey: bundle.public_key,
    signature: Buffer.from(checkpoint.signature, 'base64'), treeRoot: bundle.version === 2 ? Buffer.from(bundle.checkpoint.tree_root, 'hex') : null,
  };
  let signatureOk: boolean;
  try {
    signatureOk = checkpointSignatureValid(signed);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  if (!signatureOk) return `the checkpoint's signature (entry ${checkpoint.n}) is not valid for the bundle's public key: the checkpoint or the key was altered`;
  if (options.trustedPublicKey) {
    const trusted = keyFingerprint(options.trustedPublicKey);
    if (trusted !== fingerprint) return `the checkpoint is signed by key ${fingerprint}, not by the trusted key ${trusted}`;
  }
  return null;
}

/** Version 1: the run of entries recomputed from the bundle's records and record hashes must give the signed hash. */
function findProblem(bundle: EvidenceBundleV1): string | null {
  const { checkpoint, chain } = bundle;
  let previous: Buffer = Buffer.from(chain.previous_hash, 'hex');
  let expectedN = chain.start_n;
  for (const entry of chain.entries) {
    if (entry.n !== expectedN) {
      return entry.n > expectedN
        ? `chain entries ${expectedN} to ${entry.n - 1} are missing from the bundle: they were removed`
        : `chain entry ${entry.n} comes after entry ${expectedN - 1}: the bundle's entries were reordered`;
    }
    expectedN++;
    const name = describeRecord(entry.kind, Number(entry.record?.id ?? 0), entry.record);
    if (entry.record && recordHash(entry.record).toString('hex') !== entry.record_hash) {
      return `entry ${entry.n}, ${name}, was altered: the record no longer matches its hash`;
    }
    const hash = linkHash(previous, Buffer.from(entry.record_hash, 'hex'));
    if (hash.toString('hex') !== entry.hash) return `entry ${entry.n} (${entry.record ? name : entry.kind}) does not follow from entry ${entry.n - 1}: the bundle's chain was altered`;
    previous = hash;
  }
  const last = chain.entries[chain.entries.length - 1];
  if (last.n !== checkpoint.n) return `the bundle's chain ends at entry ${last.n} but its checkpoint signs entry ${checkpoint.n}`;
  if (last.hash !== checkpoint.hash) return `the chain recomputed from the bundle's records does not give the hash signed at entry ${checkpoint.n}: records were altered`;
  return null;
}

function foreignRecord(bundle: EvidenceBundle): string | null {
  const foreign = bundleRecords(bundle).find((r) => r.kind === 'incident' && r.record.incident_id !== bundle.incident_id);
  return foreign ? `entry ${foreign.n} is a record of incident ${String(foreign.record.incident_id)}, not of incident ${bundle.incident_id}` : null;
}

const fromHex = (h: string) => Buffer.from(h, 'hex');

/**
 * Version 2: every record's audit path gives its commit's root (all of one commit's records the same
 * root), which with the entry before and the size gives the entry's hash; every entry's audit path then
 * gives the signed tree head.
 */
function findProofProblem(bundle: EvidenceBundleV2): string | null {
  const { checkpoint } = bundle;
  const treeRoot = fromHex(checkpoint.tree_root);
  const entries = new Map(bundle.entries.map((e) => [e.n, e]));
  if (entries.size !== bundle.entries.length) return 'an entry appears twice in the bundle';
  const seen = new Set<string>();
  for (const entry of bundle.entries) {
    const { n } = entry;
    if (n < 1 || n > checkpoint.n) return `entry ${n} is not under the checkpoint at entry ${checkpoint.n}`;
    const previous = fromHex(entry.previous_hash);
    const own = bundle.records.filter((r) => r.n === n);
    if (own.length === 0) return `entry ${n} proves none of the bundle's records`;
    let hash: Buffer;
    if (entry.form === 'record') {
      if (own.length > 1 || own[0].leaf !== null) return `entry ${n} is of the record form, which holds one record, but the bundle places ${own.length} there or gives it a leaf`;
      hash = linkHash(previous, recordHash(own[0].record));
    } else {
      const size = entry.size ?? 0;
      const roots: { name: string; root: Buffer }[] = [];
      for (const r of own) {
        const name = describeRecord(r.kind, Number(r.record.id ?? 0), r.record);
        if (r.leaf === null) return `${name} is in entry ${n}, of the commit form, but has no leaf index`;
        if (seen.has(`${n}:${r.leaf}`)) return `leaf ${r.leaf} of entry ${n} is claimed by two records`;
        seen.add(`${n}:${r.leaf}`);
        const got = rootFromPath(r.leaf, size, leafHash(recordHash(r.record)), r.path.map(fromHex));
        if (!got) return `entry ${n}, ${name}: its audit path cannot be one of leaf ${r.leaf} in a tree of ${size}: the proof was altered`;
        roots.push({ name, root: got });
      }
      // The root that leads to the signed tree head is the commit's; a record giving another one is the one changed.
      const leads = (root: Buffer) => {
        const h = commitLinkHash(previous, size, root);
        return rootFromPath(n - 1, checkpoint.n, leafHash(h), entry.tree_path.map(fromHex))?.equals(treeRoot) === true;
      };
      const right = roots.find((r) => leads(r.root));
      const wrong = right ? roots.find((r) => !r.root.equals(right.root)) : undefined;
      if (wrong) return `entry ${n}, ${wrong.name}, was altered, or its audit path was: it does not give the tree root the entry's other records give`;
      hash = commitLinkHash(previous, size, (right ?? roots[0]).root);
    }
    const got = rootFromPath(n - 1, checkpoint.n, leafHash(hash), entry.tree_path.map(fromHex));
    if (!got || !got.equals(treeRoot)) {
      const names = own.map((r) => describeRecord(r.kind, Number(r.record.id ?? 0), r.record)).join(', ');
      return `entry ${n}, ${names}, was altered, or its proofs were: it does not lead to the tree head signed at entry ${checkpoint.n}`;
    }
    if (n === checkpoint.n && hash.toString('hex') !== checkpoint.hash) return `entry ${n} is not the hash signed at entry ${n}: records were altered`;
  }
  const orphan = bundle.records.find((r) => !entries.has(r.n));
  if (orphan) return `${describeRecord(orphan.kind, Number(orphan.record.id ?? 0), orphan.record)} names entry ${orphan.n}, which the bundle does not prove`;
  return null;
}

function safeFingerprint(pem: string): string {
  try {
    return keyFingerprint(pem);
  } catch {
    return 'unreadable key';
  }
}

/** The incident folded from the bundle's incident records, or null when they cannot be read. */
export function incidentOf(bundle: EvidenceBundle): Incident | null {
  try {
    const records: StoredIncidentRecord[] = bundleRecords(bundle)
      .filter((e) => e.kind === 'incident')
      .map((e) => {
        const r = e.record;
        return {
          id: Number(r.id), incidentId: Number(r.incident_id), action: r.action as StoredIncidentRecord['action'], receivedMs: Number(r.received_ms),
          record: JSON.parse(String(r.record_json)) as Record<string, unknown>, chainN: e.n,
        };
      });
    return foldIncidents(records).find((i) => i.id === bundle.incident_id) ?? null;
  } catch {
    return null;
  }
}
