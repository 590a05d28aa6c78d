// Which bucket a unit's live rules belong to. On several nodes each bucket is leased to one node
// (pg-unit-leases.ts), and each bucket's watermark (the last fix its rules evaluated) is stored: the hash
// is part of the stored data's meaning and must never change.

/** Buckets the units are hashed into (rule_buckets holds one row for each). */
export const RULE_BUCKETS = 64;

/** The unit's bucket: FNV-1a (32 bits) over its UTF-16 code units, modulo RULE_BUCKETS. */
export function unitBucket(unit: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < unit.length; i++) {
    hash ^= unit.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % RULE_BUCKETS;
}
