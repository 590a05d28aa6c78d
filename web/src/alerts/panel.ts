// The live alerts panel: newest first, each with unit, kind, distance to the line and time, and who
// acknowledged it and when (on the server, the same for every operator). Crossings flash the screen and
// sound the alarm.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { AlertJson } from '../api/types.js';
import { currentLang, t } from '../i18n/i18n.js';
import { SOURCE } from '../map/style.js';
import type { Acknowledgements } from './acks.js';
import { alertItem } from './item.js';
import { playCrossingAlarm } from './sound.js';

/** Alerts kept in the panel and on the map; older ones stay in the server's history. */
const MAX_SHOWN = 300;

export class AlertsPanel {
  private alerts: AlertJson[] = [];
  private lastId = 0;
  private flashTimer = 0;
  /** What the flash says, in the current language. */
  private flashText: () => string = () => '';
  /** The territory a partner's unit is in, for proximity alerts that name one. */
  otherTerritory?: (otherUnit: string) => string | null | undefined;

  constructor(
    private readonly list: HTMLElement,
    private readonly counter: HTMLElement,
    private readonly flash: HTMLElement,
    private readonly map: MapLibreMap,
    private readonly acks: Acknowledgements,
    private readonly onSelect: (alert: AlertJson) => void,
  ) {
    acks.onChange((ids) => this.markAcknowledged(ids));
  }

  /** Id of the newest alert seen, to ask the server for what came after a reconnect. */
  get newestId(): number {
    return this.lastId;
  }

  /** Adds alerts (from history or the stream); `live` ones that are emergencies or crossings raise the alarm (an emergency first). */
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
    const open = (kind: AlertJson['kind']) => fresh.find((a) => a.kind === kind && !this.acks.has(a.id));
    const alarm = live ? open('emergency') ?? open('crossing') : undefined;
    if (alarm) this.raiseAlarm(alarm);
  }

  render(): void {
    const lang = currentLang();
    const options = {
      lang, acks: this.acks, otherTerritory: this.otherTerritory,
      onAcknowledge: (a: AlertJson) => this.acknowledge(a.id), onSelect: this.onSelect,
    };
    this.list.replaceChildren(...this.alerts.map((a) => alertItem(a, options)));
    if (this.alerts.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'alerts-empty';
      empty.textContent = t('alerts.empty');
      this.list.append(empty);
    }
    if (!this.flash.hidden) this.flash.textContent = this.flashText();
    const open = this.alerts.filter((a) => !this.acks.has(a.id)).length;
    this.counter.textContent = open > 0 ? t('alerts.unacked', { count: open.toLocaleString(lang) }) : '';
  }

  acknowledge(id: number): void {
    this.acks.acknowledge(id).catch((e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      this.say(() => t('alerts.ackFailed', { message }));
    });
  }

  /** Marks alerts acknowledged (here, or by another operator on the server). */
  markAcknowledged(ids: number[]): void {
    if (this.map.getSource(SOURCE.alerts)) {
      for (const id of ids) this.map.setFeatureState({ source: SOURCE.alerts, id }, { acknowledged: true });
    }
    if (this.acks.has(this.flashAlertId)) this.stopFlash();
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
    for (const a of this.alerts) if (this.acks.has(a.id)) this.map.setFeatureState({ source: SOURCE.alerts, id: a.id }, { acknowledged: true });
  }

  private flashAlertId = 0;

  private raiseAlarm(a: AlertJson): void {
    playCrossingAlarm();
    this.flashAlertId = a.id;
    const unit = a.name ?? a.unit;
    this.say(() => t(a.kind === 'emergency' ? 'alert.flashEmergency' : 'alert.flash', { unit }));
    document.body.classList.remove('flashing');
    void document.body.offsetWidth; // restart the CSS animation
    document.body.classList.add('flashing');
  }

  private say(text: () => string): void {
    this.flashText = text;
    this.flash.textContent = text();
    this.flash.hidden = false;
    clearTimeout(this.flashTimer);
    this.flashTimer = window.setTimeout(() => this.stopFlash(), 6000);
  }

  private stopFlash(): void {
    this.flash.hidden = true;
    document.body.classList.remove('flashing');
  }
}
