// The incidents list: each incident with its window, units and whether it is still open (its window
// has not ended, so a new crossing or proximity alert of one of its units extends it), filtered by state.
import { api } from '../api/client.js';
import type { IncidentJson } from '../api/types.js';
import { formatDateTime } from '../format.js';
import { currentLang, plural, t } from '../i18n/i18n.js';

export type IncidentState = 'open' | 'closed';

/** Open while its window has not ended. */
export const incidentState = (i: IncidentJson, nowMs: number): IncidentState => (i.to_ms > nowMs ? 'open' : 'closed');

/** Incidents are re-read this often while the list is shown (the rule opens them from alerts). */
export const INCIDENT_POLL_MS = 5000;

export class IncidentList {
  private incidents: IncidentJson[] = [];
  private timer = 0;

  constructor(
    private readonly list: HTMLElement,
    private readonly stateFilter: HTMLSelectElement,
    private readonly summary: HTMLElement,
    private readonly onOpen: (id: number) => void,
  ) {
    stateFilter.addEventListener('change', () => this.render());
  }

  /** Reads the list now and keeps it current while `showing` (the tab is open). */
  async show(showing: boolean): Promise<void> {
    window.clearInterval(this.timer);
    if (!showing) return;
    await this.refresh();
    this.timer = window.setInterval(() => void this.refresh().catch(() => {}), INCIDENT_POLL_MS);
  }

  async refresh(): Promise<void> {
    try {
      this.incidents = await api.incidents();
      this.render();
    } catch (e) {
      this.summary.textContent = t('incidents.failed', { message: e instanceof Error ? e.message : String(e) });
    }
  }

  render(): void {
    const lang = currentLang();
    const now = Date.now();
    for (const option of this.stateFilter.options) option.textContent = t(`incidents.filter.${option.value || 'all'}` as 'incidents.filter.all');
    const wanted = this.stateFilter.value;
    const shown = this.incidents.filter((i) => !wanted || incidentState(i, now) === wanted).sort((a, b) => b.id - a.id);
    this.summary.textContent = shown.length === 0 ? t('incidents.none') : plural('incidents.count', shown.length, lang);
    this.list.replaceChildren(...shown.map((i) => {
      const li = document.createElement('li');
      const state = incidentState(i, now);
      li.className = `incident incident-${state}`;
      li.dataset.incidentId = String(i.id);
      li.dataset.state = state;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'incident-link';
      button.textContent = t('incidents.title', { id: i.id });
      button.addEventListener('click', () => this.onOpen(i.id));
      const badge = document.createElement('span');
      badge.className = `incident-state state-${state}`;
      badge.textContent = t(`incidents.state.${state}`);
      const units = document.createElement('span');
      units.className = 'incident-units';
      units.textContent = t('incidents.units', { units: i.units.join(', ') });
      const window = document.createElement('span');
      window.className = 'incident-window';
      window.textContent = t('incidents.window', { from: formatDateTime(i.from_ms, lang), to: formatDateTime(i.to_ms, lang) });
      const by = document.createElement('span');
      by.className = 'incident-by';
      by.textContent = i.opened_by === 'rule' && i.opened_by_alert
        ? t('incidents.openedByAlert', { kind: t(`alert.kind.${i.opened_by_alert.kind}` as 'alert.kind.crossing') })
        : t('incidents.openedByOperator');
      li.append(button, badge, units, window, by);
      return li;
    }));
  }
}
