// The dashboard's overlays as data: partners' units (coarsened: a precision circle, never a dot that
// claims more than was shared), markers TAK clients placed (a diamond, never a unit's dot), and the
// track of the incident being viewed. Added to the map at start, below the alert markers.
import type { ExpressionSpecification, LayerSpecification, SourceSpecification } from 'maplibre-gl';
import { metresToPixels } from '../map/metres.js';
import { FONT, FONT_BOLD, LAYER } from '../map/style.js';

export const OVERLAY_SOURCE = { partnerUnits: 'partner-units', markers: 'tak-markers', incident: 'incident-track' } as const;

export const OVERLAY_LAYER = {
  partnerPrecision: 'partner-unit-precision', partnerUnits: 'partner-unit-dot', partnerLabel: 'partner-unit-label',
  markers: 'tak-marker', markerLabel: 'tak-marker-label', incidentTrack: 'incident-track-line', incidentCrossings: 'incident-crossing',
} as const;

/** Partners' colours: apart from both territories' colours and from the alert red. */
export const PARTNER_COLOUR = '#0f766e';
export const MARKER_COLOUR = '#9333ea';
const INCIDENT_COLOUR = '#db2777';

const empty = (): SourceSpecification => ({ type: 'geojson', data: { type: 'FeatureCollection', features: [] } });

export const overlaySources = (): Record<string, SourceSpecification> => ({
  [OVERLAY_SOURCE.partnerUnits]: empty(),
  [OVERLAY_SOURCE.markers]: empty(),
  [OVERLAY_SOURCE.incident]: empty(),
});

const halo = { 'text-halo-color': '#ffffff', 'text-halo-width': 2 } as const;
const isLine: ExpressionSpecification = ['==', ['geometry-type'], 'LineString'];

/** Drawn in this order, just below the alert markers (LAYER.alerts). */
export const overlayLayers = (): LayerSpecification[] => [
  {
    id: OVERLAY_LAYER.incidentTrack, type: 'line', source: OVERLAY_SOURCE.incident, filter: isLine,
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': INCIDENT_COLOUR, 'line-width': 3, 'line-opacity': 0.85 },
  },
  {
    id: OVERLAY_LAYER.incidentCrossings, type: 'circle', source: OVERLAY_SOURCE.incident, filter: ['!', isLine],
    paint: { 'circle-radius': 7, 'circle-color': '#ffffff', 'circle-stroke-color': INCIDENT_COLOUR, 'circle-stroke-width': 3 },
  },
  {
    // The shared position is only known to within precision_m: the circle is the claim, the dot its centre.
    id: OVERLAY_LAYER.partnerPrecision, type: 'circle', source: OVERLAY_SOURCE.partnerUnits,
    paint: {
      'circle-radius': metresToPixels(['get', 'precision_m'], ['get', 'cos_lat']),
      'circle-color': PARTNER_COLOUR, 'circle-opacity': 0.1,
      'circle-stroke-color': PARTNER_COLOUR, 'circle-stroke-width': 2, 'circle-stroke-opacity': 0.8,
      'circle-pitch-alignment': 'map',
    },
  },
  {
    id: OVERLAY_LAYER.partnerUnits, type: 'circle', source: OVERLAY_SOURCE.partnerUnits,
    paint: { 'circle-radius': 5, 'circle-color': '#ffffff', 'circle-stroke-color': PARTNER_COLOUR, 'circle-stroke-width': 3 },
  },
  {
    id: OVERLAY_LAYER.partnerLabel, type: 'symbol', source: OVERLAY_SOURCE.partnerUnits, minzoom: 9,
    layout: { 'text-field': ['get', 'label'], 'text-font': FONT_BOLD, 'text-size': 12, 'text-offset': [0, 1.3], 'text-anchor': 'top' },
    paint: { 'text-color': PARTNER_COLOUR, ...halo },
  },
  {
    // A diamond, not a dot: a marker is a point someone placed, not a unit that reports.
    id: OVERLAY_LAYER.markers, type: 'symbol', source: OVERLAY_SOURCE.markers,
    layout: { 'text-field': '◆', 'text-font': FONT, 'text-size': 22, 'text-allow-overlap': true, 'text-ignore-placement': true },
    paint: { 'text-color': MARKER_COLOUR, ...halo },
  },
  {
    id: OVERLAY_LAYER.markerLabel, type: 'symbol', source: OVERLAY_SOURCE.markers, minzoom: 10,
    layout: { 'text-field': ['get', 'label'], 'text-font': FONT, 'text-size': 12, 'text-offset': [0, 1.2], 'text-anchor': 'top' },
    paint: { 'text-color': MARKER_COLOUR, ...halo },
  },
];

/** Adds the overlay sources and layers (once the style has loaded). */
export function addOverlays(map: import('maplibre-gl').Map): void {
  for (const [id, source] of Object.entries(overlaySources())) map.addSource(id, source);
  for (const layer of overlayLayers()) map.addLayer(layer, LAYER.alerts);
}
