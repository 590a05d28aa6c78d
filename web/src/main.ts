// The dashboard: the map, live units and alerts from the stream, click-for-answer, cursor position, replay.
import 'maplibre-gl/dist/maplibre-gl.css';
import './styles/dashboard.css';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { AlertsPanel } from './alerts/panel.js';
import { openAudioOnFirstGesture } from './alerts/sound.js';
import { acknowledgedAlerts, api } from './api/client.js';
import type { StreamEvent } from './api/types.js';
import { formatDistance } from './format.js';
import { currentLang, onLangChange, setLang, t } from './i18n/i18n.js';
import { createMap, showLines } from './map/create.js';
import { drawnLines } from './map/lines.js';
import { APPROACH_M, LAYER, SOURCE } from './map/style.js';
import { UnitLayer } from './map/units.js';
import { connectStream } from './live/stream.js';
import { Replay } from './replay/replay.js';
import { Header } from './ui/header.js';
import { trackCursor } from './where/cursor.js';
import { WherePopup } from './where/popup.js';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** What the browser tests reach for: the map (queryRenderedFeatures) and the names of its layers. */
export interface DashboardHandle {
  map: MapLibreMap;
  units: UnitLayer;
  layers: typeof LAYER;
  sources: typeof SOURCE;
}

declare global {
  interface Window {
    lindero?: DashboardHandle;
  }
}

function labelLegend(): void {
  byId('legend-band').textContent = t('legend.band', { distance: formatDistance(APPROACH_M, currentLang()) });
}

function labelPage(): void {
  openAudioOnFirstGesture();
  setLang(currentLang());
  document.title = t('app.title');
  onLangChange(() => {
    document.title = t('app.title');
    labelLegend();
  });
  labelLegend();
  byId('cursor-dd').textContent = t('cursor.hint');
}

/** Live and replay modes: replay hides the live units and alerts and shows its own panel. */
function modeSwitch(map: MapLibreMap, units: UnitLayer, replay: Replay): Header {
  const liveLayers = [LAYER.units, LAYER.unitAccuracy, LAYER.unitHeading, LAYER.unitLabel, LAYER.alerts, 'alert-mark'];
  const header: Header = new Header((mode) => {
    header.setMode(mode);
    byId('replay').hidden = mode !== 'replay';
    for (const id of liveLayers) map.setLayoutProperty(id, 'visibility', mode === 'live' ? 'visible' : 'none');
    if (mode === 'replay') replay.open(units.units(), Date.now());
    else replay.close();
  });
  return header;
}

/** Click a unit for its latest verdict, anywhere else for the server's answer there; cursor position below. */
function pointTools(map: MapLibreMap, units: UnitLayer): void {
  const popup = new WherePopup(map);
  map.on('click', (e) => {
    const hit = map.queryRenderedFeatures(e.point, { layers: [LAYER.units] })[0];
    const fix = hit ? units.fixOf(String(hit.properties.unit)) : undefined;
    if (fix) popup.showUnit(fix);
    else void popup.showPoint(e.lngLat.wrap().lat, e.lngLat.wrap().lng);
  });
  for (const layer of [LAYER.units, LAYER.alerts]) {
    map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
  }
  trackCursor(map, byId('cursor-dd'), byId('cursor-mgrs'));
}

/** Every (re)connection reloads the units and the alerts missed meanwhile; events then keep them current. */
async function goLive(units: UnitLayer, alerts: AlertsPanel, header: Header): Promise<void> {
  const reload = async () => {
    const [unitList, history] = await Promise.all([api.units(), api.alerts(undefined, alerts.newestId || undefined)]);
    units.reset(unitList.map((u) => u.last_fix));
    header.setUnitCount(units.count);
    alerts.add(history, false);
    // Acknowledgements by every operator; a server without them (older) leaves the local ones.
    acknowledgedAlerts().then((ids) => alerts.markAcknowledged(ids), () => {});
  };
  const onEvent = (event: StreamEvent) => {
    if (event.type === 'fix') {
      units.push(event.fix);
      header.setUnitCount(units.count);
    } else if (event.type === 'alert') {
      alerts.add([event.alert], true);
    }
  };
  await reload();
  alerts.render();
  connectStream({ onEvent, onStatus: (s) => header.setStatus(s), onConnected: reload });
}

async function main(): Promise<void> {
  labelPage();
  const [config, lines] = await Promise.all([api.config(), api.lines()]);
  const map = createMap(byId('map'), config);
  await map.once('load');
  const drawn = drawnLines(lines, config);
  showLines(map, drawn);

  const units = new UnitLayer(map);
  const alerts = new AlertsPanel(byId('alerts'), byId('alerts-open'), byId('flash'), map, (a) => {
    map.easeTo({ center: [a.lon, a.lat], zoom: Math.max(map.getZoom(), 13) });
  });
  onLangChange(() => alerts.render());
  const boundaryCoords = drawn.boundary.features.map((f) => f.geometry.coordinates);
  const replay = new Replay(map, {
    units: byId('replay-units'), from: byId('replay-from'), to: byId('replay-to'), load: byId('replay-load'),
    play: byId('replay-play'), speed: byId('replay-speed'), slider: byId('replay-slider'), time: byId('replay-time'),
    summary: byId('replay-summary'),
  }, () => boundaryCoords);
  const header = modeSwitch(map, units, replay);
  pointTools(map, units);
  await goLive(units, alerts, header);

  window.lindero = { map, units, layers: LAYER, sources: SOURCE };
  await map.once('idle');
  document.body.dataset.ready = 'true';
}

main().catch((e: unknown) => {
  document.body.dataset.ready = 'error';
  const flash = byId('flash');
  flash.hidden = false;
  flash.textContent = t('error.network', { status: e instanceof Error ? e.message : String(e) });
});
