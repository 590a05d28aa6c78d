// Reading an evidence bundle from a file that may have been damaged or forged: every field is checked
// for shape before anything is computed, and a problem names the field.
import { LinderoError } from '../model/index.js';
import { CHAIN_KINDS, type ChainKind, type ChainRecord } from '../store/index.js';
import { BUNDLE_FORMAT, type BundleEntry, type BundleProofEntry, type BundleRecord, type EvidenceBundle } from './bundle.js';

/** Largest bundle read, bytes. */
export const MAX_BUNDLE_BYTES = 256 * 1024 * 1024;

const HEX32 = /^[0-9a-f]{64}$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseBundle(text: string, file: string): EvidenceBundle {
  const fail = (message: string, field?: string): never => {
    throw new LinderoError('bad-bundle', message, field === undefined ? { file } : { file, field });
  };
  if (text.length > MAX_BUNDLE_BYTES) fail(`the file is larger than ${MAX_BUNDLE_BYTES} bytes; no bundle is that large`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    fail(`not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isObject(value)) return fail('not an evidence bundle: the top level is not a JSON object');
  if (value.format !== BUNDLE_FORMAT) fail(`not an evidence bundle: format is ${JSON.stringify(value.format) ?? 'missing'}, expected "${BUNDLE_FORMAT}"`, 'format');
  if (value.version !== 1 && value.version !== 2) fail(`bundle version ${JSON.stringify(value.version)} is not one this lindero reads (1, 2)`, 'version');
  const incidentId = integer(value.incident_id, 'incident_id', fail);
  const publicKey = text_(value.public_key, 'public_key', fail);
  if (value.version === 2) return parseV2(value, incidentId, publicKey, fail);
  const chain = isObject(value.chain) ? value.chain : fail('chain must be an object', 'chain');
  const checkpoint = isObject(value.checkpoint) ? value.checkpoint : fail('checkpoint must be an object', 'checkpoint');
  const startN = integer(chain.start_n, 'chain.start_n', fail);
  const previousHash = hex(chain.previous_hash, 'chain.previous_hash', fail);
  if (!Array.isArray(chain.entries) || chain.entries.length === 0) fail('chain.entries must be a non-empty array', 'chain.entries');
  const entries = (chain.entries as unknown[]).map((e, i) => entry(e, `chain.entries[${i}]`, fail));
  return {
    format: BUNDLE_FORMAT, version: 1, created: typeof value.created === 'string' ? value.created : '', incident_id: incidentId,
    rule: typeof value.rule === 'string' ? value.rule : '', public_key: publicKey,
    key_fingerprint: typeof value.key_fingerprint === 'string' ? value.key_fingerprint : '',
    chain: { start_n: startN, previous_hash: previousHash, entries },
    checkpoint: {
      n: integer(checkpoint.n, 'checkpoint.n', fail), hash: hex(checkpoint.hash, 'checkpoint.hash', fail),
      signed_ms: integer(checkpoint.signed_ms, 'checkpoint.signed_ms', fail), signature: base64(checkpoint.signature, 'checkpoint.signature', fail),
    },
  };
}

type Fail = (message: string, field?: string) => never;

/** Longest audit path read: a tree of 2^64 leaves has paths of 64 hashes. */
const MAX_PATH = 64;

function parseV2(value: Json, incidentId: number, publicKey: string, fail: Fail): EvidenceBundle {
  const checkpoint = isObject(value.checkpoint) ? value.checkpoint : fail('checkpoint must be an object', 'checkpoint');
  if (!Array.isArray(value.records) || value.records.length === 0) fail('records must be a non-empty array', 'records');
  if (!Array.isArray(value.entries) || value.entries.length === 0) fail('entries must be a non-empty array', 'entries');
  const records = (value.records as unknown[]).map((r, i): BundleRecord => {
    const field = `records[${i}]`;
    if (!isObject(r)) return fail(`${field} must be an object`, field);
    if (!CHAIN_KINDS.includes(r.kind as ChainKind)) fail(`${field}.kind must be one of ${CHAIN_KINDS.join(', ')}`, `${field}.kind`);
    const kind = r.kind as ChainKind;
    return {
      n: integer(r.n, `${field}.n`, fail), kind, record: record(r.record, `${field}.record`, kind, fail),
      leaf: r.leaf === null ? null : integer(r.leaf, `${field}.leaf`, fail), path: hashes(r.path, `${field}.path`, fail),
    };
  });
  const entries = (value.entries as unknown[]).map((e, i): BundleProofEntry => {
    const field = `entries[${i}]`;
    if (!isObject(e)) return fail(`${field} must be an object`, field);
    if (e.form !== 'record' && e.form !== 'commit') fail(`${field}.form must be "record" or "commit"`, `${field}.form`);
    const size = e.form === 'commit' ? integer(e.size, `${field}.size`, fail) : null;
    if (size === 0) fail(`${field}.size must be at least 1`, `${field}.size`);
    return {
      n: integer(e.n, `${field}.n`, fail), form: e.form as 'record' | 'commit', previous_hash: hex(e.previous_hash, `${field}.previous_hash`, fail),
      size, tree_path: hashes(e.tree_path, `${field}.tree_path`, fail),
    };
  });
  return {
    format: BUNDLE_FORMAT, version: 2, created: typeof value.created === 'string' ? value.created : '', incident_id: incidentId,
    rule: typeof value.rule === 'string' ? value.rule : '', public_key: publicKey,
    key_fingerprint: typeof value.key_fingerprint === 'string' ? value.key_fingerprint : '',
    records, entries,
    checkpoint: {
      n: integer(checkpoint.n, 'checkpoint.n', fail), hash: hex(checkpoint.hash, 'checkpoint.hash', fail),
      signed_ms: integer(checkpoint.signed_ms, 'checkpoint.signed_ms', fail), signature: base64(checkpoint.signature, 'checkpoint.signature', fail),
      tree_root: hex(checkpoint.tree_root, 'checkpoint.tree_root', fail),
    },
  };
}

function hashes(v: unknown, field: string, fail: Fail): string[] {
  if (!Array.isArray(v) || v.length > MAX_PATH) fail(`${field} must be an array of at most ${MAX_PATH} hashes`, field);
  return (v as unknown[]).map((h, i) => hex(h, `${field}[${i}]`, fail));
}

function integer(v: unknown, field: string, fail: Fail): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(`${field} must be a whole number, got ${JSON.stringify(v) ?? 'nothing'}`, field);
  return v as number;
}

function text_(v: unknown, field: string, fail: Fail): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 10_000) fail(`${field} must be text`, field);
  return v as string;
}

function hex(v: unknown, field: string, fail: Fail): string {
  if (typeof v !== 'string' || !HEX32.test(v)) fail(`${field} must be a SHA-256 hash in 64 lower-case hex digits`, field);
  return v as string;
}

function base64(v: unknown, field: string, fail: Fail): string {
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]{1,1000}={0,2}$/.test(v)) fail(`${field} must be base64`, field);
  return v as string;
}

function entry(v: unknown, field: string, fail: Fail): BundleEntry {
  if (!isObject(v)) return fail(`${field} must be an object`, field);
  const n = integer(v.n, `${field}.n`, fail);
  if (!CHAIN_KINDS.includes(v.kind as ChainKind)) fail(`${field}.kind must be one of ${CHAIN_KINDS.join(', ')}`, `${field}.kind`);
  const out: BundleEntry = { n, kind: v.kind as ChainKind, record_hash: hex(v.record_hash, `${field}.record_hash`, fail), hash: hex(v.hash, `${field}.hash`, fail) };
  if (v.record !== undefined) out.record = record(v.record, `${field}.record`, out.kind, fail);
  return out;
}

/** A chain record is flat: text, numbers and nulls only, and its `type` is the entry's kind. */
function record(v: unknown, field: string, kind: ChainKind, fail: Fail): ChainRecord {
  if (!isObject(v)) return fail(`${field} must be an object`, field);
  const out: ChainRecord = {};
  for (const [key, value] of Object.entries(v)) {
    if (value !== null && typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
      fail(`${field}.${key} must be text, a number or null: chain records are flat`, `${field}.${key}`);
    }
    out[key] = value as string | number | null;
  }
  if (out.type !== kind) fail(`${field}.type is ${JSON.stringify(out.type)} but the entry's kind is ${kind}`, `${field}.type`);
  return out;
}
