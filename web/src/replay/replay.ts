// Replay: pick units and a time window, load their tracks, then play, pause, change speed or drag the
// time slider; tracks are drawn by territory with their crossings marked.
import type { Feature, Position } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { api } from '../api/client.js';
import { formatDateTime, formatNumber } from '../format.js';
import { currentLang, onLangChange, plural, t } from '../i18n/i18n.js';
import { SOURCE } from '../map/style.js';
import { crossingPoints, positionAt, territoryRuns, trackFixes, type TrackFix } from './tracks.js';

export interface ReplayElements {
  units: HTMLElement;
  from: HTMLInputElement;
  to: HTMLInputElement;
  load: HTMLButtonElement;
  play: HTMLButtonElement;
  speed: HTMLSelectElement;
  slider: HTMLInputElement;
  time: HTMLElement;
  summary: HTMLElement;
}

const SLIDER_STEPS = 1000;
export const SPEEDS = [1, 10, 60, 300, 1800];

export class Replay {
  private tracks = new Map<string, TrackFix[]>();
  private fromMs = 0;
  private toMs = 0;
  private nowMs = 0;
  private playing = false;
  private frame = 0;
  private lastFrameAt = 0;
  private summaryCounts: { fixes: number; crossings: number } | null = null;

  constructor(
    private readonly map: MapLibreMap,
    private readonly el: ReplayElements,
    private readonly boundary: () => Position[][],
  ) {
    el.load.addEventListener('click', () => void this.load());
    el.play.addEventListener('click', () => (this.playing ? this.pause() : this.play()));
    el.slider.addEventListener('input', () => {
      this.seek(this.fromMs + ((this.toMs - this.fromMs) * Number(el.slider.value)) / SLIDER_STEPS);
    });
    el.speed.replaceChildren(...SPEEDS.map((s) => new Option('', String(s))));
    el.speed.value = '60';
    onLangChange(() => this.relabel());
    this.relabel();
  }

  /** Fills the unit choices and a default window (the last two hours up to now). */
  open(units: string[], nowMs: number): void {
    const checked = new Set([...this.el.units.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value));
    this.el.units.replaceChildren(...units.map((u) => {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = u;
      box.checked = checked.size === 0 || checked.has(u);
      label.append(box, ` ${u}`);
      return label;
    }));
    if (units.length === 0) {
      const none = document.createElement('p');
      none.dataset.i18n = 'replay.noUnits';
      none.textContent = t('replay.noUnits');
      this.el.units.append(none);
    }
    if (!this.el.from.value) this.el.from.value = localInputValue(nowMs - 2 * 3600_000);
    if (!this.el.to.value) this.el.to.value = localInputValue(nowMs + 60_000);
  }

  close(): void {
    this.pause();
    for (const id of [SOURCE.tracks, SOURCE.crossings, SOURCE.replayUnits]) this.setData(id, []);
    this.tracks.clear();
    this.summaryCounts = null;
    this.el.summary.textContent = '';
  }

  async load(): Promise<void> {
    this.pause();
    const units = [...this.el.units.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
    this.fromMs = new Date(this.el.from.value).getTime();
    this.toMs = new Date(this.el.to.value).getTime();
    if (!Number.isFinite(this.fromMs) || !Number.isFinite(this.toMs) || this.fromMs >= this.toMs || units.length === 0) return;
    this.el.summary.textContent = t('replay.loading');
    const tracks = await Promise.all(units.map(async (u) => [u, trackFixes(await api.track(u, this.fromMs, this.toMs))] as const));
    this.tracks = new Map(tracks.filter(([, fixes]) => fixes.length > 0));
    const boundary = this.boundary();
    const runs: Feature[] = [], crossings: Feature[] = [];
    let fixCount = 0;
    let firstMs = Infinity, lastMs = -Infinity;
    for (const [unit, fixes] of this.tracks) {
      fixCount += fixes.length;
      firstMs = Math.min(firstMs, fixes[0].timeMs);
      lastMs = Math.max(lastMs, fixes[fixes.length - 1].timeMs);
      runs.push(...territoryRuns(unit, fixes));
      crossings.push(...crossingPoints(unit, fixes, boundary));
    }
    this.setData(SOURCE.tracks, runs);
    this.setData(SOURCE.crossings, crossings);
    this.summaryCounts = fixCount > 0 ? { fixes: fixCount, crossings: crossings.length } : null;
    // The slider spans the recorded fixes, not the empty ends of the window asked for.
    if (fixCount > 0 && lastMs > firstMs) [this.fromMs, this.toMs] = [firstMs, lastMs];
    this.relabel();
    this.seek(this.fromMs);
  }

  play(): void {
    if (this.tracks.size === 0) return;
    if (this.nowMs >= this.toMs) this.nowMs = this.fromMs;
    this.playing = true;
    this.lastFrameAt = performance.now();
    this.relabel();
    const step = (at: number) => {
      if (!this.playing) return;
      const next = this.nowMs + (at - this.lastFrameAt) * Number(this.el.speed.value);
      this.lastFrameAt = at;
      this.seek(Math.min(next, this.toMs));
      if (next >= this.toMs) this.pause();
      else this.frame = requestAnimationFrame(step);
    };
    this.frame = requestAnimationFrame(step);
  }

  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.frame);
    this.relabel();
  }

  /** Moves replay time and every replayed unit to it. */
  seek(timeMs: number): void {
    this.nowMs = timeMs;
    const span = this.toMs - this.fromMs;
    this.el.slider.value = String(span > 0 ? Math.round(((timeMs - this.fromMs) / span) * SLIDER_STEPS) : 0);
    const units: Feature[] = [];
    for (const [unit, fixes] of this.tracks) {
      const at = positionAt(fixes, timeMs);
      if (at) units.push({ type: 'Feature', properties: { unit, territory: at.territory }, geometry: { type: 'Point', coordinates: [at.lon, at.lat] } });
    }
    this.setData(SOURCE.replayUnits, units);
    this.el.time.textContent = this.tracks.size > 0 ? formatDateTime(timeMs, currentLang()) : '';
  }

  private relabel(): void {
    const lang = currentLang();
    this.el.play.textContent = t(this.playing ? 'replay.pause' : 'replay.play');
    for (const option of this.el.speed.options) option.textContent = t('replay.speedTimes', { speed: formatNumber(Number(option.value), lang) });
    if (this.summaryCounts) {
      this.el.summary.textContent = t('replay.summary', {
        fixes: plural('replay.fixes', this.summaryCounts.fixes), crossings: plural('replay.crossings', this.summaryCounts.crossings),
      });
    } else if (this.tracks.size === 0 && this.el.summary.textContent) {
      this.el.summary.textContent = t('replay.empty');
    }
    if (this.tracks.size > 0) this.el.time.textContent = formatDateTime(this.nowMs, lang);
  }

  private setData(source: string, features: Feature[]): void {
    void (this.map.getSource(source) as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features });
  }
}

/** The value a datetime-local input takes for a moment, in this browser's time zone. */
function localInputValue(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

