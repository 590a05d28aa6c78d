// Times in track files → ms since epoch UTC, or the reason they cannot be used.

/**
 * ISO 8601 / RFC 3339 date-time: "2024-03-01T17:05:09Z", "2024-03-01 17:05:09.250+01:00".
 * Hand-written because Date.parse is lenient in engine-specific ways and reads a time without an
 * offset as local time. Without an offset the time is refused unless the format defines it as UTC
 * (GPX 1.1: "Date and time in are in Universal Coordinated Time (UTC)").
 */
export function parseIsoTime(text: string, assumeUtc = false): number | string {
  const s = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/.exec(s);
  if (!m) return `time "${clip(s)}" is not an ISO 8601 date-time (e.g. 2024-03-01T17:05:09Z)`;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = +m[4];
  const minute = +m[5];
  const second = m[6] === undefined ? 0 : +m[6];
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) {
    return `time "${clip(s)}" is not a real date and time`;
  }
  const zone = m[8];
  if (!zone && !assumeUtc) return `time "${clip(s)}" has no UTC offset (Z or ±hh:mm), so the moment it names is unknown`;
  const fracMs = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
  let ms = Date.UTC(year, month - 1, day, hour, minute, second) + fracMs;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
    if (offsetMin > 18 * 60) return `time "${clip(s)}" has an impossible UTC offset`;
    ms -= (zone[0] === '-' ? -1 : 1) * offsetMin * 60_000;
  }
  return ms;
}

/**
 * Epoch seconds or milliseconds, told apart by magnitude: below 1e11 it is seconds (1e11 s is the year
 * 5138), from 1e11 on it is milliseconds (1e11 ms is March 1973, before any GNSS track). 1e14 and above
 * (microseconds?) is refused.
 */
export function parseEpochTime(value: number): number | string {
  if (!Number.isFinite(value) || value <= 0) return `time ${value} is not a positive epoch time`;
  if (value >= 1e14) return `time ${value} is too large for epoch seconds or milliseconds`;
  return value < 1e11 ? Math.round(value * 1000) : Math.round(value);
}

/** A time field that may be ISO 8601 or an epoch number (CSV, GeoJSON). */
export function parseTimeField(raw: unknown): number | string {
  if (typeof raw === 'number') return parseEpochTime(raw);
  if (typeof raw !== 'string') return `time ${JSON.stringify(raw)} is neither a date-time string nor a number`;
  const s = raw.trim();
  if (s === '') return 'time is empty';
  if (/^[+-]?\d+(\.\d+)?$/.test(s)) return parseEpochTime(Number(s));
  return parseIsoTime(s);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return leap ? 29 : DAYS_IN_MONTH[month - 1];
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
