// The phone's own storage (IndexedDB): the fixes waiting for the report server, and the layers the person loaded.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { FeatureCollection } from 'geojson';

/** An SOS (or its cancel) as POST /api/v1/fixes takes it. */
export interface OutboxEmergency {
  state: 'declared' | 'cancelled';
  what: string;
}

/**
 * A fix as POST /api/v1/fixes takes it (src/ingest/json.ts), with the device's own time; or, without lat and
 * lon, an emergency without a position.
 */
export interface OutboxFix {
  unit: string;
  time: string;
  lat?: number;
  lon?: number;
  accuracy_m?: number;
  alt_m?: number;
  speed_mps?: number;
  course_deg?: number;
  /** Set on the fix sent with an SOS, or with its cancel. */
  emergency?: OutboxEmergency;
}

export type LayerRole = 'boundary' | 'fence';

export interface StoredLayer {
  role: LayerRole;
  fileName: string;
  features: FeatureCollection;
  savedMs: number;
}

interface FieldDb extends DBSchema {
  outbox: { key: number; value: OutboxFix };
  layers: { key: LayerRole; value: StoredLayer };
}

let opened: Promise<IDBPDatabase<FieldDb>> | null = null;

export function fieldDb(): Promise<IDBPDatabase<FieldDb>> {
  opened ??= openDB<FieldDb>('lindero-field', 1, {
    upgrade(db) {
      // Auto-increment keys keep the outbox in the order the fixes were taken.
      db.createObjectStore('outbox', { autoIncrement: true });
      db.createObjectStore('layers', { keyPath: 'role' });
    },
  });
  return opened;
}
