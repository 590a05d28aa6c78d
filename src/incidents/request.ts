// An operator's request to open an incident, read from the API's JSON: {from, to, units, place?, note?}.
import { parsePosition, POINT_CELL_M } from '../coords/index.js';
import { isLinderoError, LinderoError, MAX_TIME_MS } from '../model/index.js';
import type { IncidentPlace, IncidentRequest } from './types.js';

/** Longest window an operator may open, ms: a year. */
export const MAX_WINDOW_MS = 366 * 86_400_000;
export const MAX_NOTE_CHARS = 4000;

const bad = (message: string, field: string) => new LinderoError('bad-incident', message, { field });

/** A time given as ms since epoch or ISO 8601 with a zone (RFC 3339); a zone-less time would be the server's local time. */
export function requestTime(value: unknown, field: string): number {
  // A JSON number may reach here as digits: the schema's validator coerces it to the union's string branch.
  const ms = typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof ms === 'number' && Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME_MS) return ms;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  throw bad(`${field} must be ms since epoch or an ISO 8601 time with a zone (e.g. 2019-04-13T15:00:00Z), not ${JSON.stringify(value)?.slice(0, 60)}`, field);
}

function place(value: unknown): IncidentPlace | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') {
    try {
      const p = parsePosition(value);
      // A square larger than a point is kept: the report must not print a place given to the minute as a point.
      return p.precisionM !== undefined && p.precisionM > POINT_CELL_M ? { lat: p.lat, lon: p.lon, squareM: p.precisionM } : { lat: p.lat, lon: p.lon };
    } catch (e) {
      if (!isLinderoError(e)) throw e;
      throw bad(`place: ${e.message}`, 'place');
    }
  }
  const p = value as { lat?: unknown; lon?: unknown; name?: unknown };
  if (typeof p.lat !== 'number' || p.lat < -90 || p.lat > 90) throw bad('place.lat must be a latitude from -90 to 90', 'place.lat');
  if (typeof p.lon !== 'number' || p.lon < -180 || p.lon > 180) throw bad('place.lon must be a longitude from -180 to 180', 'place.lon');
  if (p.name !== undefined && (typeof p.name !== 'string' || p.name.length > 200)) throw bad('place.name must be text of at most 200 characters', 'place.name');
  return p.name ? { lat: p.lat, lon: p.lon, name: p.name } : { lat: p.lat, lon: p.lon };
}

/** The request, checked: a window of at most a year, 1–100 distinct units, a place and a note. */
export function incidentRequest(body: { from: unknown; to: unknown; units: unknown; place?: unknown; note?: unknown }): IncidentRequest {
  const fromMs = requestTime(body.from, 'from');
  const toMs = requestTime(body.to, 'to');
  if (toMs < fromMs) throw bad('`to` is before `from`', 'to');
  if (toMs - fromMs > MAX_WINDOW_MS) throw bad('the window is longer than a year', 'to');
  const units = body.units;
  if (!Array.isArray(units) || units.length === 0 || units.length > 100 || !units.every((u) => typeof u === 'string' && u.length > 0 && u.length <= 256)) {
    throw bad('units must be a list of 1 to 100 unit ids', 'units');
  }
  if (body.note !== undefined && (typeof body.note !== 'string' || body.note.length > MAX_NOTE_CHARS)) {
    throw bad(`note must be text of at most ${MAX_NOTE_CHARS} characters`, 'note');
  }
  const request: IncidentRequest = { fromMs, toMs, units: [...new Set(units as string[])], place: place(body.place) };
  if (typeof body.note === 'string' && body.note.trim()) request.note = body.note.trim();
  return request;
}
