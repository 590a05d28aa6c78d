// Layers the person loaded on this phone, kept in IndexedDB so they work offline and survive a restart.
import { fieldDb, type LayerRole, type StoredLayer } from '../db.js';

export async function storedLayer(role: LayerRole): Promise<StoredLayer | undefined> {
  const db = await fieldDb();
  return db.get('layers', role);
}

export async function storeLayer(layer: StoredLayer): Promise<void> {
  const db = await fieldDb();
  await db.put('layers', layer);
}

export async function forgetLayer(role: LayerRole): Promise<void> {
  const db = await fieldDb();
  await db.delete('layers', role);
}
