// The field app's message catalogues: every string a person sees comes from en.json or es.json.
import en from './en.json';
import es from './es.json';

export type Lang = 'en' | 'es';
export type MessageKey = keyof typeof en;
export type Vars = Record<string, string | number>;

const catalogues: Record<Lang, Record<MessageKey, string>> = { en, es };
const STORAGE_KEY = 'lindero.field.lang';

let current: Lang = initialLang();
const listeners = new Set<(lang: Lang) => void>();

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'es') return saved;
  } catch {
    // Storage can be off; the browser's language decides.
  }
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export const currentLang = (): Lang => current;
export const otherLang = (lang: Lang = current): Lang => (lang === 'en' ? 'es' : 'en');

export function setLang(lang: Lang): void {
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Switched, not remembered.
  }
  document.documentElement.lang = lang;
  applyMessages(document);
  for (const fn of listeners) fn(lang);
}

export function onLangChange(fn: (lang: Lang) => void): void {
  listeners.add(fn);
}

/** The message in `lang` with `{name}` placeholders filled from `vars` (values already formatted for that language). */
export function message(lang: Lang, key: MessageKey, vars: Vars = {}): string {
  return catalogues[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export const t = (key: MessageKey, vars?: Vars): string => message(current, key, vars);

/** Fills `data-i18n="key"` elements (text) and `data-i18n-aria-label` / `data-i18n-placeholder` (attributes). */
export function applyMessages(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n as MessageKey);
  for (const attr of ['aria-label', 'placeholder'] as const) {
    for (const el of root.querySelectorAll<HTMLElement>(`[data-i18n-${attr}]`)) {
      el.setAttribute(attr, t(el.getAttribute(`data-i18n-${attr}`) as MessageKey));
    }
  }
}
