// Click anywhere: the server's where answer for that point (or the clicked unit's latest one) in a popup.
import { Popup, type Map as MapLibreMap } from 'maplibre-gl';
import { api } from '../api/client.js';
import type { FixJson, WhereJson } from '../api/types.js';
import { formatDateTime, formatMgrs } from '../format.js';
import { currentLang, message, onLangChange, t } from '../i18n/i18n.js';
import { answerLines } from './answer.js';

type Content = { title: string; subtitle?: string; answer?: WhereJson; error?: string; loading?: boolean; cardUrl?: string };

export class WherePopup {
  // A click elsewhere on the map asks about that point instead of only closing the popup.
  private readonly popup = new Popup({ maxWidth: '320px', className: 'where-popup', focusAfterOpen: false, closeOnClick: false });
  private render: (() => Content) | null = null;
  private request = 0;

  constructor(private readonly map: MapLibreMap) {
    onLangChange(() => this.refresh());
    this.popup.on('close', () => {
      this.render = null;
    });
  }

  /** Asks the server about a point and shows the answer there. */
  async showPoint(lat: number, lon: number): Promise<void> {
    const id = ++this.request;
    this.open(lat, lon, () => ({ title: t('where.title'), loading: true }));
    try {
      const answer = await api.where(lat, lon);
      if (id !== this.request) return;
      this.open(lat, lon, () => ({ title: t('where.title'), answer, cardUrl: cardUrl({ lat, lon }) }));
    } catch (e) {
      if (id !== this.request) return;
      this.open(lat, lon, () => ({ title: t('where.title'), error: t('where.error', { message: (e as Error).message }) }));
    }
  }

  /** A unit's latest fix and the verdict stored with it. */
  showUnit(fix: FixJson): void {
    const answer: WhereJson = { lat: fix.lat, lon: fix.lon, mgrs: formatMgrs(fix.lat, fix.lon), ...fix.determination };
    this.open(fix.lat, fix.lon, () => ({
      title: t('unit.title', { unit: fix.unit }),
      subtitle: t('unit.lastFix', { time: formatDateTime(fix.time_ms, currentLang()) }),
      answer,
      cardUrl: cardUrl({ unit: fix.unit }),
    }));
  }

  /** Facts about something on the map that is not a unit of ours (a partner's unit, a marker), in the chosen language. */
  showFacts(lat: number, lon: number, facts: () => { title: string; subtitle: string }): void {
    this.open(lat, lon, facts);
  }

  private open(lat: number, lon: number, render: () => Content): void {
    this.render = render;
    this.popup.setLngLat([lon, lat]).setDOMContent(this.build(render()));
    if (!this.popup.isOpen()) this.popup.addTo(this.map);
    this.labelClose();
  }

  private refresh(): void {
    if (this.render && this.popup.isOpen()) {
      this.popup.setDOMContent(this.build(this.render()));
      this.labelClose();
    }
  }

  private labelClose(): void {
    const close = this.popup.getElement()?.querySelector('.maplibregl-popup-close-button');
    close?.setAttribute('aria-label', t('map.closePopup'));
    close?.setAttribute('title', t('map.closePopup'));
  }

  private build(c: Content): HTMLElement {
    const root = document.createElement('div');
    root.className = 'where';
    const h = document.createElement('h3');
    h.textContent = c.title;
    root.append(h);
    if (c.subtitle) root.append(paragraph('where-subtitle', c.subtitle));
    if (c.loading) root.append(paragraph('where-loading', t('where.loading')));
    if (c.error) root.append(paragraph('where-error', c.error));
    if (c.answer) {
      if (!c.answer.certain) root.classList.add('uncertain');
      for (const line of answerLines(c.answer, currentLang())) root.append(paragraph(line.className, line.text));
    }
    if (c.cardUrl) {
      const a = document.createElement('a');
      a.href = c.cardUrl;
      a.target = '_blank';
      a.rel = 'noopener';
      a.className = 'where-card-link';
      a.textContent = message(currentLang(), 'where.card');
      root.append(a);
    }
    return root;
  }
}

function paragraph(className: string, text: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
}

function cardUrl(q: { unit: string } | { lat: number; lon: number }): string {
  const url = new URL('/card', location.origin);
  if ('unit' in q) url.searchParams.set('unit', q.unit);
  else {
    url.searchParams.set('lat', q.lat.toFixed(6));
    url.searchParams.set('lon', q.lon.toFixed(6));
  }
  return url.pathname + url.search;
}
