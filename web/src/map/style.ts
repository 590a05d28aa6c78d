// The map as data: every source and layer, in drawing order. Logic elsewhere only changes source data
// and the language-dependent text fields.
import type {
  ExpressionSpecification, LayerSpecification, SourceSpecification, StyleSpecification,
} from 'maplibre-gl';
import { DEFAULT_WARNING_DISTANCE_M } from '../../../src/model/index.js';
import { metresToPixels } from './metres.js';
import { colours, NEUTRAL_LAND, type Palette } from './palette.js';

/** Approach distance of the warning band, metres: the approach rule's default (model/defaults.ts). */
export const APPROACH_M = DEFAULT_WARNING_DISTANCE_M;

/** Local fonts, drawn by the browser: the style has no `glyphs` URL, so no glyph file is ever fetched. */
export const FONT = ['DejaVu Sans', 'Noto Sans', 'Liberation Sans', 'Arial'];
export const FONT_BOLD = ['DejaVu Sans Bold', 'Noto Sans Bold', 'Liberation Sans Bold', 'Arial Bold'];

export const SOURCE = {
  countries: 'countries', places: 'places', territories: 'territories', boundary: 'boundary', band: 'approach-band', fences: 'fences',
  strip: 'strip', units: 'units', alerts: 'alerts', tracks: 'replay-tracks', trackPoints: 'replay-points',
  crossings: 'replay-crossings', replayUnits: 'replay-units',
} as const;

/** Layers the tests and the click handler look features up in. */
export const LAYER = {
  territories: 'territory-fill', boundary: 'boundary-line', boundaryLabel: 'boundary-label', fences: 'fence-line', strip: 'strip-fill',
  band: 'approach-band', units: 'unit-dot', unitAccuracy: 'unit-accuracy', unitHeading: 'unit-heading',
  unitLabel: 'unit-label', alerts: 'alert-marker', tracks: 'replay-track', crossings: 'replay-crossing',
  replayUnits: 'replay-unit', places: 'place-label',
} as const;

const empty = (): SourceSpecification => ({ type: 'geojson', data: { type: 'FeatureCollection', features: [] } });

const halo = { 'text-halo-color': colours.halo, 'text-halo-width': 2 } as const;

export interface StyleInput {
  palette: Palette;
  /** Absolute URLs of the packaged basemap files on this server. */
  countriesUrl: string;
  placesUrl: string;
}

export function dashboardStyle({ palette, countriesUrl, placesUrl }: StyleInput): StyleSpecification {
  return {
    version: 8,
    name: 'lindero',
    sources: {
      [SOURCE.countries]: { type: 'geojson', data: countriesUrl },
      [SOURCE.places]: { type: 'geojson', data: placesUrl },
      [SOURCE.territories]: empty(),
      // A wide tile buffer lets the long provenance label fit along the line.
      [SOURCE.boundary]: { ...empty(), buffer: 512 } as SourceSpecification,
      [SOURCE.band]: empty(),
      [SOURCE.fences]: empty(),
      [SOURCE.strip]: empty(),
      [SOURCE.tracks]: empty(),
      [SOURCE.crossings]: empty(),
      [SOURCE.replayUnits]: { ...empty(), promoteId: 'unit' } as SourceSpecification,
      [SOURCE.alerts]: { ...empty(), promoteId: 'id' } as SourceSpecification,
      [SOURCE.units]: { ...empty(), promoteId: 'unit' } as SourceSpecification,
    },
    layers: [...baseLayers(palette), ...lineLayers(palette), ...liveLayers(palette), ...replayLayers(palette), ...labelLayers()],
  };
}

