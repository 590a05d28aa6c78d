// KML and GPX on the phone: the browser's own DOMParser, then @tmcw/togeojson.
// A DTD is how XXE (external entities) and billion-laughs (nested entity expansion) are written; KML and GPX
// never need one, so any <!DOCTYPE>, <!ENTITY>, <!ELEMENT> or <!ATTLIST> is refused before parsing.
import { gpx, kml } from '@tmcw/togeojson';
import type { FeatureCollection } from 'geojson';
import { LinderoError } from '../../../../src/errors.js';
import { collection } from './geojson.js';
import { lineColumnAt } from './text.js';

/** Deeper nesting than any KML or GPX needs; a recursive reader would run out of stack. */
export const MAX_XML_DEPTH = 200;

export function xmlLayer(text: string, file: string): FeatureCollection {
  refuseDtd(text, file);
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  const error = parserError(doc);
  if (error !== null) throw new LinderoError('layer-syntax', `is not well-formed XML: ${error.message}`, { file, ...error.place });
  refuseDeepNesting(doc.documentElement, file);
  const root = doc.documentElement.localName;
  if (root === 'kml') return collection(kml(doc).features, file);
  if (root === 'gpx') return collection(gpx(doc).features, file);
  throw new LinderoError('layer-format', `is XML with root element <${root}>, not KML (<kml>) or GPX (<gpx>)`, { file, line: 1 });
}

function refuseDtd(text: string, file: string): void {
  // Comments and CDATA sections (unterminated ones too: the parser reports those) may hold "<!" harmlessly.
  const markup = /<!(?:--[\s\S]*?(?:-->|$)|\[CDATA\[[\s\S]*?(?:\]\]>|$)|\s*([A-Za-z]*))/g;
  for (let m = markup.exec(text); m !== null; m = markup.exec(text)) {
    if (m[1] === undefined) continue; // a comment or CDATA section
    throw new LinderoError('layer-hostile', `contains a <!${m[1].toUpperCase() || '…'}> declaration; document type definitions are refused because they can fetch files (XXE) or expand entities without bound, and KML/GPX never need one`, {
      file, ...lineColumnAt(text, m.index),
    });
  }
}

/**
 * The browser reports a syntax error as a <parsererror> element in the document: in the XHTML namespace in
 * Chromium and WebKit ("error on line L at column C: …" in its <div>), in Mozilla's namespace in Firefox
 * ("… Line Number L, Column C:").
 */
function parserError(doc: Document): { message: string; place: { line?: number; column?: number } } | null {
  for (const el of doc.getElementsByTagNameNS('*', 'parsererror')) {
    if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml' && el.namespaceURI !== 'http://www.mozilla.org/newlayout/xml/parsererror.xml') continue;
    const text = (el.querySelector('div')?.textContent ?? el.textContent ?? '').trim();
    const at = /line (\d+) at column (\d+):\s*/.exec(text) ?? /Line Number (\d+), Column (\d+):?\s*/.exec(text);
    const place = at ? { line: Number(at[1]), column: Number(at[2]) } : {};
    const message = (at ? text.replace(at[0], '') : text).replace(/^error on\s*/, '').split('\n')[0].trim();
    return { message, place };
  }
  return null;
}

function refuseDeepNesting(root: Element, file: string): void {
  const stack: [Element, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [element, depth] = stack.pop()!;
    if (depth > MAX_XML_DEPTH) throw new LinderoError('layer-hostile', `nests XML elements more than ${MAX_XML_DEPTH} deep`, { file });
    for (let child = element.firstElementChild; child; child = child.nextElementSibling) stack.push([child, depth + 1]);
  }
}
