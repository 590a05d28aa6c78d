// What a card is about, from its address: `?unit=NAME` (that unit's latest fix) or `?lat=&lon=&accuracy_m=`.
import { api } from '../api/client.js';
import type { CardFacts } from './card.js';

export type CardQuery =
  | { kind: 'unit'; unit: string }
  | { kind: 'point'; lat: number; lon: number; accuracyM?: number }
  | { kind: 'none' };

export function parseCardQuery(search: string): CardQuery {
  const q = new URLSearchParams(search);
  const unit = q.get('unit');
  if (unit) return { kind: 'unit', unit };
  const lat = q.get('lat'), lon = q.get('lon'), accuracy = q.get('accuracy_m');
  if (lat === null || lon === null) return { kind: 'none' };
  // The server checks ranges and says what is wrong; here only the form is taken.
  return { kind: 'point', lat: Number(lat), lon: Number(lon), accuracyM: accuracy ? Number(accuracy) : undefined };
}

export class NoPositionError extends Error {
  constructor(readonly unit: string) {
    super(unit);
  }
}

/** The facts to put on the card, asked of the server. */
export async function loadCardFacts(query: Exclude<CardQuery, { kind: 'none' }>): Promise<CardFacts> {
  const config = await api.config().catch(() => null);
  const territories = config?.territories;
  if (query.kind === 'point') {
    const where = await api.where(query.lat, query.lon, query.accuracyM);
    return { where, timeMs: Date.now(), territories };
  }
  const unit = (await api.units()).find((u) => u.unit === query.unit);
  if (!unit) throw new NoPositionError(query.unit);
  const fix = unit.last_fix;
  // The where answer for the fix's own position and accuracy: the same verdict, with its MGRS.
  const where = await api.where(fix.lat, fix.lon, fix.accuracy_m);
  return { where, timeMs: fix.time_ms, unit: query.unit, territories };
}
