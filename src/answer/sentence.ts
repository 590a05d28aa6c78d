import { positionSigmaM, type Determination } from '../geo/index.js';

export type Lang = 'en' | 'es';

const POINTS = {
  en: ['north', 'north-northeast', 'northeast', 'east-northeast', 'east', 'east-southeast', 'southeast', 'south-southeast',
    'south', 'south-southwest', 'southwest', 'west-southwest', 'west', 'west-northwest', 'northwest', 'north-northwest'],
  es: ['norte', 'nor-noreste', 'noreste', 'este-noreste', 'este', 'este-sureste', 'sureste', 'sur-sureste',
    'sur', 'sur-suroeste', 'suroeste', 'oeste-suroeste', 'oeste', 'oeste-noroeste', 'noroeste', 'nor-noroeste'],
};

/** Sixteen-point compass name of a bearing, e.g. 203° → "south-southwest". */
export function compassPoint(bearingDeg: number, lang: Lang): string {
  return POINTS[lang][Math.round((((bearingDeg % 360) + 360) % 360) / 22.5) % 16];
}

const regionNames: Partial<Record<Lang, Intl.DisplayNames>> = {};
/** What a null territory (outside every territory the layers cover) is called in running text. */
const OUTSIDE_NAME: Record<Lang, string> = { en: 'an area outside the layers\' territories', es: 'una zona fuera de los territorios de la capa' };

/**
 * The shipped boundary's territories by name, as Intl.DisplayNames names them (sentence.test.ts checks), written
 * out: making a DisplayNames loads the language's region names, which on a phone was the slowest part of
 * field mode's first answer.
 */
const KNOWN_NAMES: Record<Lang, Record<string, string>> = {
  en: { US: 'United States', MX: 'Mexico' },
  es: { US: 'Estados Unidos', MX: 'México' },
};

/** Country name in the language, e.g. "US" → "United States" / "Estados Unidos"; null: outside the layers' territories. */
export function territoryName(code: string | null, lang: Lang): string {
  if (code === null) return OUTSIDE_NAME[lang];
  if (Object.hasOwn(KNOWN_NAMES[lang], code)) return KNOWN_NAMES[lang][code];
  const names = (regionNames[lang] ??= new Intl.DisplayNames([lang], { type: 'region' }));
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * A number as en-US and es-MX write it (the same there: "1,234.5"), with at most `digits` decimals, rounded half
 * away from zero on its shortest decimal form, trailing zeros left off: what toLocaleString gives with
 * { maximumFractionDigits: digits } (sentence.test.ts holds them equal), without making an Intl.NumberFormat,
 * whose first use loads the locale's data (a tenth of a one-shot `where`, and of field mode's first card).
 */
export function plainNumber(x: number, digits: number): string {
  const text = String(Math.abs(x));
  if (!Number.isFinite(x) || text.includes('e')) return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  const dot = text.indexOf('.');
  let whole = dot < 0 ? text : text.slice(0, dot);
  let fraction = dot < 0 ? '' : text.slice(dot + 1);
  if (fraction.length > digits) {
    const up = fraction.charCodeAt(digits) >= 53; // '5'
    fraction = fraction.slice(0, digits);
    if (up) {
      const carried = (BigInt(whole + fraction) + 1n).toString().padStart(whole.length + fraction.length, '0');
      whole = carried.slice(0, carried.length - fraction.length);
      fraction = carried.slice(carried.length - fraction.length);
    }
  }
  fraction = fraction.replace(/0+$/, '');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  const sign = x < 0 ? '-' : '';
  return fraction === '' ? `${sign}${grouped}` : `${sign}${grouped}.${fraction}`;
}

/**
 * A probability as a percentage with at most two decimals, rounded down so that 0.99996 never reads as
 * 100 %: what Intl.NumberFormat writes for en-US and es-MX with style 'percent', maximumFractionDigits 2
 * and roundingMode 'floor' (which, like this, rounds the number's shortest decimal form). Written without
 * Intl: the first number format a page makes loads the locale's data, 120–170 ms of a phone's first answer.
 */
