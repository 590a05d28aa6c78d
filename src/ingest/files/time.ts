// Times in track files → ms since epoch UTC, or the reason they cannot be used.

/**
 * ISO 8601 / RFC 3339 date-time: "2024-03-01T17:05:09Z", "2024-03-01 17:05:09.250+01:00".
 * Hand-written because Date.parse is lenient in engine-specific ways and reads a time without an
 * offset as local time (and this runs once per track point, so it reads characters, not a regex).
 * Without an offset the time is refused unless the format defines it as UTC
 * (GPX 1.1: "Date and time in are in Universal Coordinated Time (UTC)").
 */
export function parseIsoTime(text: string, assumeUtc = false): number | string {
  const s = text.length > 0 && text.charCodeAt(0) > 32 && text.charCodeAt(text.length - 1) > 32 ? text : text.trim();
  const sep = s[10];
  if (s.length < 16 || s[4] !== '-' || s[7] !== '-' || (sep !== 'T' && sep !== 't' && sep !== ' ') || s[13] !== ':') return notIso(s);
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  let second = 0;
  let fracMs = 0;
  let i = 16;
  if (s[i] === ':') {
    second = digits(s, i + 1, 2);
    i += 3;
    if (s[i] === '.') {
      let j = i + 1;
      while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
      if (j === i + 1) return notIso(s);
      // Up to milliseconds the digits are the ms; finer fractions are rounded as a number.
      fracMs = j - i <= 4 ? digits(s, i + 1, j - i - 1) * (j - i === 2 ? 100 : j - i === 3 ? 10 : 1) : Math.round(Number(s.slice(i, j)) * 1000);
      i = j;
    }
  }
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return notIso(s);
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) {
    return `time "${clip(s)}" is not a real date and time`;
  }
  const utcMs = dayStartMs(year, month, day) + ((hour * 60 + minute) * 60 + second) * 1000 + fracMs;
  if (i === s.length - 1 && (s.charCodeAt(i) | 32) === 122) return utcMs; // Z or z
  const zone = s.slice(i);
  if (zone === '') return assumeUtc ? utcMs : `time "${clip(s)}" has no UTC offset (Z or ±hh:mm), so the moment it names is unknown`;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return notIso(s);
  const offsetMin = Number(m[2]) * 60 + Number(m[3] ?? 0);
  if (offsetMin > 18 * 60) return `time "${clip(s)}" has an impossible UTC offset`;
  return utcMs - (m[1] === '-' ? -1 : 1) * offsetMin * 60_000;
}

/** Tracks are mostly one day long: its start is worked out once. */
let lastDayKey = -1;
let lastDayMs = 0;

function dayStartMs(year: number, month: number, day: number): number {
  const key = (year * 100 + month) * 100 + day;
  if (key !== lastDayKey) {
    lastDayMs = Date.UTC(year, month - 1, day);
    lastDayKey = key;
  }
  return lastDayMs;
}

/** The value of `n` decimal digits at `start`, or -1 if any is not a digit. */
function digits(s: string, start: number, n: number): number {
  let value = 0;
  for (let k = start; k < start + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    value = value * 10 + c;
  }
  return value;
}

function notIso(s: string): string {
  return `time "${clip(s)}" is not an ISO 8601 date-time (e.g. 2024-03-01T17:05:09Z)`;
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
