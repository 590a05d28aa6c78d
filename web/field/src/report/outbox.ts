// Fixes waiting for the report server, in IndexedDB so that neither a lost connection nor a closed tab loses them.
import { fieldDb, type OutboxFix } from '../db.js';

export interface QueuedFix {
  key: number;
  fix: OutboxFix;
}

export async function enqueueFix(fix: OutboxFix): Promise<void> {
  const db = await fieldDb();
  await db.add('outbox', fix);
}

/** The oldest `limit` queued fixes, in the order they were taken. */
export async function oldestFixes(limit: number): Promise<QueuedFix[]> {
  const db = await fieldDb();
  const out: QueuedFix[] = [];
  let cursor = await db.transaction('outbox').store.openCursor();
  while (cursor && out.length < limit) {
    out.push({ key: cursor.key, fix: cursor.value });
    cursor = await cursor.continue();
  }
  return out;
}

/** Removes fixes the server has answered for, in one transaction. */
export async function removeFixes(keys: number[]): Promise<void> {
  const db = await fieldDb();
  const tx = db.transaction('outbox', 'readwrite');
  await Promise.all([...keys.map((key) => tx.store.delete(key)), tx.done]);
}

export async function queuedCount(): Promise<number> {
  const db = await fieldDb();
  return db.count('outbox');
}
