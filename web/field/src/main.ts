// Field mode: the phone's own GPS, classified on the phone, shown as a bilingual card; works offline.
performance.mark('lindero:script-start');
// First: it starts reading the compiled boundary while the rest of this script is evaluated.
import './layers/early-read.js';
import './styles/field.css';
import { registerSW } from 'virtual:pwa-register';
import { answerFor } from './answer.js';
import { applyMessages, currentLang, otherLang, onLangChange, setLang, t } from './i18n/i18n.js';
import { loadLayerFile, openLayers, resetLayer, type ActiveLayers } from './layers/active-layers.js';
import { trackFix, type DeviceFix } from './position/device-fix.js';
import { watchDevicePosition } from './position/geolocation.js';
import { HeadingSource } from './position/heading.js';
import { queuedCount } from './report/outbox.js';
import { Reporter } from './report/reporter.js';
import { ServerConnection } from './report/server-connection.js';
import { loadSettings, saveSettings, type FieldSettings } from './settings.js';
import { byId } from './ui/dom.js';
import { FixView } from './ui/fix-view.js';
import { prepareFormatters } from './ui/formatters.js';
import { wireLayers } from './ui/layers-panel.js';
import { openSettings, wireSettings } from './ui/settings-panel.js';
import { SosControl } from './ui/sos.js';
import { StatusBar } from './ui/status.js';
import { WarningsLog } from './ui/warnings-log.js';
import { announce } from './warnings/announce.js';
import { FieldWarnings } from './warnings/field-warnings.js';
import { unlockSound } from './warnings/signals.js';

let settings: FieldSettings = loadSettings();
let active: ActiveLayers | null = null;
let lastFix: DeviceFix | null = null;
let warnings = new FieldWarnings({ warningDistanceM: settings.warningDistanceM });

const status = new StatusBar();
const view = new FixView(byId('fix'));
const log = new WarningsLog(byId<HTMLOListElement>('warning-list'), byId('warnings-none'));
const heading = new HeadingSource(() => view.setHeading(heading.current));
const reporter = new Reporter(
  () => (settings.serverUrl ? { serverUrl: settings.serverUrl, unit: settings.unit, apiKey: settings.apiKey } : null),
  (report) => status.update({ report }),
  (rejected) => status.update({ rejected }),
  (answered) => connection.heard(answered),
);
const sos = new SosControl({
  reporting: () => settings.serverUrl !== '',
  record: (fix, emergency) => reporter.record(fix, emergency),
  recordWithoutPosition: (timeMs, emergency) => reporter.recordWithoutPosition(timeMs, emergency),
});
// The report server when one is set, else the lindero server the app came from (it serves /field/).
const connection = new ServerConnection(
  () => ({ url: settings.serverUrl || new URL('../', document.baseURI).href, apiKey: settings.serverUrl ? settings.apiKey : '' }),
  (server) => status.update({ server }),
  () => void reporter.networkReturned(),
);

/**
 * Classifies the fix, redraws the card and raises warnings; the time it takes is recorded as a user-timing
 * measure. `loud` false feeds the rules without warning: the phone did not move, only the layers or
 * settings changed, and that is not an event to buzz about.
 */
function showFix(fix: DeviceFix, startMs = performance.now(), loud = true): void {
  if (!active) return;
  const classifyStartMs = performance.now();
  const answer = answerFor({ lat: fix.lat, lon: fix.lon, accuracyM: fix.accuracyM }, active.layers);
  if (loud) performance.measure('lindero:classify', { start: classifyStartMs, end: performance.now() });
  view.show(answer, fix, active.layers.territories);
  byId<HTMLButtonElement>('show-other-side').disabled = false;
  drawNow();
  const raised = warnings.observe(trackFix(fix, settings.unit), answer.determination);
  if (loud) for (const warning of raised) announce(warning, settings, log);
  // The card is on screen at the next frame.
  if (loud) requestAnimationFrame(() => performance.measure('lindero:fix-to-card', { start: startMs, end: performance.now() }));
}

/** New rules (new layers or warning distance), told where the phone already is. */
function restartWarnings(): void {
  warnings = new FieldWarnings({ warningDistanceM: settings.warningDistanceM });
  if (lastFix) showFix(lastFix, performance.now(), false);
}

function onFix(fix: DeviceFix): void {
  const startMs = performance.now();
  lastFix = fix;
  status.update({ gps: 'ok' });
  showFix(fix, startMs);
  // Through the SOS control: the next position after an SOS is pressed goes with it.
  sos.report(fix);
}

