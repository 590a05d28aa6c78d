// One alert as a list item, the same in the live panel and the history: kind, time, unit, the server's
// own sentence in the chosen language, and who acknowledged it and when (or a button to acknowledge it).
import type { AlertJson } from '../api/types.js';
import { formatDateTime, formatDistance, formatTime, territoryName } from '../format.js';
import { t, type Lang, type MessageKey } from '../i18n/i18n.js';
import type { Acknowledgements } from './acks.js';

export interface AlertItemOptions {
  lang: Lang;
  acks: Acknowledgements;
  /** Show the date as well as the time (the history spans days). */
  withDate?: boolean;
  /** The territory the other unit of a proximity alert is in (a partner's unit: as it shared it), when known. */
  otherTerritory?(otherUnit: string): string | null | undefined;
  onAcknowledge(alert: AlertJson): void;
  onSelect(alert: AlertJson): void;
}

export function span(className: string, text: string): HTMLSpanElement {
  const el = document.createElement('span');
  el.className = className;
  el.textContent = text;
  return el;
}

/** The details line: distance to the line, where a crossing went, an emergency's last known position, the other unit of a proximity alert. */
function details(a: AlertJson, o: AlertItemOptions): string {
  const lang = o.lang;
  const parts = [t('alerts.distance', { distance: formatDistance(a.determination.boundary.distance_m, lang) })];
  if (a.kind === 'crossing' && a.to) parts.push(t('alerts.crossingTo', { country: territoryName(a.to, lang) }));
  // An emergency sent without a position is placed where the unit last reported: the panel says so.
  if (a.last_known_time) parts.push(t('alerts.lastKnown', { time: formatTime(Date.parse(a.last_known_time), lang) }));
  if (a.other_unit) {
    const at = a.other_unit.lastIndexOf('@');
    const other = at > 0
      ? t('alerts.otherPartnerUnit', { unit: a.other_name ?? a.other_unit.slice(0, at), partner: a.other_unit.slice(at + 1) })
      : t('alerts.otherUnit', { unit: a.other_name ?? a.other_unit });
    parts.push(other);
    // Which side each of the two is on.
    parts.push(t('alerts.sideOf', { unit: a.name ?? a.unit, country: territoryName(a.determination.territory, lang) }));
    const otherSide = o.otherTerritory?.(a.other_unit);
    if (otherSide !== undefined) {
      parts.push(t('alerts.sideOf', { unit: at > 0 ? a.other_unit.slice(0, at) : a.other_name ?? a.other_unit, country: territoryName(otherSide, lang) }));
    }
  }
  return parts.join(' · ');
}

export function alertItem(a: AlertJson, o: AlertItemOptions): HTMLLIElement {
  const li = document.createElement('li');
  const ack = o.acks.get(a.id);
  li.className = `alert alert-${a.kind}${ack ? ' acknowledged' : ''}`;
  li.dataset.alertId = String(a.id);
  li.dataset.kind = a.kind;
  li.tabIndex = 0;
  const kind = span('alert-kind', t(`alert.kind.${a.kind}` as MessageKey));
  const when = document.createElement('time');
  when.className = 'alert-time';
  when.dateTime = a.time;
  when.textContent = o.withDate ? formatDateTime(a.time_ms, o.lang) : formatTime(a.time_ms, o.lang);
  const unit = span('alert-unit', t('alerts.unit', { unit: a.name ?? a.unit }));
  const detail = span('alert-detail', details(a, o));
  li.append(kind, when, unit, detail);
  if (ack) {
    const by = span('alert-acked-by', t('alerts.ackedBy', { by: ack.by, time: formatDateTime(Date.parse(ack.time), o.lang) }));
    li.append(by);
  } else {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'alert-ack';
    button.textContent = t('alerts.ack');
    button.addEventListener('click', (e) => {
      e.stopPropagation();
      o.onAcknowledge(a);
    });
    li.append(button);
  }
  li.addEventListener('click', () => o.onSelect(a));
  li.addEventListener('keydown', (e) => {
    if (e.target === li && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      o.onSelect(a);
    }
  });
  return li;
}