export function floorPercent(probability: number): string {
  if (!(probability >= 0 && probability <= 1)) {
    return new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 2, roundingMode: 'floor' } as Intl.NumberFormatOptions).format(probability);
  }
  // Below 0.0001 the percentage rounds down to 0; above it String() never writes an exponent.
  if (probability < 1e-4) return '0%';
  const text = String(probability);
  const dot = text.indexOf('.');
  const whole = dot < 0 ? text : text.slice(0, dot);
  const fraction = dot < 0 ? '' : text.slice(dot + 1);
  // Ten-thousandths of the probability, i.e. hundredths of a percent, cut (not rounded) from the decimal form.
  const hundredths = Number(whole) * 10_000 + Number((fraction + '0000').slice(0, 4));
  const percentWhole = Math.floor(hundredths / 100), percentFraction = hundredths % 100;
  if (percentFraction === 0) return `${percentWhole}%`;
  return `${percentWhole}.${String(percentFraction).padStart(2, '0').replace(/0$/, '')}%`;
}

/** A device's own name for an emergency, quoted as it sent it, after a space: ` ("911 Alert")`; '' without one. */
export function emergencyName(what: string | undefined): string {
  return what ? ` (${JSON.stringify(what)})` : '';
}

/** A distance as a person says it: "35 cm", "340 m", "1.2 km". */
export function formatDistance(distanceM: number, _lang: Lang): string {
  const n = plainNumber;
  if (distanceM < 1) return `${n(distanceM * 100, 0)} cm`;
  if (distanceM < 1000) return `${n(distanceM, distanceM < 10 ? 1 : 0)} m`;
  return `${n(distanceM / 1000, distanceM < 10_000 ? 2 : 1)} km`;
}

/** One plain sentence a soldier can read aloud. */
export function whereSentence(det: Determination, mgrs: string, lang: Lang): string {
  const dist = formatDistance(det.boundary.distanceM, lang);
  const dir = compassPoint(det.boundary.bearingDeg, lang);
  const bearing = Math.round(det.boundary.bearingDeg) % 360;
  if (det.territory === null) return outsideSentence(det, mgrs, lang, dist, dir, bearing);
  const here = territoryName(det.territory, lang);
  const other = territoryName(det.boundary.otherTerritory ?? det.boundary.between[1], lang);
  const pct = plainNumber(det.confidence * 100, 1);
  const fence = (det.fence ? fenceClause(det, lang) : '') + edgeClause(det, lang);
  const how = uncertaintyClause(det, lang);
  if (lang === 'es') {
    const verdict = det.certain
      ? `Seguro con ${how}.`
      : `NO ES SEGURO: con ${how}, la probabilidad de estar en ${here} es ${pct} %.`;
    return `Está en territorio de ${here}, a ${dist} del límite con ${other}; el punto más cercano de la línea está al ${dir} (${bearing}°).${fence} MGRS ${mgrs}. ${verdict}`;
  }
  const verdict = det.certain
    ? `Certain with ${how}.`
    : `NOT CERTAIN: with ${how}, the chance of being in ${here} is ${pct}%.`;
  return `You are in ${here} territory, ${dist} from the boundary with ${other}; the nearest point of the line is to the ${dir} (${bearing}°).${fence} MGRS ${mgrs}. ${verdict}`;
}

/**
 * What the verdict rests on: the position's accuracy (saying when it was assumed), the square it was written
 * to (an MGRS reference's, or the cell of coarse digits), and, when the layer states one, the line's own
 * uncertainty, naming the larger.
 */
