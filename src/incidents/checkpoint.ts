// Signed checkpoints: the server signs the chain head with its Ed25519 key (RFC 8032, through
// node:crypto) every so often, so a chain rewritten after the fact no longer matches what was signed.
import { sign, verify } from 'node:crypto';
import { canonicalJson, type Checkpoint, type Store } from '../store/index.js';
import type { EvidenceKey } from './keys.js';
import { publicKeyFromPem } from './keys.js';

/** The exact bytes signed for a checkpoint: RFC 8785 JSON of what it attests. */
export function checkpointMessage(n: number, hashHex: string, signedMs: number): Buffer {
  return Buffer.from(canonicalJson({ format: 'lindero-checkpoint', version: 1, n, hash: hashHex, signed_ms: signedMs }), 'utf8');
}

export function signCheckpoint(key: EvidenceKey, n: number, hash: Buffer, signedMs: number): Checkpoint {
  const signature = sign(null, checkpointMessage(n, hash.toString('hex'), signedMs), key.privateKey);
  return { n, hash, signedMs, publicKey: key.publicKeyPem, signature };
}

/** Whether the checkpoint's signature is valid for its own public key (which key that is, is the caller's question). */
export function checkpointSignatureValid(checkpoint: Checkpoint): boolean {
  const key = publicKeyFromPem(checkpoint.publicKey, `the public key of checkpoint ${checkpoint.n}`);
  return verify(null, checkpointMessage(checkpoint.n, checkpoint.hash.toString('hex'), checkpoint.signedMs), key, checkpoint.signature);
}

/** Signs the chain head unless a checkpoint already covers it; returns the newest checkpoint (or null for an empty chain). */
export async function checkpointHead(store: Store, key: EvidenceKey, now: () => number = Date.now): Promise<Checkpoint | null> {
  const head = await store.chainHead();
  if (!head) return null;
  const last = await store.latestCheckpoint();
  if (last && last.n >= head.n) return last;
  return store.appendCheckpoint(signCheckpoint(key, head.n, head.hash, now()));
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
