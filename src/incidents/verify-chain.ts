// `lindero verify --db`: recomputes the whole evidence chain from the records as stored now, in either
// of its forms (a record per entry, or a commit's records per entry as a Merkle tree; a store's chain may
// switch from the first to the second at some entry), checks the signed checkpoints and the tree heads
// they sign, and names the first record that was altered, deleted, reordered or slipped in.
import {
  commitLinkHash, commitRoot, GENESIS_HASH, leafHash, linkHash, MerkleFrontier, recordHash, type ChainEntry, type ChainEntryWithRecord,
  type ChainKind, type ChainRecord, type Checkpoint, type Store,
} from '../store/index.js';
import { checkpointSignatureValid } from './checkpoint.js';
import { describeRecord, tableOf } from './describe.js';
import { keyFingerprint } from './keys.js';

export type ChainProblemKind =
  | 'altered' | 'deleted' | 'reordered' | 'inserted' | 'chain-altered' | 'truncated' | 'rewritten' | 'bad-signature' | 'untrusted-key';

export interface ChainProblem {
  kind: ChainProblemKind;
  /** Chain position where it was found, when it has one. */
  n?: number;
  message: string;
}

export interface ChainVerdict {
  ok: boolean;
  /** Entries checked (all of them when ok). */
  entries: number;
  head: { n: number; hash: string } | null;
  /** Checkpoints whose signature and hash were checked, the last of them, and the keys that signed them. */
  checkpointsChecked: number;
  lastCheckpoint: { n: number; signedMs: number; fingerprint: string } | null;
  keys: string[];
  problem: ChainProblem | null;
  /** Things that are not wrong but limit what the result proves. */
  warnings: string[];
}

export interface VerifyChainOptions {
  /** The public key (PEM) checkpoints must be signed with; without it any key is accepted and named. */
  trustedPublicKey?: string | null;
  /** Entries read per query. Default 5000. */
  pageSize?: number;
}

type Step = { problem: ChainProblem } | { lastSeq: number };

/** The store's checkpoints in chain order, read a page at a time alongside the chain. */
class CheckpointCursor {
  private page: Checkpoint[] = [];
  private next = 0;
  private afterN = 0;
  private exhausted = false;

  constructor(private readonly store: Store) {}

  /** The checkpoint at position n, if any; positions must be asked in increasing order. */
  async at(n: number): Promise<Checkpoint | null> {
    for (;;) {
      while (this.next < this.page.length && this.page[this.next].n < n) this.next++;
      if (this.next < this.page.length) return this.page[this.next].n === n ? this.page[this.next++] : null;
      if (this.exhausted) return null;
      this.page = await this.store.checkpoints(this.afterN, 1000);
      this.next = 0;
      if (this.page.length === 0) this.exhausted = true;
      else this.afterN = this.page[this.page.length - 1].n;
    }
  }
}

/** Verifies the store's whole chain. Reads in pages; memory does not grow with the chain. */
export async function verifyStoreChain(store: Store, options: VerifyChainOptions = {}): Promise<ChainVerdict> {
  const pageSize = options.pageSize ?? 5000;
  const checkpoints = new CheckpointCursor(store);
  const trustedFingerprint = options.trustedPublicKey ? keyFingerprint(options.trustedPublicKey) : null;
  const verdict: ChainVerdict = { ok: false, entries: 0, head: null, checkpointsChecked: 0, lastCheckpoint: null, keys: [], problem: null, warnings: [] };
  const fail = (problem: ChainProblem) => ({ ...verdict, problem });
  let previous: Buffer = GENESIS_HASH;
  let lastSeq = 0;
  let expectedN = 1;
  // The tree over the entry hashes so far: what a checkpoint's tree head is checked against.
  const entryTree = new MerkleFrontier();
  for (let page = await store.chainEntries(0, pageSize); page.length > 0; page = await store.chainEntries(expectedN - 1, pageSize)) {
    for (const entry of page) {
      const step = entry.form === 'record'
        ? await checkEntry(store, entry, expectedN, previous, lastSeq)
        : await checkCommit(store, entry, expectedN, previous, lastSeq);
      if ('problem' in step) return fail(step.problem);
      entryTree.push(leafHash(entry.hash));
      const checkpoint = await checkpoints.at(entry.n);
      if (checkpoint) {
        const problem = checkCheckpoint(checkpoint, entry.hash, entryTree.root(), trustedFingerprint);
        if (problem) return fail(problem);
        const fingerprint = keyFingerprint(checkpoint.publicKey);
        verdict.checkpointsChecked++;
        verdict.lastCheckpoint = { n: checkpoint.n, signedMs: checkpoint.signedMs, fingerprint };
        if (!verdict.keys.includes(fingerprint)) verdict.keys.push(fingerprint);
      }
      lastSeq = step.lastSeq;
      previous = entry.hash;
      verdict.entries = entry.n;
      verdict.head = { n: entry.n, hash: entry.hash.toString('hex') };
      expectedN = entry.n + 1;
    }
  }
  const [beyond] = await store.checkpoints(verdict.entries, 1);
  if (beyond) {
    return fail({
      kind: 'truncated', n: verdict.entries + 1,
      message: `the chain ends at entry ${verdict.entries}, but a checkpoint signed on ${new Date(beyond.signedMs).toISOString()} covers entry ${beyond.n}: entries ${verdict.entries + 1} to ${beyond.n} were deleted`,
    });
  }
  const unchained = await store.unchainedRecords(1);
  if (unchained.length > 0) {
    const { kind, id } = unchained[0];
    return fail({ kind: 'inserted', message: `${describeRecord(kind, id, null)} in table ${tableOf(kind)} is not in the evidence chain: it was added outside lindero` });
  }
  const lastSigned = verdict.lastCheckpoint?.n ?? 0;
  if (lastSigned === 0 && verdict.entries > 0) verdict.warnings.push('no signed checkpoint yet: the chain is consistent, but no signature proves it was not rebuilt');
  if (lastSigned > 0 && lastSigned < verdict.entries) verdict.warnings.push(`entries ${lastSigned + 1} to ${verdict.entries} are after the last signed checkpoint`);
  return { ...verdict, ok: true };
}

