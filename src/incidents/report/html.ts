// The inquiry report: one self-contained HTML file (no scripts, no external resources) that a person
// reads in any browser or on paper, without lindero.
import { formatDistance, type Lang } from '../../answer/index.js';
import { formatMgrs } from '../../coords/index.js';
import type { Layers } from '../../geo/index.js';
import type { IncidentEvidence } from '../types.js';
import { REPORT_CSS } from './style.js';
import { renderMap, UNIT_COLOURS } from './svg-map.js';
import { renderDeterminations } from './table.js';
import { escapeHtml, isoUtc, label, paragraphs, word, type ReportLangs, type WordKey } from './text.js';
import { renderTimeline } from './timeline.js';
import { renderVerification, type VerificationInput } from './verification.js';

export interface ReportInput {
  evidence: IncidentEvidence;
  layers: Layers;
  verification: VerificationInput;
  generatedMs: number;
  /** Languages, in order; the first also names the map's territories. */
  langs: ReportLangs;
  /** A line under the title, e.g. what a demonstration scenario is modelled on. */
  subtitle?: string;
}

function openedBy(e: IncidentEvidence, lang: Lang): string {
  const o = e.incident.openedBy;
  const at = isoUtc(e.incident.openedMs);
  if (o.by === 'rule') {
    return lang === 'es' ? `la regla de alertas, por la alerta ${o.alertId} (${o.alertKind}), el ${at}` : `the alert rule, on alert ${o.alertId} (${o.alertKind}), at ${at}`;
  }
  const who = o.label ? ` (${o.label})` : '';
  return lang === 'es' ? `un operador${who}, el ${at}` : `an operator${who}, at ${at}`;
}

/** A place given as a square is its centre, and the report says so: not a point to the sixth decimal. */
function placeSquare(squareM: number | undefined, langs: ReportLangs): string {
  if (squareM === undefined) return '';
  return langs.map((l) => `<br><span lang="${l}">${escapeHtml(l === 'es'
    ? `centro del cuadrado de ${formatDistance(squareM, 'es')} al que se dio el lugar`
    : `the centre of the ${formatDistance(squareM, 'en')} square the place was given to`)}</span>`).join('');
}

function summary(input: ReportInput): string {
  const { evidence: e, langs } = input;
  const i = e.incident;
  const units = e.units.map((u, k) => `<span class="swatch" style="background:${UNIT_COLOURS[k % UNIT_COLOURS.length]}"></span>${escapeHtml(u.unit)} (${u.fixes.length})`).join(', ');
  const place = i.place
    ? `${i.place.name ? `${escapeHtml(i.place.name)}: ` : ''}${i.place.lat.toFixed(6)}, ${i.place.lon.toFixed(6)} (MGRS ${escapeHtml(formatMgrs(i.place.lat, i.place.lon))})${placeSquare(i.place.squareM, langs)}`
    : '—';
  const notes = i.notes.map((n) => `<li>${isoUtc(n.timeMs)}: ${escapeHtml(n.text)}</li>`).join('');
  const rows: [WordKey, string][] = [
    ['window', `${isoUtc(i.fromMs)} – ${isoUtc(i.toMs)}`],
    ['units', units],
    ['place', place],
    ['openedBy', langs.map((l) => escapeHtml(openedBy(e, l))).join('<br>')],
  ];
  if (notes) rows.push(['notes', `<ul>${notes}</ul>`]);
  return `<table class="summary">${rows.map(([k, v]) => `<tr><th>${label(k, langs)}</th><td>${v}</td></tr>`).join('')}</table>`;
}

function legend(input: ReportInput, fences: { name: string; illustrative: boolean }[]): string {
  const { langs, layers } = input;
  const boundaries = [...new Set(layers.boundaryInfo.map((b) => b.name))].map(escapeHtml).join(', ');
  const items = [`<li><span class="key boundary"></span>${label('boundary', langs)}: ${boundaries}</li>`];
  for (const f of fences) {
    const ill = f.illustrative ? ` — <strong>${label('illustrative', langs)}</strong>` : '';
    items.push(`<li><span class="key fence${f.illustrative ? ' illustrative' : ''}"></span>${label('fence', langs)}: ${escapeHtml(f.name)}${ill}</li>`);
  }
  items.push(`<li><span class="key crossing">✕</span>${label('crossing', langs)}</li>`);
  return `<ul class="legend">${items.join('')}</ul>`;
}

export function renderReport(input: ReportInput): string {
  const { evidence, langs } = input;
  const id = evidence.incident.id;
  const map = renderMap(evidence, input.layers, langs);
  const title = `${label('incident', langs)} ${id} — ${label('title', langs)}`;
  const lang: Lang = langs[0];
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(langs.map((l) => `${word('incident', l)} ${id} — ${word('title', l)}`).join(' / '))}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header><h1>${title}</h1>
${input.subtitle ? `<p class="subtitle">${escapeHtml(input.subtitle)}</p>` : ''}
<p class="small">${label('generated', langs)}: ${isoUtc(input.generatedMs)} · lindero</p></header>
<section id="summary"><h2>${label('summary', langs)}</h2>
${summary(input)}
</section>
<section id="map"><h2>${label('map', langs)}</h2>
<figure>${map.svg}<figcaption>${legend(input, map.fences)}</figcaption></figure>
</section>
<section id="timeline"><h2>${label('timeline', langs)}</h2>
${renderTimeline(evidence, langs)}
</section>
<section id="determinations"><h2>${label('determinations', langs)}</h2>
${paragraphs(determinationsNote, langs, 'small')}
${renderDeterminations(evidence, input.verification.bundle, langs)}
</section>
<section id="verification"><h2>${label('verification', langs)}</h2>
${renderVerification(input.verification, langs)}
</section>
</body>
</html>
`;
}

function determinationsNote(lang: Lang): string {
  if (lang === 'es') {
    return 'Cada posición con la respuesta que lindero dio al recibirla: el territorio según la línea del tratado (no la cerca), la distancia geodésica a la línea y la probabilidad de estar del lado indicado dada la precisión del GPS.';
  }
  return 'Each position with the answer lindero gave when it arrived: the territory by the treaty line (not the fence), the geodesic distance to the line, and the chance of being on the stated side given the GPS accuracy.';
}