function uncertaintyClause(det: Determination, lang: Lang): string {
  const acc = formatDistance(det.accuracyM, lang);
  const square = squareNamed(det) ? formatDistance(det.squareM!, lang) : '';
  const line = det.lineUncertaintyM > 0 ? formatDistance(det.lineUncertaintyM, lang) : '';
  if (lang === 'es') {
    const accuracy = det.accuracyAssumed
      ? `una precisión supuesta de ±${acc} (la posición no dio la suya)`
      : `una precisión de ±${acc}`;
    const parts = [accuracy, ...(square ? [`el cuadrado de ${square} al que está escrita`] : [])];
    if (line) parts.push(`una incertidumbre de la propia línea de ±${line}${det.uncertaintyDominant === 'line' ? '; pesa más la de la línea' : ''}`);
    return listOf(parts, 'y');
  }
  const accuracy = det.accuracyAssumed
    ? `an assumed ±${acc} accuracy (the position gave none)`
    : `±${acc} accuracy`;
  const parts = [accuracy, ...(square ? [`the ${square} square it is written to`] : [])];
  if (line) parts.push(`the line's own ±${line} uncertainty${det.uncertaintyDominant === 'line' ? ', the line\'s the larger' : ''}`);
  return listOf(parts, 'and');
}

/**
 * The square a position was written to is named when it adds at least 5 % to the position's σ (classify's
 * positionSigmaM against the accuracy alone): "31.5603 -106.2237" is an 11 m square, which beside an assumed ±20 m changes σ by
 * 1 % — not worth a clause read aloud. The JSON gives `square_m` whatever its size.
 */
function squareNamed(det: Determination): boolean {
  return det.squareM !== undefined && positionSigmaM(det.accuracyM, det.squareM) >= 1.05 * det.accuracyM;
}

/** "a", "a and b", "a, b and c". */
function listOf(parts: string[], and: string): string {
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} ${and} ${parts[parts.length - 1]}`;
}

/** A position beyond every territory the layers cover: no side is claimed; where the line is, still said. */
function outsideSentence(det: Determination, mgrs: string, lang: Lang, dist: string, dir: string, bearing: number): string {
  const [a, b] = det.boundary.between.map((t) => territoryName(t, lang));
  if (lang === 'es') {
    return `Está fuera de los territorios que cubre esta capa de límites (${a}, ${b}): aquí no se afirma ningún lado. ` +
      `El punto más cercano del límite entre ${a} y ${b} está a ${dist} al ${dir} (${bearing}°). MGRS ${mgrs}.`;
  }
  return `You are outside the territories this boundary layer covers (${a}, ${b}): no side is claimed here. ` +
    `The nearest point of the boundary between ${a} and ${b} is ${dist} to the ${dir} (${bearing}°). MGRS ${mgrs}.`;
}

/** When a territory polygon's edge (the territorial sea's limit, say) is nearer than the line, its distance: the verdict rests on it. */
function edgeClause(det: Determination, lang: Lang): string {
  if (det.territoryEdgeM === undefined) return '';
  const d = formatDistance(det.territoryEdgeM, lang);
  return lang === 'es' ? ` El borde de los territorios que cubre la capa está a ${d}.` : ` The edge of the territories this layer covers is ${d} away.`;
}

function fenceClause(det: Determination, lang: Lang): string {
  const f = det.fence!;
  const d = formatDistance(f.distanceM, lang);
  const ill = f.illustrative ? (lang === 'es' ? ' (ilustrativa)' : ' (illustrative)') : '';
  if (lang === 'es') {
    const where = det.zone === 'strip' ? 'entre la cerca y el límite' : f.side === 'boundary' ? 'del lado de la cerca que da al límite' : 'del lado interior de la cerca';
    return ` Cerca «${f.name}»${ill} a ${d}: está ${where}.`;
  }
  const where = det.zone === 'strip' ? 'between the fence and the boundary' : f.side === 'boundary' ? 'on the boundary side of the fence' : 'on the inland side of the fence';
  return ` Fence "${f.name}"${ill} ${d} away: you are ${where}.`;
}