function baseLayers(palette: Palette): LayerSpecification[] {
  // Natural Earth's 1:10m border is kilometres off the legal line: its tint fades out as the legal line's side bands
  // fade in, and no Natural Earth border line is drawn (the region's clip edges would show as lines too).
  const landByCountry = palette.expression(['get', 'code'], true);
  return [
    { id: 'water', type: 'background', paint: { 'background-color': colours.water } },
    {
      id: 'country-fill', type: 'fill', source: SOURCE.countries,
      paint: { 'fill-color': ['interpolate', ['linear'], ['zoom'], 6, landByCountry, 8, NEUTRAL_LAND] },
    },
    // The boundary layer's own territories (land and territorial sea), faintly: where a side is claimed at
    // all. Beyond their outer edge (the 12-nautical-mile limit at sea) positions are "outside".
    {
      id: LAYER.territories, type: 'fill', source: SOURCE.territories,
      paint: { 'fill-color': palette.expression(['get', 'territory']), 'fill-opacity': 0.07 },
    },
    {
      id: 'territory-edge', type: 'line', source: SOURCE.territories,
      paint: { 'line-color': palette.expression(['get', 'territory']), 'line-opacity': 0.35, 'line-width': 1, 'line-dasharray': [4, 3] },
    },
  ];
}

function lineLayers(palette: Palette): LayerSpecification[] {
  const side = (which: 'left' | 'right'): LayerSpecification => ({
    id: `boundary-side-${which}`, type: 'line', source: SOURCE.boundary, minzoom: 5,
    layout: { 'line-join': 'round' },
    paint: {
      'line-color': palette.expression(['get', which]),
      'line-opacity': ['interpolate', ['linear'], ['zoom'], 5, 0, 7, 0.35],
      'line-width': 14,
      // MapLibre offsets to the right of the drawing direction for positive values; `left`/`right` follow it too.
      'line-offset': which === 'left' ? -8 : 8,
    },
  });
  return [
    {
      id: LAYER.band, type: 'line', source: SOURCE.band,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: {
        'line-color': colours.band,
        'line-opacity': 0.18,
        'line-width': metresToPixels(2 * APPROACH_M, ['get', 'cos_lat']),
      },
    },
    side('left'),
    side('right'),
    {
      id: LAYER.strip, type: 'fill', source: SOURCE.strip,
      paint: { 'fill-color': colours.strip, 'fill-opacity': 0.6, 'fill-outline-color': '#a16207' },
    },
    {
      id: 'boundary-casing', type: 'line', source: SOURCE.boundary,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': colours.boundaryCasing, 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 3, 14, 7] },
    },
    {
      id: LAYER.boundary, type: 'line', source: SOURCE.boundary,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': colours.boundary, 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 1.5, 14, 3.5] },
    },
    {
      id: LAYER.fences, type: 'line', source: SOURCE.fences,
      paint: {
        'line-color': colours.fence,
        'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1.5, 16, 3],
        'line-dasharray': ['case', ['get', 'illustrative'], ['literal', [1, 2]], ['literal', [3, 1]]],
      },
    },
  ];
}

function liveLayers(palette: Palette): LayerSpecification[] {
  const territoryColour = palette.expression(['get', 'territory']);
  const uncertain: ExpressionSpecification = ['!', ['get', 'certain']];
  return [
    {
      id: LAYER.unitAccuracy, type: 'circle', source: SOURCE.units,
      paint: {
        'circle-radius': metresToPixels(['get', 'accuracy_m'], ['get', 'cos_lat']),
        'circle-color': ['case', uncertain, colours.uncertain, territoryColour],
        'circle-opacity': 0.14,
        'circle-stroke-color': ['case', uncertain, colours.uncertain, territoryColour],
        'circle-stroke-width': 1,
        'circle-stroke-opacity': 0.6,
        'circle-pitch-alignment': 'map',
      },
    },
    {
      id: LAYER.alerts, type: 'circle', source: SOURCE.alerts,
      paint: {
        'circle-radius': ['case', ['boolean', ['feature-state', 'acknowledged'], false], 6, 11],
        'circle-color': '#ffffff',
        'circle-stroke-color': ['case', ['in', ['get', 'kind'], ['literal', ['crossing', 'emergency']]], colours.crossing, colours.alert],
        'circle-stroke-width': ['case', ['boolean', ['feature-state', 'acknowledged'], false], 1.5, 3.5],
        'circle-opacity': 0.9,
      },
    },
    {
      id: LAYER.unitHeading, type: 'symbol', source: SOURCE.units,
      filter: ['>=', ['get', 'course_deg'], 0],
      layout: {
        'icon-image': 'heading-arrow',
        'icon-rotate': ['get', 'course_deg'],
        'icon-rotation-alignment': 'map',
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
      },
    },
    {
      id: LAYER.units, type: 'circle', source: SOURCE.units,
      paint: {
        'circle-radius': 6,
        'circle-color': ['case', uncertain, colours.uncertain, territoryColour],
        'circle-stroke-color': ['case', ['==', ['get', 'zone'], 'strip'], colours.stripZone, '#ffffff'],
        'circle-stroke-width': ['case', ['==', ['get', 'zone'], 'strip'], 3, 2],
      },
    },
  ];
}