type RecordEntryWithRecord = Extract<ChainEntryWithRecord, { form: 'record' }>;
type CommitEntryWithRecord = Extract<ChainEntryWithRecord, { form: 'commit' }>;

/** Whether entry e chains from `previous`: hash_e recomputed from it and what e holds. */
function follows(previous: Buffer, e: ChainEntry): boolean {
  const hash = e.form === 'record' ? linkHash(previous, e.recordHash) : commitLinkHash(previous, e.size, e.root);
  return hash.equals(e.hash);
}

function gap(n: number, expectedN: number): ChainProblem {
  const span = n - 1 === expectedN ? `entry ${expectedN} is` : `entries ${expectedN} to ${n - 1} are`;
  return { kind: 'deleted', n: expectedN, message: `chain ${span} missing: the records there were deleted along with their chain entries` };
}

/**
 * A record as it is now against the record hash chained for it: null when they agree. `where` says
 * where the chain has it ("entry 7 of the chain", and its leaf in the commit form).
 */
async function checkRecord(
  store: Store, n: number, kind: ChainKind, ref: number, record: ChainRecord | null, chained: Buffer, where: string, leaf: string,
): Promise<ChainProblem | null> {
  const name = describeRecord(kind, ref, record);
  if (!record) return { kind: 'deleted', n, message: `${name}, ${where}, is missing from table ${tableOf(kind)}: it was deleted${leaf}` };
  const actual = recordHash(record);
  if (actual.equals(chained)) return null;
  const elsewhere = (await store.chainPositionsOfRecordHash(actual)).filter((m) => m !== n);
  if (elsewhere.length > 0) {
    return { kind: 'reordered', n, message: `${where} now holds ${name}, which the chain recorded at entry ${elsewhere[0]}: the records were reordered${leaf}` };
  }
  return { kind: 'altered', n, message: `${name}, ${where}, was altered after it was stored: it no longer matches the hash recorded with it${leaf}` };
}

function outOfOrder(n: number, name: string, seq: number, lastSeq: number): ChainProblem {
  return { kind: 'reordered', n, message: `${name} has global order ${seq}, before the record chained ahead of it (${lastSeq}): the records were reordered` };
}

async function checkEntry(store: Store, entry: RecordEntryWithRecord, expectedN: number, previous: Buffer, lastSeq: number): Promise<Step> {
  const { n, kind, ref, record } = entry;
  const name = describeRecord(kind, ref, record);
  if (n !== expectedN) return { problem: gap(n, expectedN) };
  const recordProblem = await checkRecord(store, n, kind, ref, record, entry.recordHash, `entry ${n} of the chain`, '');
  if (recordProblem) return { problem: recordProblem };
  if (!follows(previous, entry)) {
    const belongs = await entryThatFollows(store, n, previous);
    if (belongs !== null) {
      return { problem: { kind: 'reordered', n, message: `the chain entry recorded at position ${n} is now at position ${belongs}: the chain's entries were reordered` } };
    }
    return { problem: { kind: 'chain-altered', n, message: `the chain hash of entry ${n} (${name}) does not follow from entry ${n - 1}: the chain table was altered` } };
  }
  if (entry.seq !== null && entry.seq <= lastSeq) return { problem: outOfOrder(n, name, entry.seq, lastSeq) };
  return { lastSeq: entry.seq ?? lastSeq };
}

