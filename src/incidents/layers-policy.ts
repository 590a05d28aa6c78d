// Which boundary and fences the server classifies against is policy: it is recorded in the evidence
// chain when a server starts with layers different from the last ones recorded.
import { createHash } from 'node:crypto';
import type { Layers } from '../geo/index.js';
import type { Store, StoredPolicyChange } from '../store/index.js';

type LineSetLike = { lines: { name: string; left: string; right: string; firstVertex: number; lastVertex: number }[]; lonDeg: Float64Array; latDeg: Float64Array };

function digest(sets: (LineSetLike | null)[]): string {
  const hash = createHash('sha256');
  for (const set of sets) {
    if (!set) continue;
    for (const line of set.lines) hash.update(`${line.name}\u0000${line.left}\u0000${line.right}\u0000`);
    hash.update(new Uint8Array(set.lonDeg.buffer, set.lonDeg.byteOffset, set.lonDeg.byteLength));
    hash.update(new Uint8Array(set.latDeg.buffer, set.latDeg.byteOffset, set.latDeg.byteLength));
  }
  return hash.digest('hex');
}

/** What is recorded of the layers: names, provenance and a SHA-256 of the compiled geometry. */
export function layersRecord(layers: Layers): Record<string, unknown> {
  return {
    boundary: layers.boundaryInfo.map((b) => ({ name: b.name, left: b.left, right: b.right, provenance: b.provenance ?? null })),
    fences: layers.fenceInfo.map((f) => ({ name: f.name, territory: f.territory, illustrative: f.illustrative, provenance: f.provenance ?? null })),
    geometry_sha256: digest([layers.boundary as LineSetLike, layers.fences as LineSetLike | null]),
  };
}

/** Appends a "layers" policy change unless the last one recorded is the same; returns it, or null when unchanged. */
export async function recordLayers(store: Store, layers: Layers): Promise<StoredPolicyChange | null> {
  const record = layersRecord(layers);
  const last = (await store.policyChanges('layers')).pop();
  if (last && last.record.geometry_sha256 === record.geometry_sha256 && JSON.stringify(last.record) === JSON.stringify(record)) return null;
  return store.appendPolicyChange('layers', record);
}
