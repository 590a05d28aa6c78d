// Checking an evidence bundle offline: recompute every record hash and chain hash from the bundle
// alone, check they reach the signed checkpoint, and check its Ed25519 signature.
import { linkHash, recordHash, type ChainKind, type StoredIncidentRecord } from '../store/index.js';
import { checkpointSignatureValid } from './checkpoint.js';
import { describeRecord } from './describe.js';
import type { EvidenceBundle } from './bundle.js';
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
  const entries = bundle.chain.entries;
  const records: Record<ChainKind, number> = { fix: 0, alert: 0, incident: 0, policy: 0 };
  for (const e of entries) if (e.record) records[e.kind] += 1;
  const fingerprint = safeFingerprint(bundle.public_key);
  const verdict: BundleVerdict = {
    ok: false, incidentId: bundle.incident_id, records, firstN: bundle.chain.start_n, lastN: entries[entries.length - 1].n,
    checkpoint: { n: bundle.checkpoint.n, signedMs: bundle.checkpoint.signed_ms, fingerprint }, incident: incidentOf(bundle), problem: null,
  };
  const problem = findProblem(bundle, fingerprint, options);
  return problem ? { ...verdict, problem } : { ...verdict, ok: true };
}

function findProblem(bundle: EvidenceBundle, fingerprint: string, options: VerifyBundleOptions): string | null {
  const { checkpoint, chain } = bundle;
  const signed = { n: checkpoint.n, hash: Buffer.from(checkpoint.hash, 'hex'), signedMs: checkpoint.signed_ms, publicKey: bundle.public_key, signature: Buffer.from(checkpoint.signature, 'base64') };
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
  const foreign = chain.entries.find((e) => e.kind === 'incident' && e.record && e.record.incident_id !== bundle.incident_id);
  if (foreign) return `entry ${foreign.n} is a record of incident ${String(foreign.record?.incident_id)}, not of incident ${bundle.incident_id}`;
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
    const records: StoredIncidentRecord[] = bundle.chain.entries
      .filter((e) => e.kind === 'incident' && e.record)
      .map((e) => {
        const r = e.record!;
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
