// The partners panel: per partner its link state, the units it shares here (how coarse, how late, which
// side and how near the line as far as that precision allows), and the canned messages both ways, each
// shown in both languages, with delivery receipts; a form sends one.
import { api } from '../api/client.js';
import type { MessageJson, PartnerJson, PartnersJson, PartnerUnitJson, TemplateJson } from '../api/types.js';
import { formatDateTime, formatDistance, formatTime, territoryName } from '../format.js';
import { catalogues, currentLang, t, type Lang, type MessageKey } from '../i18n/i18n.js';
import { delayText, sharedTerritory, type PartnerUnits } from '../overlays/partner-units.js';

/**
 * How far a coarsened unit is from the line, no more precisely than it was shared: the unit is anywhere
 * within `precisionM` of a shared position `distanceM` from the line. "Within 428 m of the line" when that
 * allows it to be on the line; never "at least 0 cm".
 */
export function lineDistanceText(distanceM: number, precisionM: number, lang: Lang): string {
  if (precisionM <= 0) return t('partners.lineExact', { distance: formatDistance(distanceM, lang) });
  const most = formatDistance(distanceM + precisionM, lang);
  if (distanceM <= precisionM) return t('partners.lineWithin', { distance: most });
  return t('partners.lineBetween', { least: formatDistance(distanceM - precisionM, lang), most });
}

