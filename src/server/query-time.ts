import { LinderoError } from '../model/index.js';

/**
 * A device time from a query parameter: ms since epoch (digits), or ISO 8601 with a time zone
 * (RFC 3339). A zone-less time is refused: it would mean the server's local time.
 */
export function queryTime(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  if (/^-?\d{1,16}$/.test(text)) return Number(text);
  const m = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/i.exec(text);
  const ms = m && (m[1] || text.length === 10) ? Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text.replace(' ', 'T')) : NaN;
  if (!Number.isFinite(ms)) {
    throw new LinderoError('bad-time', `${field} must be ms since epoch or an ISO 8601 time with a zone (e.g. 2025-03-01T12:00:00Z), not ${JSON.stringify(text.slice(0, 40))}`, { field });
  }
  return ms;
}

/** A decimal number from a query parameter, or an error naming it (an empty value is not zero). */
export function queryNumber(text: string, field: string, min: number, max: number): number {
  const n = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new LinderoError('bad-number', `${field} must be a number from ${min} to ${max}, not ${JSON.stringify(text.slice(0, 40))}`, { field });
  }
  return n;
}