/**
 * A commit entry: each leaf's record against its record hash, the leaves (0 to size-1, no more, no
 * fewer) against the tree root, the root and size against the entry's hash, and the global order.
 */
async function checkCommit(store: Store, entry: CommitEntryWithRecord, expectedN: number, previous: Buffer, lastSeq: number): Promise<Step> {
  const { n, leaves, size } = entry;
  if (n !== expectedN) return { problem: gap(n, expectedN) };
  const where = `entry ${n} of the chain`;
  for (const leaf of leaves) {
    const problem = await checkRecord(store, n, leaf.kind, leaf.ref, leaf.record, leaf.recordHash, where, ` (leaf ${leaf.leaf} of ${size})`);
    if (problem) return { problem };
  }
  const missing = Array.from({ length: size }, (_, i) => i).find((i) => leaves[i]?.leaf !== i);
  if (missing !== undefined) {
    return { problem: { kind: 'deleted', n, message: `leaf ${missing} of chain entry ${n} is missing: the record there was deleted along with its place in the chain` } };
  }
  if (leaves.length > size) {
    const extra = leaves[size];
    return {
      problem: {
        kind: 'inserted', n,
        message: `${describeRecord(extra.kind, extra.ref, extra.record)} is chained as leaf ${extra.leaf} of entry ${n}, whose tree has ${size} leaves: it was slipped or moved in`,
      },
    };
  }
  const root = commitRoot(leaves.map((l) => l.recordHash));
  if (!follows(previous, entry)) {
    if (commitLinkHash(previous, size, root).equals(entry.hash)) {
      return { problem: { kind: 'chain-altered', n, message: `the tree root recorded with entry ${n} was altered: its records give the root its chain hash was made of, not the one recorded` } };
    }
    const belongs = await entryThatFollows(store, n, previous);
    if (belongs !== null) {
      return { problem: { kind: 'reordered', n, message: `the chain entry recorded at position ${n} is now at position ${belongs}: the chain's entries were reordered` } };
    }
    return { problem: { kind: 'chain-altered', n, message: `the chain hash of entry ${n} (a commit of ${size} records) does not follow from entry ${n - 1}: the chain table was altered` } };
  }
  if (!root.equals(entry.root)) {
    return {
      problem: {
        kind: 'reordered', n,
        message: `the records of entry ${n} no longer give the tree root it was chained with: its records were reordered, or moved between commits`,
      },
    };
  }
  let seqSoFar = lastSeq;
  for (const leaf of leaves) {
    if (leaf.seq === null) continue;
    if (leaf.seq <= seqSoFar) return { problem: outOfOrder(n, describeRecord(leaf.kind, leaf.ref, leaf.record), leaf.seq, seqSoFar) };
    seqSoFar = leaf.seq;
  }
  return { lastSeq: seqSoFar };
}

/** The position of a later entry that chains from `previous`, i.e. the one that belongs at n (looks 10,000 ahead). */
async function entryThatFollows(store: Store, n: number, previous: Buffer): Promise<number | null> {
  const ahead = await store.chainEntries(n, 10_000);
  const found = ahead.find((e) => follows(previous, e));
  return found ? found.n : null;
}

function checkCheckpoint(checkpoint: Checkpoint, hash: Buffer, treeRoot: Buffer, trustedFingerprint: string | null): ChainProblem | null {
  const { n } = checkpoint;
  const when = new Date(checkpoint.signedMs).toISOString();
  if (!checkpointSignatureValid(checkpoint)) {
    return { kind: 'bad-signature', n, message: `the signature of the checkpoint at entry ${n} (${when}) is not valid: the checkpoint was altered` };
  }
  const fingerprint = keyFingerprint(checkpoint.publicKey);
  if (trustedFingerprint && fingerprint !== trustedFingerprint) {
    return { kind: 'untrusted-key', n, message: `the checkpoint at entry ${n} (${when}) is signed by key ${fingerprint}, not by the trusted key ${trustedFingerprint}` };
  }
  if (!checkpoint.hash.equals(hash)) {
    return { kind: 'rewritten', n, message: `entry ${n} differs from what was signed on ${when}: the chain up to it was rewritten` };
  }
  if (checkpoint.treeRoot && !checkpoint.treeRoot.equals(treeRoot)) {
    return { kind: 'rewritten', n, message: `the tree head signed at entry ${n} on ${when} is not the one of entries 1 to ${n}: the chain up to it was rewritten` };
  }
  return null;
}
