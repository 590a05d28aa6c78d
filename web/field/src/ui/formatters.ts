// Intl formatters made once per language: creating one costs milliseconds on a slow phone (locale data is
// loaded on first use), and a warning must not wait for that. (The card's percentage is written without
// Intl, floorPercent in src/answer: the first answer must not wait for it either.)
import type { Lang } from '../i18n/i18n.js';

// The locales of the people on each side of the default boundary, as the dashboard uses.
const LOCALES: Record<Lang, string> = { en: 'en-US', es: 'es-MX' };

const times = new Map<Lang, Intl.DateTimeFormat>();

/** "5:44:12 PM" / "17:44:12": the time of a warning. */
export function timeOfDay(ms: number, lang: Lang): string {
  let f = times.get(lang);
  if (!f) times.set(lang, (f = new Intl.DateTimeFormat(LOCALES[lang], { hour: '2-digit', minute: '2-digit', second: '2-digit' })));
  return f.format(ms);
}

/** Makes every formatter now, while nothing is waiting on them. */
export function prepareFormatters(): void {
  for (const lang of Object.keys(LOCALES) as Lang[]) {
    timeOfDay(0, lang);
  }
}
