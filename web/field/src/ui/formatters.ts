// Intl formatters made once per language: creating one costs milliseconds on a slow phone (locale data is
// loaded on first use), and a warning must not wait for that.
import type { Lang } from '../i18n/i18n.js';

// The locales of the people on each side of the default boundary, as the dashboard uses.
const LOCALES: Record<Lang, string> = { en: 'en-US', es: 'es-MX' };

const times = new Map<Lang, Intl.DateTimeFormat>();
const percents = new Map<Lang, Intl.NumberFormat>();

/** "5:44:12 PM" / "17:44:12": the time of a warning. */
export function timeOfDay(ms: number, lang: Lang): string {
  let f = times.get(lang);
  if (!f) times.set(lang, (f = new Intl.DateTimeFormat(LOCALES[lang], { hour: '2-digit', minute: '2-digit', second: '2-digit' })));
  return f.format(ms);
}

/** Confidence as a percentage, rounded down so that 0.99996 never reads as 100 %. */
export function percent(probability: number, lang: Lang): string {
  let f = percents.get(lang);
  if (!f) percents.set(lang, (f = new Intl.NumberFormat(LOCALES[lang], { style: 'percent', maximumFractionDigits: 2, roundingMode: 'floor' } as Intl.NumberFormatOptions)));
  return f.format(probability);
}

/** Makes every formatter now, while nothing is waiting on them. */
export function prepareFormatters(): void {
  for (const lang of Object.keys(LOCALES) as Lang[]) {
    timeOfDay(0, lang);
    percent(0.5, lang);
  }
}
