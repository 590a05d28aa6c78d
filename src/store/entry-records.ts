import type { ChainEntryWithRecord, ChainLeaf, RecordChainEntry, WithRecord } from './store.js';

/** The records chain entries hold, flat, in chain order: a record entry's one, a commit entry's leaves. */
export function entryRecords(entries: readonly ChainEntryWithRecord[]): ((RecordChainEntry | ChainLeaf) & WithRecord)[] {
  return entries.flatMap((e): ((RecordChainEntry | ChainLeaf) & WithRecord)[] => (e.form === 'record' ? [e] : e.leaves));
}
