// Numbers, distances, directions and times as a person reads them in the chosen language.
// Distances, compass points and country names come from src/answer, so the map says exactly what `lindero where` says.
import { compassPoint, floorPercent, formatDistance, territoryName } from '../../src/answer/index.js';
import { localeOf, type Lang } from './i18n/i18n.js';
import { formatMgrs as coordsMgrs, spaceMgrs } from '../../src/coords/index.js';

export { compassPoint, formatDistance, territoryName };

/** "31.761234, -106.487654": signed decimal degrees, the form every GPS and `lindero where` accept. */
export function formatDd(lat: number, lon: number): string {
  const fixed = (x: number) => {
    const text = x.toFixed(6);
    return Number(text) === 0 ? text.replace('-', '') : text;
  };
  return `${fixed(lat)}, ${fixed(lon)}`;
}

/** "13R CR 12345 67890" (1 m; UPS beyond 84°N / 80°S), as the CLI writes it; "" if the position has none. */
export function formatMgrs(lat: number, lon: number): string {
  try {
    return coordsMgrs(lat, lon, 5, { spaced: true });
  } catch {
    return '';
  }
}

export { spaceMgrs };

export function formatNumber(x: number, lang: Lang, maximumFractionDigits = 0): string {
  return x.toLocaleString(localeOf(lang), { maximumFractionDigits });
}

/** Confidence as a percentage, rounded down so that 0.99996 never reads as 100 % (the same in both languages). */
export function formatPercent(probability: number, _lang: Lang): string {
  return floorPercent(probability);
}

/** Whole-degree bearing, 0–359. */
export const formatBearing = (bearingDeg: number): number => Math.round(bearingDeg) % 360;

/**
 * How times are written: the time of day, date and time, each with the zone's short name, and date and time
 * with the zone spelled out. The live alerts, a partner's last fix and the messages (time of day), the history,
 * incidents, link times and acknowledgements (date and time) are read beside a partner's own clock, which may keep
 * another zone (the line crosses the Pacific, Mountain and Central zones, and Mexico away from the border keeps no
 * summer time), so the zone is said. dateStyle/timeStyle cannot be combined with timeZoneName, hence the fields.
 */
const TIME_STYLES = {
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' },
  dateTime: { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', timeZoneName: 'short' },
  dateTimeZone: { dateStyle: 'long', timeStyle: 'long' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/** One formatter per style and language, made when first asked for (lists format hundreds of times at once). */
const timeFormats = new Map<string, Intl.DateTimeFormat>();
function timeFormat(style: keyof typeof TIME_STYLES, lang: Lang): Intl.DateTimeFormat {
  const key = `${style} ${lang}`;
  let f = timeFormats.get(key);
  if (!f) timeFormats.set(key, (f = new Intl.DateTimeFormat(localeOf(lang), TIME_STYLES[style])));
  return f;
}

/** Time of day with the zone's short name ("14:03:22 MST"). */
export function formatTime(ms: number, lang: Lang): string {
  return timeFormat('time', lang).format(ms);
}

/** Date and time with the zone's short name ("Dec 7, 2026, 5:13:41 AM MST"). */
export function formatDateTime(ms: number, lang: Lang): string {
  return timeFormat('dateTime', lang).format(ms);
}

/** Date and time with the zone spelled out, for the card a person may photograph. */
export function formatDateTimeZone(ms: number, lang: Lang): string {
  return timeFormat('dateTimeZone', lang).format(ms);
}
