// One message catalogue per language; every string a person sees comes from here.
import en from './en.json';
import es from './es.json';
import { createLanguage, type Lang } from './language.js';

export type { Lang } from './language.js';
export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

export const LANGS: readonly Lang[] = ['en', 'es'];
export const catalogues: Record<Lang, Catalogue> = { en, es };

// es-MX and en-US: the locales of the people on each side of the default boundary.
const LOCALES: Record<Lang, string> = { en: 'en-US', es: 'es-MX' };

export const { currentLang, setLang, onLangChange, message, t, applyMessages } = createLanguage(catalogues, 'lindero.lang');
export const localeOf = (lang: Lang = currentLang()): string => LOCALES[lang];

/** `{base}.one` or `{base}.other` by the language's plural rule (CLDR, via Intl.PluralRules), with `{count}` formatted. */
export function plural(base: string, count: number, lang: Lang = currentLang()): string {
  const form = new Intl.PluralRules(LOCALES[lang]).select(count) === 'one' ? 'one' : 'other';
  return message(lang, `${base}.${form}` as MessageKey, { count: count.toLocaleString(LOCALES[lang]) });
}
