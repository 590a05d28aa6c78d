// The alerts panel: newest first, each with unit, kind, distance to the line and time, and a button
// to acknowledge it. Crossings flash the screen and sound the alarm.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { acknowledgeAlert } from '../api/client.js';
import type { AlertJson } from '../api/types.js';
import { formatDistance, formatTime, territoryName } from '../format.js';
import { currentLang, t, type MessageKey } from '../i18n/i18n.js';
import { SOURCE } from '../map/style.js';
import { playCrossingAlarm } from './sound.js';

const ACK_KEY = 'lindero.acknowledged';
/** Alerts kept in the panel and on the map; older ones stay in the server's history. */
const MAX_SHOWN = 300;

export class AlertsPanel {
  private alerts: AlertJson[] = [];
  private readonly acknowledged = new Set<number>(loadAcknowledged());
  private lastId = 0;
  private flashTimer = 0;
  private flashUnit = '';

  constructor(
    private readonly list: HTMLElement,
    private readonly counter: HTMLElement,
    private readonly flash: HTMLElement,
    private readonly map: MapLibreMap,
    private readonly onSelect: (alert: AlertJson) => void,
  ) {}

  /** Id of the newest alert seen, to ask the server for what came after a reconnect. */
  get newestId(): number {
    return this.lastId;
  }

  /** Adds alerts (from history or the stream); `live` ones that are crossings raise the alarm. */
  add(incoming: AlertJson[], live: boolean): void {
    const known = new Set(this.alerts.map((a) => a.id));
    const fresh = incoming.filter((a) => !known.has(a.id));
    if (fresh.length === 0) return;
    for (const a of fresh) this.lastId = Math.max(this.lastId, a.id);
    this.alerts = [...this.alerts, ...fresh]
      .sort((a, b) => b.time_ms - a.time_ms || b.id - a.id)
      .slice(0, MAX_SHOWN);
    this.render();
    this.updateMap();
    const crossing = live ? fresh.find((a) => a.kind === 'crossing' && !this.acknowledged.has(a.id)) : undefined;
    if (crossing) this.raiseAlarm(crossing);
  }

  render(): void {
    const lang = currentLang();
    this.list.replaceChildren(...this.alerts.map((a) => this.item(a, lang)));
    if (this.alerts.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'alerts-empty';
      empty.textContent = t('alerts.empty');
      this.list.append(empty);
    }
    if (!this.flash.hidden) this.flash.textContent = t('alert.flash', { unit: this.flashUnit });
    const open = this.alerts.filter((a) => !this.acknowledged.has(a.id)).length;
    this.counter.textContent = open > 0 ? t('alerts.unacked', { count: open.toLocaleString(lang) }) : '';
  }

  private item(a: AlertJson, lang: 'en' | 'es'): HTMLLIElement {
    const li = document.createElement('li');
    li.className = `alert alert-${a.kind}${this.acknowledged.has(a.id) ? ' acknowledged' : ''}`;
    li.dataset.alertId = String(a.id);
    li.dataset.kind = a.kind;
    const kind = span('alert-kind', t(`alert.kind.${a.kind}` as MessageKey));
    const when = document.createElement('time');
    when.className = 'alert-time';
    when.dateTime = a.time;
    when.textContent = formatTime(a.time_ms, lang);
    const unit = span('alert-unit', t('alerts.unit', { unit: a.name ?? a.unit }));
    const details = [t('alerts.distance', { distance: formatDistance(a.determination.boundary.distance_m, lang) })];
    if (a.kind === 'crossing' && a.to) details.push(t('alerts.crossingTo', { country: territoryName(a.to, lang) }));
    if (a.other_unit) details.push(t('alerts.otherUnit', { unit: a.other_unit }));
    const detail = span('alert-detail', details.join(' · '));
    const ack = document.createElement('button');
    ack.type = 'button';
    ack.className = 'alert-ack';
    const isAcked = this.acknowledged.has(a.id);
    ack.textContent = isAcked ? t('alerts.acked') : t('alerts.ack');
    ack.disabled = isAcked;
    ack.addEventListener('click', (e) => {
      e.stopPropagation();
      this.acknowledge(a.id);
    });
    li.append(kind, when, unit, detail, ack);
    li.addEventListener('click', () => this.onSelect(a));
    return li;
  }

  acknowledge(id: number): void {
    this.markAcknowledged([id]);
    // On the server for every operator; a viewer's (refused) acknowledgement is taken back.
    acknowledgeAlert(id).catch(() => {
      this.acknowledged.delete(id);
      saveAcknowledged(this.acknowledged);
      this.map.setFeatureState({ source: SOURCE.alerts, id }, { acknowledged: false });
      this.render();
    });
  }

  /** Marks alerts acknowledged (here, or by another operator on the server). */
  markAcknowledged(ids: number[]): void {
    for (const id of ids) this.acknowledged.add(id);
    if (this.map.getSource(SOURCE.alerts)) {
      for (const id of ids) this.map.setFeatureState({ source: SOURCE.alerts, id }, { acknowledged: true });
    }
    saveAcknowledged(this.acknowledged);
    this.render();
  }

  private updateMap(): void {
    const source = this.map.getSource(SOURCE.alerts) as GeoJSONSource | undefined;
    if (!source) return;
    void source.setData({
      type: 'FeatureCollection',
      features: this.alerts.map((a) => ({
        type: 'Feature',
        properties: { id: a.id, kind: a.kind, unit: a.unit },
        geometry: { type: 'Point', coordinates: [a.lon, a.lat] },
      })),
    });
    for (const id of this.acknowledged) this.map.setFeatureState({ source: SOURCE.alerts, id }, { acknowledged: true });
  }

  private raiseAlarm(a: AlertJson): void {
    playCrossingAlarm();
    this.flashUnit = a.unit;
    this.flash.textContent = t('alert.flash', { unit: a.name ?? a.unit });
    this.flash.hidden = false;
    document.body.classList.remove('flashing');
    void document.body.offsetWidth; // restart the CSS animation
    document.body.classList.add('flashing');
    clearTimeout(this.flashTimer);
    this.flashTimer = window.setTimeout(() => {
      this.flash.hidden = true;
      document.body.classList.remove('flashing');
    }, 6000);
  }
}

function span(className: string, text: string): HTMLSpanElement {
  const el = document.createElement('span');
  el.className = className;
  el.textContent = text;
  return el;
}

function loadAcknowledged(): number[] {
  try {
    const ids = JSON.parse(localStorage.getItem(ACK_KEY) ?? '[]') as unknown;
    return Array.isArray(ids) ? ids.filter((x): x is number => Number.isInteger(x)) : [];
  } catch {
    return [];
  }
}

function saveAcknowledged(ids: Set<number>): void {
  try {
    // The newest few thousand are enough: older alerts have long left the panel.
    localStorage.setItem(ACK_KEY, JSON.stringify([...ids].slice(-5000)));
  } catch {
    // kept for this page only
  }
}
