// The report's map as SVG, drawn from the data alone (no tiles): the boundary, fences, each unit's
// track and timed positions, crossings, a scale bar and a north arrow.
import { formatDistance, territoryName, type Lang } from '../../answer/index.js';
import { classify, type Layers } from '../../geo/index.js';
import type { IncidentEvidence } from '../types.js';
import { LocalProjection, niceLengthM, type Bounds } from './projection.js';
import { clockUtc, escapeHtml, word, type ReportLangs } from './text.js';

const WIDTH_PX = 820;
/** Colour-blind-safe palette (Okabe & Ito, 2008), one colour per unit. */
export const UNIT_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
const MAX_TIME_LABELS = 10;
/** Least distance between two time labels of one unit, pixels: a unit standing still gets one label. */
const LABEL_SPACING_PX = 70;

type LineSetLike = { lines: { firstVertex: number; lastVertex: number }[]; lonDeg: Float64Array; latDeg: Float64Array };

const fmt = (v: number) => v.toFixed(1);
const inside = (b: Bounds, lon: number, lat: number) => lon >= b.west && lon <= b.east && lat >= b.south && lat <= b.north;

function evidenceBounds(evidence: IncidentEvidence): Bounds {
  const b = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
  const add = (lon: number, lat: number) => {
    b.west = Math.min(b.west, lon); b.east = Math.max(b.east, lon);
    b.south = Math.min(b.south, lat); b.north = Math.max(b.north, lat);
  };
  for (const u of evidence.units) {
    for (const f of u.fixes) add(f.lon, f.lat);
    for (const c of u.crossings) add(c.lon, c.lat);
  }
  const place = evidence.incident.place;
  if (place) add(place.lon, place.lat);
  if (!Number.isFinite(b.west)) return { west: -0.001, east: 0.001, south: -0.001, north: 0.001 };
  return b;
}

/** The parts of each line near the map (vertices within twice the extent, and their neighbours), as SVG paths. */
function linePaths(set: LineSetLike, p: LocalProjection): string[][] {
  const near = p.extent(2);
  return set.lines.map((line) => {
    const parts: string[] = [];
    let current: string[] = [];
    for (let v = line.firstVertex; v <= line.lastVertex; v++) {
      const keep = [v - 1, v, v + 1].some((k) => k >= line.firstVertex && k <= line.lastVertex && inside(near, set.lonDeg[k], set.latDeg[k]));
      if (keep) {
        const [x, y] = p.toPixels(set.lonDeg[v], set.latDeg[v]);
        current.push(`${fmt(x)},${fmt(y)}`);
      } else if (current.length > 0) {
        if (current.length > 1) parts.push(`M${current.join('L')}`);
        current = [];
      }
    }
    if (current.length > 1) parts.push(`M${current.join('L')}`);
    return parts;
  });
}

function territoryLabels(layers: Layers, p: LocalProjection, lang: Lang): string {
  const anchors = ['start', 'end', 'end', 'start'];
  const seen = new Set<string>();
  return p.corners().map(([lon, lat], i) => {
    const t = classify({ lat, lon }, layers).territory;
    if (t === null || seen.has(t)) return '';
    seen.add(t);
    const [x, y] = p.toPixels(lon, lat);
    return `<text x="${fmt(x)}" y="${fmt(y)}" text-anchor="${anchors[i]}" class="territory">${escapeHtml(territoryName(t, lang))}</text>`;
  }).join('');
}

function scaleBar(p: LocalProjection, lang: Lang): string {
  const lengthM = niceLengthM(p.metresPerPixel * p.widthPx * 0.25);
  const px = lengthM / p.metresPerPixel;
  const x = 16, y = p.heightPx - 18;
  return `<g class="scale"><rect x="${x - 6}" y="${y - 20}" width="${fmt(px + 12)}" height="30" class="backdrop"/>` +
    `<path d="M${x},${y - 5}V${y}H${fmt(x + px)}V${y - 5}"/><text x="${fmt(x + px / 2)}" y="${y - 8}" text-anchor="middle">${escapeHtml(formatDistance(lengthM, lang))}</text></g>`;
}

function northArrow(p: LocalProjection, lang: Lang): string {
  const x = p.widthPx - 28, y = 20;
  return `<g class="north"><path d="M${x},${y}l-9,26l9,-7l9,7z"/><text x="${x}" y="${y + 42}" text-anchor="middle">${word('north', lang)}</text></g>`;
}

