// The dashboard: the map, live units and alerts from the stream, click-for-answer, cursor position, replay.
import 'maplibre-gl/dist/maplibre-gl.css';
import './styles/dashboard.css';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { Acknowledgements } from './alerts/acks.js';
import { AlertsPanel } from './alerts/panel.js';
import { openAudioOnFirstGesture } from './alerts/sound.js';
import { api } from './api/client.js';
import type { AlertJson, PartnerUnitJson, StreamEvent, UnitJson } from './api/types.js';
import { AlertHistory } from './history/history.js';
import { IncidentList } from './incidents/list.js';
import { IncidentView } from './incidents/view.js';
import { MarkerLayer } from './overlays/markers.js';
import { partnerUnitLabel, PartnerUnits, sharedTerritory } from './overlays/partner-units.js';
import { addOverlays, OVERLAY_LAYER, OVERLAY_SOURCE } from './overlays/style.js';
import { PartnersPanel } from './partners/panel.js';
import { wirePrint } from './ui/print.js';
import { wireTabs } from './ui/tabs.js';
import { formatDateTime, formatDistance } from './format.js';
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
  layers: typeof LAYER & typeof OVERLAY_LAYER;
  sources: typeof SOURCE & typeof OVERLAY_SOURCE;
}

declare global {
  interface Window {
    lindero?: DashboardHandle;
    /** The panels, for the browser tests. */
    linderoPanels?: Record<string, unknown>;
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

/**
 * Click a unit for its latest verdict, a partner's unit or a marker for what is known of it, anywhere else
 * for the server's answer there; cursor position below.
 */
function pointTools(map: MapLibreMap, units: UnitLayer, partnerUnits: PartnerUnits, markers: MarkerLayer): void {
  const popup = new WherePopup(map);
  map.on('click', (e) => {
    const hit = map.queryRenderedFeatures(e.point, { layers: [LAYER.units, OVERLAY_LAYER.partnerUnits, OVERLAY_LAYER.markers] })[0];
    const props = hit?.properties ?? {};
    const partnerUnit = hit?.layer.id === OVERLAY_LAYER.partnerUnits ? partnerUnits.byAlertName(`${props.unit}@${props.partner}`) : undefined;
    const marker = hit?.layer.id === OVERLAY_LAYER.markers ? markers.find(String(props.uid)) : undefined;
    const fix = hit?.layer.id === LAYER.units ? units.fixOf(String(props.unit)) : undefined;
    if (fix) popup.showUnit(fix);
    else if (partnerUnit) {
      popup.showFacts(partnerUnit.last_fix.lat, partnerUnit.last_fix.lon, () => ({
        title: t('partnerUnit.title', { unit: partnerUnit.unit, partner: partnerUnit.partner }), subtitle: partnerUnitLabel(partnerUnit),
      }));
    } else if (marker) {
      popup.showFacts(marker.lat, marker.lon, () => ({
        title: t('marker.title', { name: marker.name ?? marker.uid }),
        subtitle: t('marker.facts', { type: marker.type, time: formatDateTime(Date.parse(marker.time), currentLang()) }),
      }));
    } else void popup.showPoint(e.lngLat.wrap().lat, e.lngLat.wrap().lng);
  });
  for (const layer of [LAYER.units, LAYER.alerts, OVERLAY_LAYER.partnerUnits, OVERLAY_LAYER.markers]) {
    map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
  }
  trackCursor(map, byId('cursor-dd'), byId('cursor-mgrs'));
}

/** What the live stream keeps current. */
interface Live {
  units: UnitLayer;
  partnerUnits: PartnerUnits;
  alerts: AlertsPanel;
  acks: Acknowledgements;
  partners: PartnersPanel;
  markers: MarkerLayer;
  header: Header;
}

const isPartnerUnit = (u: UnitJson | PartnerUnitJson): u is PartnerUnitJson => typeof u.partner === 'string';

/** Every (re)connection reloads the units and the alerts missed meanwhile; events then keep them current. */
async function goLive(live: Live): Promise<void> {
  const { units, partnerUnits, alerts, acks, partners, markers, header } = live;
  const reload = async () => {
    const [unitList, history] = await Promise.all([api.units(), api.alerts(undefined, alerts.newestId || undefined)]);
    const all = unitList as (UnitJson | PartnerUnitJson)[];
    units.reset(all.filter((u) => !isPartnerUnit(u)).map((u) => u.last_fix));
    partnerUnits.reset(all.filter(isPartnerUnit));
    header.setUnitCount(units.count);
    alerts.add(history, false);
    await Promise.all([acks.refresh().catch(() => {}), partners.load().catch(() => {}), markers.refresh().catch(() => {})]);
  };
  const onEvent = (event: StreamEvent) => {
    switch (event.type) {
      case 'fix': units.push(event.fix); break;
      case 'alert': alerts.add([event.alert], true); break;
      case 'partner-unit': partnerUnits.put(event.unit); break;
      case 'partner-unit-gone': partnerUnits.remove(event.partner, event.unit); break;
      case 'partner-message': partners.message(event.message); break;
      case 'partner-link': partners.link(event.partner, event.state, event.last_error); break;
      case 'acknowledgement': acks.take([event.acknowledgement]); break;
      case 'marker': markers.put(event.marker); break;
      default: break;
    }
  };
  // A batch is applied in one go: the units' layer moves them on its next map update, the count is set once.
  const onEvents = (events: StreamEvent[]) => {
    for (const event of events) onEvent(event);
    header.setUnitCount(units.count);
  };
  await reload();
  alerts.render();
  void acks.start().catch(() => {});
  connectStream({ onEvents, onStatus: (s) => header.setStatus(s), onConnected: reload });
}

/** The side panel's tabs: live alerts, the history, incidents and partners. */
function sidePanels(map: MapLibreMap, live: Live, select: (a: AlertJson) => void, markers: MarkerLayer): void {
  const otherTerritory = (other: string) => {
    const u = live.partnerUnits.byAlertName(other);
    return u ? sharedTerritory(u) : undefined;
  };
  live.alerts.otherTerritory = otherTerritory;
  const history = new AlertHistory({
    form: byId('history-form'), unit: byId('history-unit'), units: byId('history-units'), kind: byId('history-kind'),
    partner: byId('history-partner'), from: byId('history-from'), to: byId('history-to'), summary: byId('history-summary'),
    list: byId('history-list'), shared: byId('history-shared'),
  }, live.acks, select, otherTerritory);
  const incidents = new IncidentList(byId('incidents'), byId('incident-state'), byId('incidents-summary'), (id) => void openIncident(id));
  const listView = byId('incident-list-view');
  const view = new IncidentView({
    root: byId('incident-view'), title: byId('incident-title'), facts: byId('incident-facts'), links: byId('incident-links'),
    timeline: byId('incident-timeline'), noteForm: byId('incident-note-form'), noteText: byId('incident-note'),
    noteStatus: byId('incident-note-status'), back: byId('incident-back'),
  }, map, () => {
    listView.hidden = false;
    byId<HTMLButtonElement>(`tab-incidents`).focus();
  });
  async function openIncident(id: number): Promise<void> {
    listView.hidden = true;
    await view.open(id);
  }
  wireTabs(byId('side-tabs'), (panel) => {
    void incidents.show(panel === 'incidents-section');
    if (panel === 'history-section') {
      history.setChoices(live.units.units(), live.partners.names);
      void history.search();
    }
  });
  live.partnerUnits.onChange(() => live.alerts.render());
  onLangChange(() => {
    history.render();
    incidents.render();
    view.render();
    live.partners.render();
    live.partnerUnits.render();
  });
  void markers.start();
  window.linderoPanels = { history, incidents, incidentView: view, partners: live.partners, markers, openIncident };
}

/** Beyond loopback: who is signed in on this browser, and the button that signs them out (POST /logout). */
function showSignedIn(name: string | null | undefined): void {
  if (!name) return;
  byId('sign-out').hidden = false;
  const label = () => { byId('signed-in-as').textContent = t('session.signedInAs', { name }); };
  label();
  onLangChange(label);
}

async function main(): Promise<void> {
  labelPage();
  const [config, lines] = await Promise.all([api.config(), api.lines()]);
  showSignedIn(config.signed_in_as);
  const map = createMap(byId('map'), config);
  await map.once('load');
  const drawn = drawnLines(lines, config);
  showLines(map, drawn);

  addOverlays(map);
  const units = new UnitLayer(map);
  const partnerUnits = new PartnerUnits(map);
  const acks = new Acknowledgements();
  const select = (a: AlertJson) => map.easeTo({ center: [a.lon, a.lat], zoom: Math.max(map.getZoom(), 13) });
  const alerts = new AlertsPanel(byId('alerts'), byId('alerts-open'), byId('flash'), map, acks, select);
  onLangChange(() => alerts.render());
  const boundaryCoords = drawn.boundary.features.map((f) => f.geometry.coordinates);
  const replay = new Replay(map, {
    units: byId('replay-units'), from: byId('replay-from'), to: byId('replay-to'), load: byId('replay-load'),
    play: byId('replay-play'), speed: byId('replay-speed'), slider: byId('replay-slider'), time: byId('replay-time'),
    summary: byId('replay-summary'),
  }, () => boundaryCoords);
  const header = modeSwitch(map, units, replay);
  const markers = new MarkerLayer(map);
  pointTools(map, units, partnerUnits, markers);
  const live: Live = { units, partnerUnits, alerts, acks, partners: new PartnersPanel(byId('partners'), partnerUnits), markers, header };
  sidePanels(map, live, select, markers);
  wirePrint(map, byId('print'), byId('north-arrow'), byId('print-stamp'));
  await goLive(live);

  window.lindero = { map, units, layers: { ...LAYER, ...OVERLAY_LAYER }, sources: { ...SOURCE, ...OVERLAY_SOURCE } };
  await map.once('idle');
  document.body.dataset.ready = 'true';
}

main().catch((e: unknown) => {
  document.body.dataset.ready = 'error';
  const flash = byId('flash');
  flash.hidden = false;
  flash.textContent = t('error.network', { status: e instanceof Error ? e.message : String(e) });
});
