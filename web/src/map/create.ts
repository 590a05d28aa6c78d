// The MapLibre map: the style, the controls in the chosen language, lindero's lines and their labels.
import { Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl, type GeoJSONSource } from 'maplibre-gl';
// MapLibre finds its worker beside its own module; bundled, that place moves, so the worker ships as an asset of this app.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { DashboardConfig } from '../api/types.js';
import { onLangChange, t, type MessageKey } from '../i18n/i18n.js';
import { addHeadingArrow } from './images.js';
import { templateExpression } from './labels.js';
import type { DrawnLines } from './lines.js';
import { territoryPalette } from './palette.js';
import { dashboardStyle, LAYER, SOURCE } from './style.js';

const CONTROL_LABELS: [string, MessageKey][] = [
  ['.maplibregl-ctrl-zoom-in', 'map.zoomIn'],
  ['.maplibregl-ctrl-zoom-out', 'map.zoomOut'],
  ['.maplibregl-ctrl-compass', 'map.resetNorth'],
];

/** MapLibre's own control strings, from the catalogue, both at creation and on every language change. */
function uiStrings(): Record<string, string> {
  return {
    'NavigationControl.ZoomIn': t('map.zoomIn'),
    'NavigationControl.ZoomOut': t('map.zoomOut'),
    'NavigationControl.ResetBearing': t('map.resetNorth'),
    'Popup.Close': t('map.closePopup'),
    'Map.Title': t('map.title'),
  };
}

export function createMap(container: HTMLElement, config: DashboardConfig): MapLibreMap {
  setWorkerUrl(new URL(workerUrl, location.href).href);
  const palette = territoryPalette(config.territories);
  const origin = location.origin;
  const map = new MapLibreMap({
    container,
    style: dashboardStyle({ palette, countriesUrl: `${origin}/basemap/countries.json`, placesUrl: `${origin}/basemap/places.json` }),
    bounds: config.bbox,
    fitBoundsOptions: { padding: 30 },
    attributionControl: false,
    maplibreLogo: false,
    locale: uiStrings(),
    // Symbols (heading arrows, labels) are re-placed whenever units move; a fade would keep the map
    // repainting continuously at 4 updates a second, which costs most without a GPU.
    fadeDuration: 0,
    // Keeps the drawing buffer so a screenshot or print of the map shows what is on screen.
    canvasContextAttributes: { preserveDrawingBuffer: true },
  });
  map.addControl(new NavigationControl({ visualizePitch: false }), 'top-left');
  map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
  map.on('load', () => addHeadingArrow(map));
  onLangChange(() => relabel(map));
  return map;
}

/** Puts the territories, boundary, fences, strip and approach band on the map. */
export function showLines(map: MapLibreMap, lines: DrawnLines): void {
  const set = (id: string, data: GeoJSON.FeatureCollection) => void (map.getSource(id) as GeoJSONSource).setData(data);
  set(SOURCE.territories, lines.territories);
  set(SOURCE.boundary, lines.boundary);
  set(SOURCE.band, lines.band);
  set(SOURCE.fences, lines.fences);
  set(SOURCE.strip, lines.strip);
  relabel(map);
}

function relabel(map: MapLibreMap): void {
  if (map.getLayer(LAYER.boundaryLabel)) {
    map.setLayoutProperty(LAYER.boundaryLabel, 'text-field', [
      'case', ['!=', ['get', 'provenance'], ''],
      templateExpression(t('map.boundaryLabel')),
      templateExpression(t('map.boundaryNoProvenance')),
    ]);
    map.setLayoutProperty('fence-label', 'text-field', [
      'case', ['get', 'illustrative'],
      templateExpression(t('map.fenceIllustrative')),
      templateExpression(t('map.fenceLabel')),
    ]);
  }
  const root = map.getContainer();
  for (const [selector, key] of CONTROL_LABELS) {
    const button = root.querySelector(selector);
    button?.setAttribute('title', t(key));
    button?.setAttribute('aria-label', t(key));
  }
  root.setAttribute('aria-label', t('map.title'));
  root.querySelector('canvas')?.setAttribute('aria-label', t('map.title'));
}