/** Which positions get a time label: the first, the last, and others spread along the track so labels do not overlap. */
function timeLabelled(points: [number, number][]): Set<number> {
  const chosen = new Set<number>();
  if (points.length === 0) return chosen;
  const last = points.length - 1;
  const trackPx = points.reduce((sum, p, i) => (i === 0 ? 0 : sum + Math.hypot(p[0] - points[i - 1][0], p[1] - points[i - 1][1])), 0);
  const spacing = Math.max(LABEL_SPACING_PX, trackPx / MAX_TIME_LABELS);
  const far = (i: number, j: number) => Math.hypot(points[i][0] - points[j][0], points[i][1] - points[j][1]) >= spacing;
  let previous = 0;
  chosen.add(0);
  for (let i = 1; i < last; i++) {
    if (far(i, previous) && far(i, last)) {
      chosen.add(i);
      previous = i;
    }
  }
  if (last > 0 && far(last, previous)) chosen.add(last);
  return chosen;
}

function unitLayer(unit: IncidentEvidence['units'][number], colour: string, p: LocalProjection): string {
  const points = unit.fixes.map((f) => p.toPixels(f.lon, f.lat));
  const moved = points.some(([x, y]) => Math.abs(x - points[0][0]) > 0.5 || Math.abs(y - points[0][1]) > 0.5);
  const track = moved ? `<path class="track" stroke="${colour}" d="M${points.map(([x, y]) => `${fmt(x)},${fmt(y)}`).join('L')}"/>` : '';
  const labelled = timeLabelled(points);
  const dots = unit.fixes.map((f, i) => {
    const [x, y] = points[i];
    const uncertain = f.determination.certain ? '' : ' uncertain';
    const dot = `<circle class="fix${uncertain}" cx="${fmt(x)}" cy="${fmt(y)}" r="3.2" fill="${colour}"><title>${escapeHtml(`${unit.unit} ${clockUtc(f.time)}Z`)}</title></circle>`;
    return labelled.has(i) ? `${dot}<text class="time" x="${fmt(x + 6)}" y="${fmt(y - 5)}">${clockUtc(f.time)}</text>` : dot;
  }).join('');
  const crossings = unit.crossings.map((c) => {
    const [x, y] = p.toPixels(c.lon, c.lat);
    return `<path class="crossing" d="M${fmt(x - 6)},${fmt(y - 6)}l12,12m0,-12l-12,12"><title>${escapeHtml(`${unit.unit} ${c.from}→${c.to} ${clockUtc(c.time)}Z`)}</title></path>`;
  }).join('');
  return `<g class="unit" data-unit="${escapeHtml(unit.unit)}">${track}${dots}${crossings}</g>`;
}

export interface RenderedMap {
  svg: string;
  /** Fences that appear on the map, for the legend. */
  fences: { name: string; illustrative: boolean }[];
}

/** The incident's map; territory names and the scale use the first language. */
export function renderMap(evidence: IncidentEvidence, layers: Layers, langs: ReportLangs): RenderedMap {
  const lang = langs[0];
  const p = new LocalProjection(evidenceBounds(evidence), WIDTH_PX);
  const boundary = linePaths(layers.boundary, p).flat().map((d) => `<path class="boundary" d="${d}"/>`).join('');
  const fenceParts = layers.fences ? linePaths(layers.fences, p) : [];
  const fences = fenceParts.map((parts, i) => {
    const cls = layers.fenceInfo[i]?.illustrative ? 'fence illustrative' : 'fence';
    return parts.map((d) => `<path class="${cls}" d="${d}"/>`).join('');
  }).join('');
  const units = evidence.units.map((u, i) => unitLayer(u, UNIT_COLOURS[i % UNIT_COLOURS.length], p)).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 ${p.widthPx} ${p.heightPx}" width="${p.widthPx}" height="${p.heightPx}" role="img">` +
    `<defs><clipPath id="frame"><rect width="${p.widthPx}" height="${p.heightPx}"/></clipPath></defs>` +
    `<rect class="ground" width="${p.widthPx}" height="${p.heightPx}"/><g clip-path="url(#frame)">${territoryLabels(layers, p, lang)}${fences}${boundary}${units}</g>` +
    `${scaleBar(p, lang)}${northArrow(p, lang)}</svg>`;
  const shown = fenceParts.flatMap((parts, i) => (parts.length > 0 ? [{ name: layers.fenceInfo[i].name, illustrative: layers.fenceInfo[i].illustrative }] : []));
  return { svg, fences: shown };
}
