// One message catalogue per language; every string a person sees comes from here.
import en from './en.json';
import es from './es.json';

export type Lang = 'en' | 'es';
export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

export const LANGS: readonly Lang[] = ['en', 'es'];
export const catalogues: Record<Lang, Catalogue> = { en, es };

const STORAGE_KEY = 'lindero.lang';
// es-MX and en-US: the locales of the people on each side of the default boundary.
const LOCALES: Record<Lang, string> = { en: 'en-US', es: 'es-MX' };

let current: Lang = initialLang();
const listeners = new Set<(lang: Lang) => void>();

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'es') return saved;
  } catch {
    // Storage can be disabled; fall back to the browser's language.
  }
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export const currentLang = (): Lang => current;
export const localeOf = (lang: Lang = current): string => LOCALES[lang];

/** Switches language, remembers it for this browser, and re-labels the page. */
export function setLang(lang: Lang): void {
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered, still switched.
  }
  document.documentElement.lang = lang;
  applyMessages(document);
  for (const fn of listeners) fn(lang);
}

export function onLangChange(fn: (lang: Lang) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** A message in the given language with `{name}` placeholders filled (values already formatted). */
export function message(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text = catalogues[lang][key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export const t = (key: MessageKey, vars?: Record<string, string | number>): string => message(current, key, vars);

/** `{base}.one` or `{base}.other` by the language's plural rule (CLDR, via Intl.PluralRules), with `{count}` formatted. */
export function plural(base: string, count: number, lang: Lang = current): string {
  const form = new Intl.PluralRules(LOCALES[lang]).select(count) === 'one' ? 'one' : 'other';
  return message(lang, `${base}.${form}` as MessageKey, { count: count.toLocaleString(LOCALES[lang]) });
}

const ATTRIBUTES = ['title', 'aria-label', 'placeholder'] as const;

/**
 * Fills elements whose `data-i18n` attribute names a message (their text), and those with `data-i18n-title`, `data-i18n-aria-label`,
 * `data-i18n-placeholder` (attributes) from the current catalogue.
 */
export function applyMessages(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n as MessageKey);
  for (const attr of ATTRIBUTES) {
    const data = `data-i18n-${attr}`;
    for (const el of root.querySelectorAll<HTMLElement>(`[${data}]`)) el.setAttribute(attr, t(el.getAttribute(data) as MessageKey));
  }
}