function replayLayers(palette: Palette): LayerSpecification[] {
  return [
    {
      id: LAYER.tracks, type: 'line', source: SOURCE.tracks,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': palette.expression(['get', 'territory']), 'line-width': 3, 'line-opacity': 0.8 },
    },
    {
      id: LAYER.crossings, type: 'circle', source: SOURCE.crossings,
      paint: { 'circle-radius': 8, 'circle-color': colours.crossing, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
    },
    {
      id: LAYER.replayUnits, type: 'circle', source: SOURCE.replayUnits,
      paint: {
        'circle-radius': 7,
        'circle-color': palette.expression(['get', 'territory']),
        'circle-stroke-color': '#111827',
        'circle-stroke-width': 2,
      },
    },
  ];
}

function labelLayers(): LayerSpecification[] {
  return [
    {
      id: 'place-dot', type: 'circle', source: SOURCE.places, minzoom: 6,
      paint: { 'circle-radius': 2.5, 'circle-color': colours.placeText },
    },
    {
      id: LAYER.places, type: 'symbol', source: SOURCE.places,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': FONT,
        'text-size': ['interpolate', ['linear'], ['get', 'population'], 1000, 11, 1_000_000, 15],
        'symbol-sort-key': ['-', 0, ['get', 'population']],
        'text-variable-anchor': ['left', 'right', 'top', 'bottom'],
        'text-radial-offset': 0.5,
        'text-max-width': 8,
      },
      paint: { 'text-color': colours.placeText, ...halo },
    },
    {
      id: 'fence-label', type: 'symbol', source: SOURCE.fences, minzoom: 14,
      layout: {
        'symbol-placement': 'line', 'symbol-spacing': 350, 'text-field': ['get', 'name'],
        'text-font': FONT, 'text-size': 11, 'text-offset': [0, 1.1], 'text-max-angle': 30,
      },
      paint: { 'text-color': colours.fence, ...halo },
    },
    {
      id: LAYER.boundaryLabel, type: 'symbol', source: SOURCE.boundary, minzoom: 6,
      layout: {
        'symbol-placement': 'line', 'symbol-spacing': 400, 'text-field': ['get', 'name'],
        'text-font': FONT_BOLD, 'text-size': 12, 'text-offset': [0, -1.1], 'text-max-angle': 30,
      },
      paint: { 'text-color': colours.boundary, ...halo },
    },
    {
      id: 'alert-mark', type: 'symbol', source: SOURCE.alerts,
      layout: { 'text-field': '!', 'text-font': FONT_BOLD, 'text-size': 14, 'text-allow-overlap': true, 'text-ignore-placement': true },
      paint: { 'text-color': colours.alert },
    },
    {
      id: LAYER.unitLabel, type: 'symbol', source: SOURCE.units, minzoom: 11,
      layout: {
        'text-field': ['coalesce', ['get', 'label'], ['get', 'unit']], 'text-font': FONT_BOLD, 'text-size': 12,
        'text-anchor': 'left', 'text-offset': [1, 0], 'text-optional': true,
      },
      paint: { 'text-color': '#111827', ...halo },
    },
  ];
}
