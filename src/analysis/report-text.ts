// The plain-text report of `lindero track`: one block per unit, in English or Spanish.
import { formatDistance, territoryName, type Lang } from '../answer/index.js';
import { OUTSIDE } from './interval.js';
import type { TrackReport, UnitReport } from './report.js';

const WORDS = {
  en: {
    fix: 'fix', fixes: 'fixes', from: 'from ', to: 'to', crossings: 'Crossings', confirmedCount: 'confirmed', confirmed: 'confirmed', unconfirmed: 'not confirmed',
    closest: 'Closest approach', in: 'in', atTime: 'at', atDay: 'on', timeIn: 'Time in territory', strip: 'Strip', entry: 'entry', entries: 'entries',
    deepest: 'Deepest', never: 'never', gaps: 'Gaps', none: 'none', sideChanged: 'side changed', sameSide: 'same side',
    emergencies: 'EMERGENCIES', declared: 'declared', cancelled: 'cancelled', fromLine: 'from the line',
    more: (n: number) => `… and ${n} more (see --json)`, rejected: (n: number) => `Records not used: ${n}`, noUnits: 'No fixes to analyse.',
  },
  es: {
    fix: 'posición', fixes: 'posiciones', from: 'de ', to: 'a', crossings: 'Cruces', confirmedCount: 'confirmados', confirmed: 'confirmado', unconfirmed: 'sin confirmar',
    closest: 'Máximo acercamiento', in: 'en', atTime: 'a las', atDay: 'el', timeIn: 'Tiempo por territorio', strip: 'Franja', entry: 'entrada', entries: 'entradas',
    deepest: 'Máxima profundidad', never: 'nunca', gaps: 'Interrupciones', none: 'ninguna', sideChanged: 'cambió de lado', sameSide: 'mismo lado',
    emergencies: 'EMERGENCIAS', declared: 'declarada', cancelled: 'cancelada', fromLine: 'de la línea',
    more: (n: number) => `… y ${n} más (véase --json)`, rejected: (n: number) => `Registros no utilizados: ${n}`, noUnits: 'No hay posiciones que analizar.',
  },
};

/** Crossings (and emergencies) listed one per line up to this many; the rest are counted. */
const MAX_LISTED = 20;
const LABEL_WIDTH = 24;

export function trackReportText(report: TrackReport, lang: Lang): string {
  const w = WORDS[lang];
  const blocks = report.units.map((u) => unitBlock(u, lang, report.fences));
  if (blocks.length === 0) blocks.push(w.noUnits);
  if (report.rejected.length > 0) {
    const lines = report.rejected.slice(0, 50).map((r) => `  ${r.file}${r.line > 0 ? `:${r.line}` : ''}  ${r.reason}`);
    if (report.rejected.length > 50) lines.push(`  ${w.more(report.rejected.length - 50)}`);
    blocks.push([w.rejected(report.rejected.length), ...lines].join('\n'));
  }
  return blocks.join('\n\n') + '\n';
}

function unitBlock(u: UnitReport, lang: Lang, fences: boolean): string {
  const w = WORDS[lang];
  const name = (code: string | null) => territoryName(code === OUTSIDE ? null : code, lang);
  const row = (label: string, value: string) => `  ${label.padEnd(LABEL_WIDTH)}${value}`;
  const confirmed = u.crossings.filter((c) => c.confirmed).length;
  const lines = [`${u.unit} — ${u.points.toLocaleString(locale(lang))} ${u.points === 1 ? w.fix : w.fixes}, ${w.from}${when(u.start)} ${w.to} ${when(u.end, u.start)}`];
  // An emergency first, as the live server puts it first; only when there was one.
  if (u.emergencies.length > 0) lines.push(row(w.emergencies, String(u.emergencies.length)));
  for (const e of u.emergencies.slice(0, MAX_LISTED)) {
    lines.push(`    ${when(e.time, u.start)}  ${e.state === 'declared' ? w.declared : w.cancelled} (${JSON.stringify(e.what)})  ${w.in} ${name(e.territory)}, ${formatDistance(e.distanceM, lang)} ${w.fromLine}  ${latLon(e.lat, e.lon)}`);
  }
  if (u.emergencies.length > MAX_LISTED) lines.push(`    ${w.more(u.emergencies.length - MAX_LISTED)}`);
  lines.push(row(w.crossings, u.crossings.length === 0 ? w.none : `${u.crossings.length} (${confirmed} ${w.confirmedCount})`));
  for (const c of u.crossings.slice(0, MAX_LISTED)) {
    lines.push(`    ${when(c.time, u.start)}  ${name(c.from)} → ${name(c.to)}  ${latLon(c.lat, c.lon)}  ${c.confirmed ? w.confirmed : w.unconfirmed}`);
  }
  if (u.crossings.length > MAX_LISTED) lines.push(`    ${w.more(u.crossings.length - MAX_LISTED)}`);
  const ca = u.closestApproach;
  lines.push(row(w.closest, `${formatDistance(ca.distanceM, lang)}, ${w.in} ${name(ca.territory)}, ${sameDay(ca.time, u.start) ? w.atTime : w.atDay} ${when(ca.time, u.start)} (${latLon(ca.lat, ca.lon)})`));
  lines.push(row(w.timeIn, Object.entries(u.timeInS).map(([t, s]) => `${name(t)} ${duration(s)}`).join(' · ')));
  if (fences) {
    lines.push(row(w.strip, `${u.strip.entries} ${u.strip.entries === 1 ? w.entry : w.entries}, ${duration(u.strip.seconds)}`));
  }
  lines.push(row(w.deepest, Object.entries(u.maxDepthM).map(([t, m]) => `${name(t)} ${m === null ? w.never : formatDistance(m, lang)}`).join(' · ')));
  const gaps = u.gaps.map((g) => `${when(g.from, u.start)} – ${when(g.to, g.from)} (${duration((g.to - g.from) / 1000)}, ${g.crossed ? w.sideChanged : w.sameSide})`);
  lines.push(row(w.gaps, gaps.length === 0 ? w.none : gaps[0]));
  for (const g of gaps.slice(1)) lines.push(`  ${''.padEnd(LABEL_WIDTH)}${g}`);
  return lines.join('\n');
}

function locale(lang: Lang): string {
  return lang === 'es' ? 'es-MX' : 'en-US';
}

/** "2024-03-12 15:04:04 UTC", or only the time of day when it is the same UTC day as `sameDayAs`. */
function when(ms: number, sameDayAs?: number): string {
  const iso = new Date(Math.round(ms)).toISOString();
  const day = iso.slice(0, 10), time = iso.slice(11, 19);
  return sameDayAs !== undefined && sameDay(ms, sameDayAs) ? `${time} UTC` : `${day} ${time} UTC`;
}

function sameDay(a: number, b: number): boolean {
  return new Date(Math.round(a)).toISOString().slice(0, 10) === new Date(Math.round(b)).toISOString().slice(0, 10);
}

function latLon(lat: number, lon: number): string {
  return `${lat.toFixed(6)}, ${lon.toFixed(6)}`;
}

/** "1 h 52 min", "3 min 4 s", "12 s" (the same in both languages). */
function duration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return r > 0 ? `${m} min ${r} s` : `${m} min`;
  return `${r} s`;
}
