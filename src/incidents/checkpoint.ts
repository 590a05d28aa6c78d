// Signed checkpoints: the server signs the chain head with its Ed25519 key (RFC 8032, through
// node:crypto) every so often, so a chain rewritten after the fact no longer matches what was signed.
//
// Since schema step 6 a checkpoint at entry n also signs the RFC 6962 tree head over the hashes of
// entries 1 to n (tree size n; each leaf's data is an entry's 32-byte hash, so its leaf hash is
// SHA-256(0x00 ‖ hash_i)). A record is then proven up to a checkpoint by its audit path in its commit's
// tree plus its entry's audit path in the checkpoint's tree: some 2·log2 hashes, where the chain alone
// needs every entry from the record's to the checkpoint's. Checkpoints signed before (version 1) sign
// the head only.
import { sign, verify } from 'node:crypto';
import { canonicalJson, leafHash, MerkleFrontier, MerkleTree, type Checkpoint, type Store } from '../store/index.js';
import type { EvidenceKey } from './keys.js';
import { publicKeyFromPem } from './keys.js';

/**
 * The exact bytes signed for a checkpoint: RFC 8785 JSON of what it attests. Version 1 (no tree root):
 * {format, version, n, hash, signed_ms}; version 2 adds tree_size (= n) and tree_root.
 */
export function checkpointMessage(n: number, hashHex: string, signedMs: number, treeRootHex: string | null = null): Buffer {
  const attested: Record<string, string | number> = treeRootHex === null
    ? { format: 'lindero-checkpoint', version: 1, n, hash: hashHex, signed_ms: signedMs }
    : { format: 'lindero-checkpoint', version: 2, n, hash: hashHex, signed_ms: signedMs, tree_size: n, tree_root: treeRootHex };
  return Buffer.from(canonicalJson(attested), 'utf8');
}

export function signCheckpoint(key: EvidenceKey, n: number, hash: Buffer, signedMs: number, treeRoot: Buffer | null = null): Checkpoint {
  const signature = sign(null, checkpointMessage(n, hash.toString('hex'), signedMs, treeRoot?.toString('hex') ?? null), key.privateKey);
  return { n, hash, signedMs, publicKey: key.publicKeyPem, signature, treeRoot };
}

/** Whether the checkpoint's signature is valid for its own public key (which key that is, is the caller's question). */
export function checkpointSignatureValid(checkpoint: Checkpoint): boolean {
  const key = publicKeyFromPem(checkpoint.publicKey, `the public key of checkpoint ${checkpoint.n}`);
  const message = checkpointMessage(checkpoint.n, checkpoint.hash.toString('hex'), checkpoint.signedMs, checkpoint.treeRoot?.toString('hex') ?? null);
  return verify(null, message, key, checkpoint.signature);
}

/** The hashes of entries 1 to n, a page at a time, to `each`. */
async function eachEntryHash(store: Store, n: number, each: (hash: Buffer) => void): Promise<void> {
  for (let after = 0; after < n;) {
    const page = await store.chainHashes(after, Math.min(10_000, n - after));
    if (page.length === 0) break;
    page.forEach(each);
    after += page.length;
  }
}

/**
 * The tree over the entry hashes as far as the last tree head computed, per store: the next one reads
 * only the entries after it. Dropped when the hash at its end is no longer the store's (another store
 * behind the same object, or a chain rewritten), and then read again from entry 1.
 */
const frontiers = new WeakMap<Store, { frontier: MerkleFrontier; n: number; hash: Buffer }>();

/**
 * The tree head a checkpoint at entry n signs: MTH over the hashes of entries 1 to n. The first time
 * for a store it reads every entry hash (32 bytes each), then only those added since; null when the
 * chain has fewer than n entries.
 */
export async function entryTreeRoot(store: Store, n: number): Promise<Buffer | null> {
  let cached = frontiers.get(store);
  if (cached && (cached.n > n || !(await store.chainHashes(cached.n - 1, 1))[0]?.equals(cached.hash))) cached = undefined;
  frontiers.delete(store);
  const frontier = cached?.frontier ?? new MerkleFrontier();
  let last = cached?.hash ?? null;
  for (let after = frontier.size; after < n;) {
    const page = await store.chainHashes(after, Math.min(10_000, n - after));
    if (page.length === 0) break;
    for (const hash of page) frontier.push(leafHash(hash));
    last = page[page.length - 1];
    after += page.length;
  }
  if (frontier.size !== n || last === null) return null;
  frontiers.set(store, { frontier, n, hash: last });
  return frontier.root();
}

/** The tree over the hashes of entries 1 to n, for the audit paths of entries under a checkpoint at n. */
export async function entryTree(store: Store, n: number): Promise<MerkleTree | null> {
  const leaves: Buffer[] = [];
  await eachEntryHash(store, n, (hash) => leaves.push(leafHash(hash)));
  return leaves.length === n && n > 0 ? new MerkleTree(leaves) : null;
}

/** Signs the chain head and its tree head unless a checkpoint already covers it; returns the newest checkpoint (or null for an empty chain). */
export async function checkpointHead(store: Store, key: EvidenceKey, now: () => number = Date.now): Promise<Checkpoint | null> {
  const head = await store.chainHead();
  if (!head) return null;
  const last = await store.latestCheckpoint();
  if (last && last.n >= head.n) return last;
  const treeRoot = await entryTreeRoot(store, head.n);
  return store.appendCheckpoint(signCheckpoint(key, head.n, head.hash, now(), treeRoot));
}

/** The earliest checkpoint at or after position n, signing the head now when none covers n yet and a key is at hand. */
export async function checkpointCovering(store: Store, n: number, key: EvidenceKey | null): Promise<Checkpoint | null> {
  const [found] = await store.checkpoints(n - 1, 1);
  if (found || !key) return found ?? null;
  const signed = await checkpointHead(store, key);
  return signed && signed.n >= n ? signed : null;
}

/** Signs the chain head every intervalMs while anything new was chained, and once more when stopped. */
export class Checkpointer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: Store, private readonly key: EvidenceKey, private readonly onError: (e: unknown) => void, private readonly intervalMs = 60_000) {}

  start(): void {
    this.timer = setInterval(() => void this.now(), this.intervalMs);
    this.timer.unref();
  }

  /** Signs the head now (after any signing in progress). */
  now(): Promise<Checkpoint | null> {
    const next = this.running.then(() => checkpointHead(this.store, this.key)).catch((e: unknown) => {
      this.onError(e);
      return null;
    });
    this.running = next;
    return next;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.now();
  }
}
