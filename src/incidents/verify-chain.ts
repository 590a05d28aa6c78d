// `lindero verify --db`: recomputes the whole evidence chain from the records as stored now, checks the
// signed checkpoints, and names the first record that was altered, deleted, reordered or slipped in.
import { GENESIS_HASH, linkHash, recordHash, type ChainEntryWithRecord, type Checkpoint, type Store } from '../store/index.js';
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

type Step = { problem: ChainProblem } | { ok: true };

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
  for (let page = await store.chainEntries(0, pageSize); page.length > 0; page = await store.chainEntries(expectedN - 1, pageSize)) {
    for (const entry of page) {
      const step = await checkEntry(store, entry, expectedN, previous, lastSeq);
      if ('problem' in step) return fail(step.problem);
      const checkpoint = await checkpoints.at(entry.n);
      if (checkpoint) {
        const problem = checkCheckpoint(checkpoint, entry.hash, trustedFingerprint);
        if (problem) return fail(problem);
        const fingerprint = keyFingerprint(checkpoint.publicKey);
        verdict.checkpointsChecked++;
        verdict.lastCheckpoint = { n: checkpoint.n, signedMs: checkpoint.signedMs, fingerprint };
        if (!verdict.keys.includes(fingerprint)) verdict.keys.push(fingerprint);
      }
      if (entry.seq !== null) lastSeq = entry.seq;
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

async function checkEntry(store: Store, entry: ChainEntryWithRecord, expectedN: number, previous: Buffer, lastSeq: number): Promise<Step> {
  const { n, kind, ref, record } = entry;
  const name = describeRecord(kind, ref, record);
  if (n !== expectedN) {
    const span = n - 1 === expectedN ? `entry ${expectedN} is` : `entries ${expectedN} to ${n - 1} are`;
    return { problem: { kind: 'deleted', n: expectedN, message: `chain ${span} missing: the records there were deleted along with their chain entries` } };
  }
  if (!record) {
    return { problem: { kind: 'deleted', n, message: `${name}, entry ${n} of the chain, is missing from table ${tableOf(kind)}: it was deleted` } };
  }
  const actual = recordHash(record);
  if (!actual.equals(entry.recordHash)) {
    const elsewhere = (await store.chainPositionsOfRecordHash(actual)).filter((m) => m !== n);
    if (elsewhere.length > 0) {
      return { problem: { kind: 'reordered', n, message: `entry ${n} now holds ${name}, which the chain recorded at entry ${elsewhere[0]}: the records were reordered` } };
    }
    return { problem: { kind: 'altered', n, message: `${name}, entry ${n} of the chain, was altered after it was stored: it no longer matches the hash recorded with it` } };
  }
  if (!linkHash(previous, entry.recordHash).equals(entry.hash)) {
    const belongs = await entryThatFollows(store, n, previous);
    if (belongs !== null) {
      return { problem: { kind: 'reordered', n, message: `the chain entry recorded at position ${n} is now at position ${belongs}: the chain's entries were reordered` } };
    }
    return { problem: { kind: 'chain-altered', n, message: `the chain hash of entry ${n} (${name}) does not follow from entry ${n - 1}: the chain table was altered` } };
  }
  if (entry.seq !== null && entry.seq <= lastSeq) {
    return { problem: { kind: 'reordered', n, message: `${name} has global order ${entry.seq}, before the record chained ahead of it (${lastSeq}): the records were reordered` } };
  }
  return { ok: true };
}

/** The position of a later entry that chains from `previous`, i.e. the one that belongs at n (looks 10,000 ahead). */
async function entryThatFollows(store: Store, n: number, previous: Buffer): Promise<number | null> {
  const ahead = await store.chainEntries(n, 10_000);
  const found = ahead.find((e) => linkHash(previous, e.recordHash).equals(e.hash));
  return found ? found.n : null;
}

function checkCheckpoint(checkpoint: Checkpoint, hash: Buffer, trustedFingerprint: string | null): ChainProblem | null {
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
  return null;
}
