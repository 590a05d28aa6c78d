// The table of determinations: every attached fix with the answer lindero gave for it when it arrived
// (the same numbers `lindero where --json` prints for that position and accuracy), and its place in
// the evidence chain. Each row carries those numbers as data attributes for machine checks.
import { territoryName, whereJson } from '../../answer/index.js';
import { formatMgrs } from '../../coords/index.js';
import type { StoredFix } from '../../store/index.js';
import { bundleRecords, type EvidenceBundle } from '../bundle.js';
import type { IncidentEvidence } from '../types.js';
import { clockUtc, escapeHtml, isoUtc, label, type ReportLangs } from './text.js';

function fenceCell(w: ReturnType<typeof whereJson>, langs: ReportLangs): string {
  if (w.zone === 'strip') return label('strip', langs);
  if (!w.fence) return '—';
  return label(w.fence.side === 'boundary' ? 'boundarySide' : 'inlandSide', langs);
}

function row(fix: StoredFix, chain: Map<string, { n: number; recordHash: string }>, langs: ReportLangs): string {
  const mgrs = formatMgrs(fix.lat, fix.lon);
  const w = whereJson(fix.determination, mgrs);
  const link = chain.get(`fix:${fix.id}`);
  const attrs = {
    'fix-id': fix.id, unit: fix.unit, time: isoUtc(fix.time), lat: w.lat, lon: w.lon, 'accuracy-m': w.accuracy_m, territory: w.territory,
    'distance-m': w.boundary.distance_m, confidence: w.confidence, certain: w.certain, 'fence-side': w.fence?.side ?? '', zone: w.zone,
    'chain-n': link?.n ?? '', 'record-hash': link?.recordHash ?? '',
  };
  const data = Object.entries(attrs).map(([k, v]) => `data-${k}="${escapeHtml(String(v))}"`).join(' ');
  const sure = w.certain ? '✓' : `<strong>${label('notCertain', langs)}</strong>`;
  return `<tr ${data}${w.certain ? '' : ' class="uncertain"'}><td>${escapeHtml(fix.unit)}</td><td>${clockUtc(fix.time)}</td>` +
    `<td>${w.lat.toFixed(6)}, ${w.lon.toFixed(6)} <small>${escapeHtml(mgrs)}</small></td><td>±${w.accuracy_m} m${w.accuracy_assumed ? ` (${label('assumed', langs)})` : ''}</td>` +
    `<td>${escapeHtml(w.territory ?? '—')}</td><td>${w.boundary.distance_m.toFixed(1)} m</td><td>${fenceCell(w, langs)}</td>` +
    `<td>${(w.confidence * 100).toFixed(4)} % ${sure}</td><td>${link ? `#${link.n}` : '—'}</td></tr>`;
}

/** Chain position and record hash of each record in the bundle, keyed "kind:id". */
export function chainIndex(bundle: EvidenceBundle | null): Map<string, { n: number; recordHash: string }> {
  const index = new Map<string, { n: number; recordHash: string }>();
  for (const r of bundle ? bundleRecords(bundle) : []) index.set(`${r.kind}:${String(r.record.id)}`, { n: r.n, recordHash: r.recordHash });
  return index;
}

export function renderDeterminations(evidence: IncidentEvidence, bundle: EvidenceBundle | null, langs: ReportLangs): string {
  const chain = chainIndex(bundle);
  const fixes = evidence.units.flatMap((u) => u.fixes).sort((a, b) => a.time - b.time || a.id - b.id);
  if (fixes.length === 0) return `<p>${label('noFixes', langs)}</p>`;
  const head = (['unit', 'time', 'position', 'accuracy', 'territory', 'distance', 'fenceSide', 'confidence', 'chain'] as const)
    .map((k) => `<th>${label(k, langs)}</th>`).join('');
  const territories = [...new Set(fixes.map((f) => f.determination.territory))]
    .map((t) => `${escapeHtml(t ?? '—')}: ${langs.map((l) => escapeHtml(territoryName(t, l))).join(' / ')}`).join('; ');
  const key = `<p class="small">${territories}. ${label('stripNote', langs)}. ${langs.map((l) => (l === 'es' ? 'Horas UTC del' : 'Times UTC on')).join(' / ')} ${isoUtc(fixes[0].time).slice(0, 10)}.</p>`;
  return `${key}<table class="determinations"><thead><tr>${head}</tr></thead><tbody>\n${fixes.map((f) => row(f, chain, langs)).join('\n')}\n</tbody></table>`;
}
