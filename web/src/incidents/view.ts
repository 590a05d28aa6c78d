// One incident: its window and units, its timeline (alerts, crossings, closest approaches, notes, the
// records of its evidence), its tracks on the map, operator notes, and the report (HTML, PDF) and the
// evidence bundle one click away.
import type { Feature, LineString, Point } from 'geojson';
import { LngLatBounds, type GeoJSONSource, type Map as MapLibreMap } from 'maplibre-gl';
import { api, incidentLinks } from '../api/client.js';
import type { EvidenceJson } from '../api/types.js';
import { formatDateTime, formatDistance, territoryName } from '../format.js';
import { currentLang, t, type Lang } from '../i18n/i18n.js';
import { OVERLAY_SOURCE } from '../overlays/style.js';
import { incidentState } from './list.js';

export interface IncidentViewElements {
  root: HTMLElement;
  title: HTMLElement;
  facts: HTMLElement;
  links: HTMLElement;
  timeline: HTMLElement;
  noteForm: HTMLFormElement;
  noteText: HTMLTextAreaElement;
  noteStatus: HTMLElement;
  back: HTMLButtonElement;
}

interface TimelineEntry {
  timeMs: number;
  kind: 'alert' | 'crossing' | 'closest' | 'note' | 'record';
  text: string;
}

function timeline(e: EvidenceJson, lang: Lang): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const a of e.alerts) entries.push({ timeMs: a.time_ms, kind: 'alert', text: lang === 'es' ? a.message_es : a.message_en });
  for (const u of e.units) {
    for (const c of u.crossings) {
      entries.push({ timeMs: c.time_ms, kind: 'crossing', text: t('incident.crossing', { unit: u.unit, from: territoryName(c.from, lang), to: territoryName(c.to, lang) }) });
    }
    const ca = u.closest_approach;
    if (ca) {
      entries.push({ timeMs: Date.parse(ca.time), kind: 'closest', text: t('incident.closest', { unit: u.unit, distance: formatDistance(ca.distance_m, lang), country: territoryName(ca.territory, lang) }) });
    }
  }
  for (const n of e.incident.notes) entries.push({ timeMs: Date.parse(n.time), kind: 'note', text: t('incident.note', { text: n.text }) });
  for (const r of e.incident.records) {
    entries.push({ timeMs: Date.parse(r.received), kind: 'record', text: t('incident.record', { action: t(`incident.action.${r.action as 'opened' | 'extended' | 'noted'}`), n: r.chain_n }) });
  }
  return entries.sort((a, b) => a.timeMs - b.timeMs);
}

function link(href: string, text: string, download = false): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  a.target = '_blank';
  a.rel = 'noopener';
  if (download) a.download = '';
  return a;
}

export class IncidentView {
  private evidence: EvidenceJson | null = null;
  /** What the note form last said, in the current language. */
  private noteStatus: () => string = () => '';

  constructor(private readonly el: IncidentViewElements, private readonly map: MapLibreMap, onBack: () => void) {
    el.back.addEventListener('click', () => {
      this.close();
      onBack();
    });
    el.noteForm.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.addNote();
    });
  }

  get id(): number | null {
    return this.evidence?.incident.id ?? null;
  }

  async open(id: number): Promise<void> {
    this.el.root.hidden = false;
    this.el.title.textContent = t('incidents.title', { id });
    this.el.facts.textContent = t('incident.loading');
    this.evidence = await api.incident(id);
    this.render();
    this.drawOnMap(true);
    this.el.back.focus();
  }

  close(): void {
    this.evidence = null;
    this.say(() => '');
    this.el.root.hidden = true;
    void (this.map.getSource(OVERLAY_SOURCE.incident) as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features: [] });
  }

  render(): void {
    const e = this.evidence;
    if (!e) return;
    const lang = currentLang();
    const i = e.incident;
    this.el.title.textContent = t('incidents.title', { id: i.id });
    this.el.noteStatus.textContent = this.noteStatus();
    const state = incidentState(i, Date.now());
    this.el.facts.replaceChildren(...[
      t(`incidents.state.${state}`),
      t('incidents.units', { units: i.units.join(', ') }),
      t('incidents.window', { from: formatDateTime(i.from_ms, lang), to: formatDateTime(i.to_ms, lang) }),
    ].map((text) => Object.assign(document.createElement('p'), { textContent: text })));
    const links = incidentLinks(i.id, lang);
    const both = incidentLinks(i.id, 'both');
    this.el.links.replaceChildren(
      link(links.html, t('incident.reportHtml')), link(both.html, t('incident.reportBoth')),
      link(links.pdf, t('incident.reportPdf')), link(links.bundle, t('incident.bundle'), true),
    );
    this.el.timeline.replaceChildren(...timeline(e, lang).map((entry) => {
      const li = document.createElement('li');
      li.className = `timeline-${entry.kind}`;
      const when = document.createElement('time');
      when.dateTime = new Date(entry.timeMs).toISOString();
      when.textContent = formatDateTime(entry.timeMs, lang);
      li.append(when, document.createTextNode(' '), Object.assign(document.createElement('span'), { textContent: entry.text }));
      return li;
    }));
  }

  private drawOnMap(fit: boolean): void {
    const e = this.evidence;
    if (!e) return;
    const features: Feature<LineString | Point>[] = [];
    const bounds = new LngLatBounds();
    for (const u of e.units) {
      const coords = u.fixes.map((f) => [f.where.lon, f.where.lat]);
      for (const c of coords) bounds.extend(c as [number, number]);
      if (coords.length > 1) features.push({ type: 'Feature', properties: { unit: u.unit }, geometry: { type: 'LineString', coordinates: coords } });
      for (const c of u.crossings) features.push({ type: 'Feature', properties: { unit: u.unit, kind: 'crossing' }, geometry: { type: 'Point', coordinates: [c.lon, c.lat] } });
    }
    void (this.map.getSource(OVERLAY_SOURCE.incident) as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features });
    if (fit && !bounds.isEmpty()) this.map.fitBounds(bounds, { padding: 80, maxZoom: 16, duration: 0 });
  }

  private async addNote(): Promise<void> {
    const text = this.el.noteText.value.trim();
    const id = this.id;
    if (!text || id === null) return;
    this.say(() => t('incident.noteSaving'));
    try {
      await api.addNote(id, text);
      this.el.noteText.value = '';
      this.say(() => t('incident.noteSaved'));
      this.evidence = await api.incident(id);
      this.render();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.say(() => t('incident.noteFailed', { message }));
    }
  }

  private say(status: () => string): void {
    this.noteStatus = status;
    this.el.noteStatus.textContent = status();
  }
}
