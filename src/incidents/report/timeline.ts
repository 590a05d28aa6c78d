// The report's timeline: what happened in the field, by device time — each unit's first and last
// position in the window, its alerts and the crossings the track analysis found.
import { formatDistance, territoryName, type Lang } from '../../answer/index.js';
import { alertMessage } from '../../answer/index.js';
import type { IncidentEvidence } from '../types.js';
import { clockUtc, escapeHtml, isoUtc, label, type ReportLangs } from './text.js';

interface Moment {
  time: number;
  unit: string;
  kind: string;
  say: (lang: Lang) => string;
}

function crossingText(unit: string, from: string, to: string, confirmed: boolean, lang: Lang): string {
  const a = territoryName(from, lang);
  const b = territoryName(to, lang);
  if (lang === 'es') return `${unit} cruza el límite de ${a} a ${b}${confirmed ? ' (confirmado a 3 sigma)' : ' (sin confirmar a 3 sigma)'}.`;
  return `${unit} crosses the boundary from ${a} into ${b}${confirmed ? ' (confirmed beyond 3 sigma)' : ' (not confirmed beyond 3 sigma)'}.`;
}

function positionText(unit: string, first: boolean, territory: string | null, distanceM: number, lang: Lang): string {
  const where = territoryName(territory, lang);
  if (lang === 'es') return `${first ? 'Primera' : 'Última'} posición de ${unit} en la ventana: en ${where}, a ${formatDistance(distanceM, 'es')} del límite.`;
  return `${first ? 'First' : 'Last'} position of ${unit} in the window: in ${where}, ${formatDistance(distanceM, 'en')} from the boundary.`;
}

function moments(evidence: IncidentEvidence): Moment[] {
  const out: Moment[] = [];
  for (const u of evidence.units) {
    const ends = u.fixes.length > 1 ? [u.fixes[0], u.fixes[u.fixes.length - 1]] : u.fixes;
    ends.forEach((f, i) => {
      const d = f.determination;
      out.push({ time: f.time, unit: u.unit, kind: 'position', say: (l) => positionText(u.unit, i === 0, d.territory, d.boundary.distanceM, l) });
    });
    for (const c of u.crossings) out.push({ time: c.time, unit: u.unit, kind: 'crossing', say: (l) => crossingText(u.unit, c.from, c.to, c.confirmed, l) });
  }
  for (const a of evidence.alerts) out.push({ time: a.time, unit: a.unit, kind: `alert ${a.kind}`, say: (l) => alertMessage(a, l) });
  // Stable: at one instant, positions, then crossings, then alerts, as they were pushed.
  return out.map((m, i) => ({ m, i })).sort((x, y) => x.m.time - y.m.time || x.i - y.i).map(({ m }) => m);
}

export function renderTimeline(evidence: IncidentEvidence, langs: ReportLangs): string {
  const rows = moments(evidence).map((m) => {
    const text = langs.map((l) => `<span lang="${l}">${escapeHtml(m.say(l))}</span>`).join('<br>');
    return `<tr class="${escapeHtml(m.kind)}"><td><time datetime="${isoUtc(m.time)}">${clockUtc(m.time)}</time></td><td>${escapeHtml(m.unit)}</td><td>${text}</td></tr>`;
  });
  return `<table class="timeline"><thead><tr><th>${label('time', langs)}</th><th>${label('unit', langs)}</th><th></th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}
