// What a person can read on the page, and which English catalogue strings are among it.
import type { Page } from 'playwright-core';

/** The rendered text of the page plus the titles, labels and placeholders of visible elements. */
export async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts = [document.body.innerText, document.title];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('[title], [aria-label], [placeholder]'))) {
      if (el.offsetParent === null && el !== document.body) continue;
      for (const attr of ['title', 'aria-label', 'placeholder']) {
        const value = el.getAttribute(attr);
        if (value) parts.push(value);
      }
    }
    return parts.join('\n');
  });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * English catalogue text found in `text`: every fixed piece (between placeholders) of an English
 * message that differs from its Spanish counterpart and is not itself Spanish text, matched as whole words.
 */
export function englishLeftIn(text: string, en: Record<string, string>, es: Record<string, string>): string[] {
  const spanish = Object.values(es).join('\n');
  const found = new Set<string>();
  for (const [key, english] of Object.entries(en)) {
    if (english === es[key]) continue;
    for (const raw of english.split(/\{\w+\}/)) {
      const piece = raw.trim().replace(/^[\s.,:;·—–()“”«»±-]+|[\s.,:;·—–()“”«»±-]+$/g, '');
      if (!/\p{L}{2,}/u.test(piece) || spanish.includes(piece)) continue;
      const pattern = new RegExp(`(^|[^\\p{L}])${escape(piece)}($|[^\\p{L}])`, 'u');
      if (pattern.test(text)) found.add(`${key}: ${piece}`);
    }
  }
  return [...found].sort();
}