/** The message `key` when the catalogue has one (link states and parameters the server may add later), else `fallback`. */
function tOr(key: string, fallback: string, vars?: Record<string, string>): string {
  return key in catalogues.en ? t(key as MessageKey, vars) : fallback;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string | number | boolean> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node: HTMLElementTagNameMap[K] = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

export class PartnersPanel {
  private data: PartnersJson | null = null;
  private readonly messages = new Map<string, MessageJson[]>();
  private readonly linkStates = new Map<string, { state: string; lastError: string | null }>();

  constructor(private readonly root: HTMLElement, private readonly units: PartnerUnits) {
    units.onChange(() => this.render());
  }

  get names(): string[] {
    return this.data?.partners.map((p) => p.name) ?? [];
  }

  async load(): Promise<void> {
    this.data = await api.partners();
    this.linkStates.clear();
    await Promise.all(this.names.map(async (name) => this.messages.set(name, await api.messages(name).catch(() => []))));
    this.render();
  }

  /** A message sent, delivered (its receipt) or received, from the stream. */
  message(m: MessageJson): void {
    const list = this.messages.get(m.partner) ?? [];
    const i = list.findIndex((x) => x.id === m.id && x.direction === m.direction);
    if (i >= 0) list[i] = m;
    else list.push(m);
    this.messages.set(m.partner, list);
    this.render();
  }

  link(partner: string, state: string, lastError: string | null): void {
    this.linkStates.set(partner, { state, lastError });
    this.render();
  }

  render(): void {
    const lang = currentLang();
    if (!this.data || this.data.partners.length === 0) {
      this.root.replaceChildren(el('p', { className: 'partners-none', textContent: t('partners.none') }));
      return;
    }
    const focused = document.activeElement;
    const keep = focused && this.root.contains(focused) ? (focused as HTMLElement).dataset.keep : undefined;
    const drafts = new Map([...this.root.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-keep]')].map((x) => [x.dataset.keep!, x.value]));
    this.root.replaceChildren(...this.data.partners.map((p) => this.partnerCard(p, this.data!.templates, lang)));
    // What an operator was typing survives a redraw: the template first (it decides the fields), then the fields.
    for (const x of this.root.querySelectorAll<HTMLSelectElement>('select[name="template"][data-keep]')) {
      const draft = drafts.get(x.dataset.keep!);
      if (draft !== undefined && draft !== x.value) {
        x.value = draft;
        x.dispatchEvent(new Event('change'));
      }
    }
    for (const x of this.root.querySelectorAll<HTMLInputElement | HTMLSelectElement>('.message-params [data-keep]')) {
      const draft = drafts.get(x.dataset.keep!);
      if (draft !== undefined) x.value = draft;
    }
    if (keep) this.root.querySelector<HTMLElement>(`[data-keep="${CSS.escape(keep)}"]`)?.focus();
  }

  private partnerCard(p: PartnerJson, templates: TemplateJson[], lang: Lang): HTMLElement {
    const live = this.linkStates.get(p.name);
    const state = live?.state ?? p.link.state;
    const lastError = live ? live.lastError : p.link.last_error;
    const card = el('article', { className: 'partner' });
    card.dataset.partner = p.name;
    const badge = el('span', { className: `link-state link-${state}`, textContent: tOr(`partners.link.${state}`, state) });
    badge.dataset.state = state;
    card.append(el('h3', {}, p.name, ' ', badge));
    if (p.link.since_ms && !live) card.append(el('p', { className: 'link-since', textContent: t('partners.since', { time: formatDateTime(p.link.since_ms, lang) }) }));
    if (lastError) card.append(el('p', { className: 'link-error', textContent: t('partners.lastError', { error: lastError }) }));
    const policy = p.policy.grid_m === null
      ? t('partners.policyExact', { delay: delayText(p.policy.delay_s) })
      : t('partners.policy', { grid: formatDistance(p.policy.grid_m, lang), delay: delayText(p.policy.delay_s) });
    card.append(el('p', { className: 'partner-policy', textContent: policy }));
    if (p.link.delayed > 0) card.append(el('p', { textContent: t('partners.delayed', { count: p.link.delayed.toLocaleString(lang) }) }));
    card.append(this.unitList(this.units.of(p.name), lang), this.messageList(p.name, lang), this.sendForm(p.name, templates, lang));
    return card;
  }

  private unitList(units: PartnerUnitJson[], lang: Lang): HTMLElement {
    const list = el('ul', { className: 'partner-units' });
    if (units.length === 0) list.append(el('li', { className: 'muted', textContent: t('partners.noUnits') }));
    for (const u of units) {
      const d = u.last_fix.determination;
      const li = el('li', {}, el('strong', { textContent: u.unit }), ' ', t('partners.unitFacts', {
        country: territoryName(sharedTerritory(u), lang), line: lineDistanceText(d.boundary.distance_m, u.precision_m, lang),
        precision: formatDistance(u.precision_m, lang), delay: delayText(u.delay_s), time: formatTime(u.last_fix.time_ms, lang),
      }));
      li.dataset.unit = u.unit;
      list.append(li);
    }
    return list;
  }

  private messageList(partner: string, lang: Lang): HTMLElement {
    const other: Lang = lang === 'en' ? 'es' : 'en';
    const list = el('ol', { className: 'messages' });
    const messages = [...(this.messages.get(partner) ?? [])].sort((a, b) => a.created_ms - b.created_ms);
    for (const m of messages.slice(-30)) {
      const receipt = m.status === 'delivered' && m.delivered_ms !== null
        ? t('messages.delivered', { time: formatTime(m.delivered_ms, lang) })
        : tOr(`messages.${m.status}`, m.status, { time: formatTime(m.created_ms, lang) });
      const li = el('li', { className: `message message-${m.direction}` },
        el('span', { className: 'message-who', textContent: m.direction === 'in' ? t('messages.from', { partner }) : t('messages.to', { partner }) }),
        el('span', { className: 'message-text', lang, textContent: lang === 'es' ? m.text_es : m.text_en }),
        el('span', { className: 'message-text-other', lang: other, textContent: other === 'es' ? m.text_es : m.text_en }),
        el('span', { className: 'message-status', textContent: receipt }));
      li.dataset.status = m.status;
      li.dataset.template = m.template;
      list.append(li);
    }
    return list;
  }

  private sendForm(partner: string, templates: TemplateJson[], lang: Lang): HTMLFormElement {
    const form = el('form', { className: 'send-message' });
    const template = el('select', { name: 'template' });
    template.dataset.keep = `${partner}/template`;
    for (const x of templates) template.append(el('option', { value: x.id, textContent: lang === 'es' ? x.example_es : x.example_en }));
    const params = el('div', { className: 'message-params' });
    const fillParams = () => {
      const chosen = templates.find((x) => x.id === template.value);
      params.replaceChildren(...Object.entries(chosen?.params ?? {}).map(([name, spec]) => {
        const label = el('label', {}, tOr(`messages.param.${name}`, name), ' ');
        if (spec.type === 'number') {
          const input = el('input', { type: 'number', name, min: '0', max: '100000', step: '1', required: true, value: '100' });
          input.dataset.keep = `${partner}/param/${name}`;
          label.append(input);
        } else {
          const select = el('select', { name });
          select.dataset.keep = `${partner}/param/${name}`;
          for (const v of spec.one_of) select.append(el('option', { value: v, textContent: tOr(`messages.value.${v}`, v) }));
          label.append(select);
        }
        return label;
      }));
    };
    template.addEventListener('change', fillParams);
    const status = el('p', { className: 'send-status' });
    status.setAttribute('role', 'status');
    const send = el('button', { type: 'submit', textContent: t('messages.send') });
    send.dataset.keep = `${partner}/send`;
    form.append(el('label', {}, t('messages.template'), ' ', template), params, send, status);
    fillParams();
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const values: Record<string, string | number> = {};
      for (const x of params.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) values[x.name] = x.type === 'number' ? Number(x.value) : x.value;
      status.textContent = t('messages.sending');
      api.sendMessage(partner, template.value, values).then((m) => this.message(m), (err: unknown) => {
        status.textContent = t('messages.failed', { message: err instanceof Error ? err.message : String(err) });
      });
    });
    return form;
  }
}
