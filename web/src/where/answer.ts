// The where answer for a point, as lines a person reads: territory, distance and bearing to the line, MGRS.
import type { WhereJson } from '../api/types.js';
import {
  compassPoint, formatBearing, formatDd, formatDistance, formatPercent, spaceMgrs, territoryName,
} from '../format.js';
import { message, type Lang } from '../i18n/i18n.js';

export function answerLines(w: WhereJson, lang: Lang): { text: string; className: string }[] {
  const lines = [
    { className: 'where-territory', text: message(lang, 'where.territory', { country: territoryName(w.territory, lang) }) },
    {
      className: 'where-distance',
      text: message(lang, 'where.distance', {
        distance: formatDistance(w.boundary.distance_m, lang), other: territoryName(w.boundary.other_territory, lang),
      }),
    },
    {
      className: 'where-bearing',
      text: message(lang, 'where.bearing', {
        direction: compassPoint(w.boundary.bearing_deg, lang), bearing: formatBearing(w.boundary.bearing_deg),
      }),
    },
  ];
  if (w.fence) {
    const key = w.fence.illustrative ? 'where.fenceIllustrative' : 'where.fence';
    lines.push({ className: 'where-fence', text: message(lang, key, { name: w.fence.name, distance: formatDistance(w.fence.distance_m, lang) }) });
    lines.push({ className: 'where-zone', text: message(lang, w.zone === 'strip' ? 'where.zone.strip' : 'where.zone.inland') });
  }
  lines.push(
    { className: 'where-certainty', text: message(lang, w.certain ? 'where.certain' : 'where.uncertain') },
    { className: 'where-accuracy', text: accuracyLine(w, lang) },
    { className: 'where-dd', text: formatDd(w.lat, w.lon) },
    { className: 'where-mgrs', text: spaceMgrs(w.mgrs) },
  );
  return lines;
}

/**
 * The accuracy the verdict used, said to be assumed when the position gave none (never shown as measured),
 * the line's own uncertainty beside it when the layer states one, and the confidence.
 */
function accuracyLine(w: WhereJson, lang: Lang): string {
  const parts = [message(lang, w.accuracy_assumed ? 'where.accuracyAssumed' : 'where.accuracy', { accuracy: formatDistance(w.accuracy_m, lang) })];
  if (w.line_uncertainty_m !== undefined && w.line_uncertainty_m > 0) {
    parts.push(message(lang, 'where.lineUncertainty', { uncertainty: formatDistance(w.line_uncertainty_m, lang) }));
  }
  parts.push(message(lang, 'where.confidence', { percent: formatPercent(w.confidence, lang) }));
  return parts.join(' · ');
}