function useLayers(next: ActiveLayers): void {
  const first = active === null;
  active = next;
  status.update({ boundaryFile: next.boundaryFile, fenceFile: next.fenceFile, layersError: null });
  // A fix that came before the first layers has not been judged yet; after that, new layers are a new
  // rule state (distances and sides may all have changed), not a move.
  if (first) {
    // Until the first fix, the card's place now waits for the GPS, no longer for the boundary.
    const placeholder = document.querySelector<HTMLElement>('#fix .no-fix');
    if (placeholder) placeholder.dataset.i18n = 'fix.none';
    applyMessages(byId('fix'));
  }
  if (first && lastFix) showFix(lastFix);
  else if (!first) restartWarnings();
}

function wireControls(): void {
  byId('lang').addEventListener('click', () => setLang(otherLang()));
  onLangChange(() => {
    view.render();
    log.render();
    status.render();
    sos.render();
  });
  const unlock = () => {
    unlockSound();
    void heading.start();
    byId('unlock').hidden = true;
  };
  byId('unlock').addEventListener('click', unlock);
  document.addEventListener('pointerdown', unlock, { once: true });
  // The other side's card (the dashboard's, with its QR code) is loaded when first shown: the first answer
  // does not wait for its code.
  const otherSide = () => import('./ui/other-side.js');
  byId('show-other-side').addEventListener('click', () => {
    const answer = view.answer, timeMs = lastFix?.timeMs, territories = active?.layers.territories;
    if (answer && timeMs !== undefined && territories) void otherSide().then((m) => m.showOtherSide(answer, timeMs, territories));
  });
  byId('close-other-side').addEventListener('click', () => void otherSide().then((m) => m.hideOtherSide()));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !byId('other-side').hidden) void otherSide().then((m) => m.hideOtherSide());
  });
  byId('open-settings').addEventListener('click', () => openSettings(settings));
  wireSettings((next) => {
    const distanceChanged = next.warningDistanceM !== settings.warningDistanceM;
    settings = next;
    saveSettings(next);
    if (distanceChanged) restartWarnings();
    sos.render();
    void connection.check();
    void reporter.flush();
  });
  wireLayers({
    load: async (role, file) => useLayers(await loadLayerFile(role, file)),
    reset: async (role) => useLayers(await resetLayer(role)),
  });
  // The browser's network events are only hints to ask the server now; the server's answer decides.
  window.addEventListener('online', () => void connection.check());
  window.addEventListener('offline', () => void connection.check());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible') return;
    void connection.check();
    void reporter.flush();
  });
  setInterval(() => view.tick(Date.now()), 1000);
}

/**
 * Runs `work` once the next frame is on screen (after the first card: what the first answer need not wait
 * for), or after a second at most (a page opened in the background draws no frames).
 */
function afterNextFrame(work: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    work();
  };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 1000);
}

/** What can wait until the first answer is on screen: the service worker, asking the server, the outbox. */
async function startTheRest(): Promise<void> {
  registerSW({ immediate: true });
  connection.start();
  // Ready once a service worker is active, that is once it has stored the app and the boundary.
  void navigator.serviceWorker?.ready.then(() => {
    status.update({ offlineReady: true });
    document.body.dataset.offlineReady = 'true';
  });
  const queued = await queuedCount().catch(() => 0);
  status.update({ report: { state: settings.serverUrl ? 'sending' : 'off', queued } });
  void reporter.flush();
}

/**
 * Draws the page (early-read.js kept it from being drawn at start-up): once the first answer is on the card,
 * or the layers could not be had, or after DRAW_AT_MOST_MS, whatever is ready then (the message that the
 * boundary is loading, on a first visit; that the GPS is awaited). One drawing of the page with its answer,
 * instead of a drawing without it a moment before.
 */
function drawNow(): void {
  if (!('starting' in document.documentElement.dataset)) return;
  delete document.documentElement.dataset.starting;
  performance.mark('lindero:drawn');
}

/** How long a start may go undrawn: on a warm start the first answer comes sooner; on a first visit the loading message is shown. */
const DRAW_AT_MOST_MS = 400;

async function main(): Promise<void> {
  performance.mark('lindero:main');
  setTimeout(drawNow, DRAW_AT_MOST_MS);
  // First, what the first answer waits for: the layers (the compiled boundary is already being read, see
  // layers/early-read.ts), the words, the position.
  const layers = openLayers();
  setLang(currentLang());
  wireControls();
  status.render();
  sos.render();
  watchDevicePosition(onFix, (gps) => status.update({ gps }));
  try {
    useLayers(await layers);
    performance.mark('lindero:layers-ready');
    document.body.dataset.ready = 'true';
  } catch (e) {
    status.update({ layersError: t('layers.failed', { message: e instanceof Error ? e.message : String(e) }) });
    document.body.dataset.ready = 'error';
    drawNow();
  }
  afterNextFrame(() => {
    prepareFormatters();
    void startTheRest();
  });
}

void main();
