// The alert history: every stored alert, filtered by unit, kind, time window and partner, newest first,
// with who acknowledged each and when. With a partner chosen, the alerts that partner shared are listed too.
import type { AlertFilter } from '../api/client.js';
import { api } from '../api/client.js';
import type { AlertJson, PartnerAlertJson } from '../api/types.js';
import type { Acknowledgements } from '../alerts/acks.js';
import { alertItem, span } from '../alerts/item.js';
import { formatDateTime } from '../format.js';
import { currentLang, plural, t, type MessageKey } from '../i18n/i18n.js';

export const ALERT_KINDS = ['emergency', 'emergency-cancelled', 'crossing', 'approach', 'entered-strip', 'left-strip', 'proximity', 'stale'] as const;

export interface HistoryElements {
  form: HTMLFormElement;
  unit: HTMLInputElement;
  units: HTMLDataListElement;
  kind: HTMLSelectElement;
  partner: HTMLSelectElement;
  from: HTMLInputElement;
  to: HTMLInputElement;
  summary: HTMLElement;
  list: HTMLElement;
  shared: HTMLElement;
}

/** A datetime-local value (the browser's zone) as ISO 8601 with a zone, or undefined when empty. */
function isoFromLocal(value: string): string | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

export class AlertHistory {
  private alerts: AlertJson[] = [];
  private shared: PartnerAlertJson[] = [];
  private searched = false;
  private partnersShown = '';
  /** Each search numbered: an answer to an older search that arrives late is dropped. */
  private searchId = 0;

  constructor(
    private readonly el: HistoryElements,
    private readonly acks: Acknowledgements,
    private readonly onSelect: (alert: AlertJson) => void,
    private readonly otherTerritory: (otherUnit: string) => string | null | undefined,
  ) {
    el.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.search();
    });
    acks.onChange(() => this.render());
    this.labelKinds();
  }

  /** The units and partners offered in the filters. */
  setChoices(units: string[], partners: string[]): void {
    this.el.units.replaceChildren(...units.map((u) => Object.assign(document.createElement('option'), { value: u })));
    const key = partners.join('\n');
    if (key === this.partnersShown) return;
    this.partnersShown = key;
    const chosen = this.el.partner.value;
    const any = Object.assign(document.createElement('option'), { value: '', textContent: t('history.anyPartner') });
    any.dataset.i18n = 'history.anyPartner';
    this.el.partner.replaceChildren(any, ...partners.map((p) => Object.assign(document.createElement('option'), { value: p, textContent: p })));
    this.el.partner.value = partners.includes(chosen) ? chosen : '';
  }

  filter(): AlertFilter {
    return {
      unit: this.el.unit.value.trim() || undefined, kind: this.el.kind.value || undefined, partner: this.el.partner.value || undefined,
      since: isoFromLocal(this.el.from.value), until: isoFromLocal(this.el.to.value),
    };
  }

  async search(): Promise<void> {
    const filter = this.filter();
    const id = ++this.searchId;
    this.el.summary.textContent = t('history.searching');
    try {
      const [alerts, shared] = await Promise.all([
        api.history(filter),
        filter.partner ? api.partnerAlerts(filter.partner).catch(() => []) : Promise.resolve([]),
      ]);
      if (id !== this.searchId) return;
      const sinceMs = filter.since ? Date.parse(filter.since) : -Infinity;
      const untilMs = filter.until ? Date.parse(filter.until) : Infinity;
      this.alerts = alerts;
      this.shared = shared.filter((a) => a.time_ms >= sinceMs && a.time_ms < untilMs
        && (!filter.kind || a.kind === filter.kind) && (!filter.unit || a.unit === filter.unit));
      this.searched = true;
      this.render();
    } catch (e) {
      if (id !== this.searchId) return;
      this.el.summary.textContent = t('history.failed', { message: e instanceof Error ? e.message : String(e) });
    }
  }

  render(): void {
    this.labelKinds();
    if (!this.searched) return;
    const lang = currentLang();
    const options = {
      lang, acks: this.acks, withDate: true, otherTerritory: this.otherTerritory,
      onAcknowledge: (a: AlertJson) => void this.acks.acknowledge(a.id).catch(() => {}), onSelect: this.onSelect,
    };
    this.el.summary.textContent = this.alerts.length === 0 ? t('history.none') : plural('history.count', this.alerts.length, lang);
    this.el.list.replaceChildren(...this.alerts.map((a) => alertItem(a, options)));
    this.el.shared.replaceChildren(...this.shared.map((a) => {
      const li = document.createElement('li');
      li.className = `alert alert-${a.kind} alert-shared`;
      li.dataset.partner = a.partner;
      const when = document.createElement('time');
      when.className = 'alert-time';
      when.dateTime = a.time;
      when.textContent = formatDateTime(a.time_ms, lang);
      li.append(span('alert-kind', t('history.sharedBy', { partner: a.partner })), when, span('alert-detail', lang === 'es' ? a.message_es : a.message_en));
      return li;
    }));
  }

  private labelKinds(): void {
    const chosen = this.el.kind.value;
    const any = Object.assign(document.createElement('option'), { value: '', textContent: t('history.anyKind') });
    this.el.kind.replaceChildren(any, ...ALERT_KINDS.map((k) => Object.assign(document.createElement('option'), { value: k, textContent: t(`alert.kind.${k}` as MessageKey) })));
    this.el.kind.value = chosen;
    const anyPartner = this.el.partner.options[0];
    if (anyPartner) anyPartner.textContent = t('history.anyPartner');
  }
}
