// One fix in, the answer out: the same classify() and the same JSON form as `lindero where --json`.
import { whereJson, type WhereJson } from '../../../src/answer/index.js';
import { formatMgrs } from '../../../src/coords/index.js';
import { classify, type Determination, type Layers } from '../../../src/geo/index.js';

export interface FieldAnswer {
  determination: Determination;
  where: WhereJson;
}

export function answerFor(position: { lat: number; lon: number; accuracyM: number }, layers: Layers): FieldAnswer {
  const determination = classify(position, layers);
  return { determination, where: whereJson(determination, mgrsOf(position.lat, position.lon)) };
}

/** MGRS as `lindero where` prints it, or "" where MGRS does not reach (beyond 84°N / 80°S). */
function mgrsOf(lat: number, lon: number): string {
  try {
    return formatMgrs(lat, lon);
  } catch {
    return '';
  }
}
