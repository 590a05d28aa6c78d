// The language state both apps keep (the dashboard and field mode): which catalogue is current, remembered
// per browser under the app's own storage key, messages with `{name}` placeholders, and the page's
// data-i18n elements re-labelled on a switch.

export type Lang = 'en' | 'es';
export type Vars = Record<string, string | number>;

export interface Language<K extends string> {
  currentLang(): Lang;
  /** Switches language, remembers it for this browser, and re-labels the page. */
  setLang(lang: Lang): void;
  onLangChange(fn: (lang: Lang) => void): () => void;
  /** A message in the given language with `{name}` placeholders filled (values already formatted). */
  message(lang: Lang, key: K, vars?: Vars): string;
  t(key: K, vars?: Vars): string;
  /**
   * Fills elements whose `data-i18n` attribute names a message (their text), and those with
   * `data-i18n-title`, `data-i18n-aria-label`, `data-i18n-placeholder` (attributes).
   */
  applyMessages(root: ParentNode): void;
}

const ATTRIBUTES = ['title', 'aria-label', 'placeholder'] as const;

export function createLanguage<K extends string>(catalogues: Record<Lang, Record<K, string>>, storageKey: string): Language<K> {
  let current: Lang = initialLang(storageKey);
  const listeners = new Set<(lang: Lang) => void>();
  const message = (lang: Lang, key: K, vars: Vars = {}): string =>
    catalogues[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  const t = (key: K, vars?: Vars): string => message(current, key, vars);
  const applyMessages = (root: ParentNode): void => {
    for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n as K);
    for (const attr of ATTRIBUTES) {
      const data = `data-i18n-${attr}`;
      for (const el of root.querySelectorAll<HTMLElement>(`[${data}]`)) el.setAttribute(attr, t(el.getAttribute(data) as K));
    }
  };
  return {
    currentLang: () => current,
    setLang(lang) {
      current = lang;
      try {
        localStorage.setItem(storageKey, lang);
      } catch {
        // Not remembered, still switched.
      }
      document.documentElement.lang = lang;
      applyMessages(document);
      for (const fn of listeners) fn(lang);
    },
    onLangChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    message,
    t,
    applyMessages,
  };
}

function initialLang(storageKey: string): Lang {
  try {
    const saved = localStorage.getItem(storageKey);
    if (saved === 'en' || saved === 'es') return saved;
  } catch {
    // Storage can be disabled; fall back to the browser's language.
  }
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}
