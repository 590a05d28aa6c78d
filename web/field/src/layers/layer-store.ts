// Layers the person loaded on this phone, kept in IndexedDB so they work offline and survive a restart.
// Whether any is kept is also noted in localStorage, read at once at start-up: most phones keep none, and
// opening IndexedDB to find that out would hold up the first answer.
import { fieldDb, type LayerRole, type StoredLayer } from '../db.js';

const KEPT_ROLES = 'lindero-field:kept-layers';

/** The roles noted as kept, or null when nothing was noted (an app from before the note, or no localStorage). */
function keptRoles(): LayerRole[] | null {
  try {
    const noted = localStorage.getItem(KEPT_ROLES);
    return noted === null ? null : (JSON.parse(noted) as LayerRole[]);
  } catch {
    return null;
  }
}

function noteKept(role: LayerRole, kept: boolean): void {
  const roles = new Set(keptRoles() ?? []);
  if (kept) roles.add(role);
  else roles.delete(role);
  writeKeptRoles([...roles]);
}

function writeKeptRoles(roles: LayerRole[]): void {
  try {
    localStorage.setItem(KEPT_ROLES, JSON.stringify(roles));
  } catch {
    // A note that cannot be written must not stay behind saying less than is kept: without it, IndexedDB is
    // asked at every start, slower and no less right.
    try {
      localStorage.removeItem(KEPT_ROLES);
    } catch {
      // No localStorage at all: nothing was noted.
    }
  }
}

/** The layers kept on this phone, by role. */
export async function storedLayers(): Promise<Partial<Record<LayerRole, StoredLayer>>> {
  const noted = keptRoles();
  if (noted && noted.length === 0) return {};
  const db = await fieldDb();
  const roles: LayerRole[] = noted ?? ['boundary', 'fence'];
  const layers = await Promise.all(roles.map((role) => db.get('layers', role)));
  const out: Partial<Record<LayerRole, StoredLayer>> = {};
  roles.forEach((role, i) => {
    if (layers[i]) out[role] = layers[i];
  });
  if (!noted) writeKeptRoles(Object.keys(out) as LayerRole[]);
  return out;
}

export async function storeLayer(layer: StoredLayer): Promise<void> {
  const db = await fieldDb();
  await db.put('layers', layer);
  noteKept(layer.role, true);
}

export async function forgetLayer(role: LayerRole): Promise<void> {
  const db = await fieldDb();
  await db.delete('layers', role);
  noteKept(role, false);
}
