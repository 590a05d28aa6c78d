// The report's words in English and Spanish, and how they are put on the page: both languages side by
// side (labels as "English / Español", sentences one under the other), or one of them.
import type { Lang } from '../../answer/index.js';

export type ReportLangs = readonly Lang[];

const WORDS = {
  title: ['Inquiry report', 'Informe de investigación'],
  incident: ['Incident', 'Incidente'],
  generated: ['Generated', 'Generado'],
  summary: ['Summary', 'Resumen'],
  window: ['Time window (UTC)', 'Ventana de tiempo (UTC)'],
  units: ['Units', 'Unidades'],
  place: ['Place', 'Lugar'],
  openedBy: ['Opened by', 'Abierto por'],
  operator: ['an operator', 'un operador'],
  rule: ['the alert rule', 'la regla de alertas'],
  notes: ['Notes', 'Notas'],
  map: ['Map', 'Mapa'],
  timeline: ['Timeline', 'Cronología'],
  determinations: ['Positions and determinations', 'Posiciones y determinaciones'],
  verification: ['Verification', 'Verificación'],
  unit: ['Unit', 'Unidad'],
  time: ['Time (UTC)', 'Hora (UTC)'],
  position: ['Position', 'Posición'],
  accuracy: ['Accuracy (1σ)', 'Precisión (1σ)'],
  territory: ['Territory', 'Territorio'],
  distance: ['Distance to the line', 'Distancia a la línea'],
  fenceSide: ['Fence side', 'Lado de la cerca'],
  confidence: ['Confidence', 'Confianza'],
  chain: ['Chain entry', 'Entrada de la cadena'],
  recordHashes: ['Records and their hashes', 'Registros y sus hashes'],
  strip: ['strip', 'franja'],
  boundarySide: ['line side', 'lado de la línea'],
  inlandSide: ['inland', 'interior'],
  stripNote: ['strip: in the fence\'s territory between the fence and the line', 'franja: en el territorio de la cerca, entre la cerca y la línea'],
  certain: ['certain', 'segura'],
  notCertain: ['NOT CERTAIN', 'NO ES SEGURA'],
  assumed: ['assumed', 'supuesta'],
  boundary: ['Boundary (treaty line)', 'Límite (línea del tratado)'],
  fence: ['Fence', 'Cerca'],
  illustrative: ['illustrative, not surveyed', 'ilustrativa, no levantada'],
  crossing: ['Crossing', 'Cruce'],
  track: ['track', 'recorrido'],
  north: ['N', 'N'],
  noFixes: ['No positions in the window.', 'Ninguna posición en la ventana.'],
  publicKey: ['Public key of the signing server', 'Clave pública del servidor firmante'],
  howToCheck: ['How to check', 'Cómo comprobar'],
} as const satisfies Record<string, readonly [string, string]>;

export type WordKey = keyof typeof WORDS;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A label in the report's languages, escaped: "Units / Unidades". */
export function label(key: WordKey, langs: ReportLangs): string {
  return langs.map((l) => escapeHtml(WORDS[key][l === 'es' ? 1 : 0])).join(' / ');
}

/** The same label as plain text (for SVG text, escaped there). */
export function word(key: WordKey, lang: Lang): string {
  return WORDS[key][lang === 'es' ? 1 : 0];
}

/** A sentence per language, each its own paragraph marked with its language. */
export function paragraphs(byLang: (lang: Lang) => string, langs: ReportLangs, className = ''): string {
  const cls = className ? ` class="${className}"` : '';
  return langs.map((l) => `<p lang="${l}"${cls}>${escapeHtml(byLang(l))}</p>`).join('\n');
}

export function isoUtc(ms: number): string {
  return new Date(Math.round(ms)).toISOString().replace('.000Z', 'Z');
}

export function clockUtc(ms: number): string {
  return new Date(Math.round(ms)).toISOString().slice(11, 19);
}
