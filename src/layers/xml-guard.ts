// Parsing untrusted XML (KML, GPX) safely: no DTDs at all, bounded nesting, errors with line and column.
// A DTD is how XXE (external entities) and billion-laughs (nested entity expansion) attacks are written;
// KML and GPX never need one, so any <!DOCTYPE>, <!ENTITY>, <!ELEMENT> or <!ATTLIST> is refused before parsing.
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { LinderoError } from '../model/index.js';
import { MAX_XML_DEPTH } from './limits.js';
import { lineColumnAt } from './text.js';

/**
 * The first markup declaration (<!DOCTYPE>, <!ENTITY>, <!ELEMENT>, <!ATTLIST>) outside comments and CDATA
 * sections: where it starts and its keyword, or null. The one guard of every XML read whole (KML, GPX, a
 * CoT event); the streaming readers (track files through saxes, the CoT TCP stream) see a DOCTYPE as it
 * passes and refuse it by the same rule.
 */
export function findMarkupDeclaration(text: string): { index: number; keyword: string } | null {
  let at = text.indexOf('<!');
  while (at >= 0) {
    if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      if (end < 0) return null; // an unterminated comment is a syntax error the parser reports
      at = text.indexOf('<!', end + 3);
    } else if (text.startsWith('<![CDATA[', at)) {
      const end = text.indexOf(']]>', at + 9);
      if (end < 0) return null;
      at = text.indexOf('<!', end + 3);
    } else {
      return { index: at, keyword: (/^<!\s*([A-Za-z]*)/.exec(text.slice(at, at + 20))?.[1] || 'markup declaration').toUpperCase() };
    }
  }
  return null;
}

/** Throws 'layer-hostile' if the text declares a DTD anywhere outside comments and CDATA sections. */
export function refuseDtd(text: string, file: string): void {
  const found = findMarkupDeclaration(text);
  if (!found) return;
  throw new LinderoError(
    'layer-hostile',
    `contains a <!${found.keyword}> declaration; document type definitions are refused because they can fetch files (XXE) or expand entities without bound, and KML/GPX never need one`,
    { file, ...lineColumnAt(text, found.index) },
  );
}

/** Parses XML text into a DOM after refusing DTDs; syntax errors carry the line and column xmldom reports. */
export function parseXml(text: string, file: string): Document {
  refuseDtd(text, file);
  let reported: string | undefined;
  const parser = new DOMParser({
    onError(level, message) {
      if (level === 'warning') return;
      reported = message;
      throw new Error(message);
    },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(text, 'text/xml');
  } catch (e) {
    const locator = (e as { locator?: { lineNumber?: number; columnNumber?: number } }).locator;
    const place: { file: string; line?: number; column?: number } = { file };
    if (locator?.lineNumber) place.line = locator.lineNumber;
    if (locator?.lineNumber && locator.columnNumber) place.column = locator.columnNumber;
    throw new LinderoError('layer-syntax', `is not well-formed XML: ${reported ?? (e as Error).message}`, place);
  }
  if (!doc.documentElement) throw new LinderoError('layer-syntax', 'is not XML: it has no root element', { file });
  refuseDeepNesting(doc.documentElement, file);
  return doc;
}

/** Walks the tree without recursion and refuses nesting deeper than MAX_XML_DEPTH, which would overflow recursive readers. */
function refuseDeepNesting(root: Element, file: string): void {
  const stack: [Element, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [element, depth] = stack.pop()!;
    if (depth > MAX_XML_DEPTH) {
      throw new LinderoError('layer-hostile', `nests XML elements more than ${MAX_XML_DEPTH} deep`, { file, line: lineOf(element) });
    }
    for (let child = element.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 1) stack.push([child as Element, depth + 1]);
    }
  }
}

/** The 1-based source line xmldom recorded for a node, if any. */
export function lineOf(node: { lineNumber?: number } | null | undefined): number | undefined {
  const line = node?.lineNumber;
  return typeof line === 'number' && line > 0 ? line : undefined;
}

/** Elements below `node` with the given local name, in any namespace (KML 2.2 and Google's gx: both occur). */
export function elementsByLocalName(node: Document | Element, localName: string): Element[] {
  return Array.from(node.getElementsByTagNameNS('*', localName));
}
