// Colours of the map, chosen to stay apart for the common colour-vision deficiencies and in sunlight.
import type { ExpressionSpecification } from 'maplibre-gl';

/** One colour per territory, in the order the boundary names them (left, right). */
const TERRITORY_COLOURS = ['#1d4ed8', '#c2410c', '#047857', '#7c3aed'];
const TERRITORY_LAND = ['#eef0f7', '#f7ebdf', '#e6f2ec', '#efeaf7'];
export const OTHER_TERRITORY = '#6b7280';
export const NEUTRAL_LAND = '#f1efe9';

export const colours = {
  water: '#a8cbe0',
  boundary: '#111827',
  boundaryCasing: '#ffffff',
  fence: '#57534e',
  strip: '#facc15',
  band: '#f59e0b',
  alert: '#dc2626',
  crossing: '#be123c',
  stripZone: '#facc15',
  uncertain: '#6b7280',
  placeText: '#374151',
  halo: '#ffffff',
  track: '#334155',
};

export interface Palette {
  colour(territory: string): string;
  land(territory: string): string;
  /** MapLibre expression choosing a colour from a territory code. */
  expression(input: ExpressionSpecification, land?: boolean): ExpressionSpecification | string;
}

export function territoryPalette(territories: string[]): Palette {
  const index = (t: string) => territories.indexOf(t);
  const pick = (list: string[], other: string) => (t: string) => list[index(t)] ?? other;
  const colour = pick(TERRITORY_COLOURS, OTHER_TERRITORY);
  const land = pick(TERRITORY_LAND, NEUTRAL_LAND);
  return {
    colour,
    land,
    expression(input, isLand = false) {
      if (territories.length === 0) return isLand ? NEUTRAL_LAND : OTHER_TERRITORY;
      const pairs = territories.flatMap((t) => [t, isLand ? land(t) : colour(t)]);
      return ['match', input, ...pairs, isLand ? NEUTRAL_LAND : OTHER_TERRITORY] as ExpressionSpecification;
    },
  };
}
