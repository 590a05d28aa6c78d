// Streaming XML for the track readers: saxes events, with the guards a hostile file needs.
import { SaxesParser } from 'saxes';
import { LinderoError } from '../../model/index.js';
import type { ReaderContext } from './types.js';
import { XmlFeed, type XmlShortcut } from './xml-feed.js';

export type { XmlShortcut } from './xml-feed.js';

/** GPX and KML never nest this deep; a deeper document is an attack or a mistake. */
export const MAX_DEPTH = 100;

export interface XmlElementHandler {
  /** A start tag (local name, prefix removed). Return true to be given this element's text at close(). */
  open(name: string, attrs: Record<string, string>, line: number, parent: string | undefined, qualified: string): boolean;
  /** An end tag, with the element's text when open() asked for it (else ''). */
  close(name: string, text: string, line: number, parent: string | undefined): void;
  /** End of the document. */
  end(): void;
}

/**
 * Feeds text chunks through saxes and yields what the handler pushes to `out`, a batch per chunk, so memory
 * stays bounded by the chunk size. A DOCTYPE is refused outright: track formats have none, and a DTD is
 * how entity expansion (billion laughs) and external entities (XXE) get in. Items already produced are
 * yielded before any error is thrown. A `shortcut` may take elements of one plain shape itself (see
 * XmlShortcut); saxes reads everything else, and is told of the lines the shortcut took.
 */
export async function* walkXml<T>(
  chunks: AsyncIterable<string>, ctx: ReaderContext, rootName: string, handler: XmlElementHandler, out: T[], shortcut?: XmlShortcut,
): AsyncGenerator<T[]> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: string[] = [];
  let capture: string | null = null;
  let captureDepth = -1;
  const feed = new XmlFeed(parser, shortcut, () => capture === null && stack.length > 0 && stack.length < MAX_DEPTH - 10);
  const place = () => ({ file: ctx.file, line: parser.line, column: parser.column + 1 });

  parser.on('error', (err) => {
    throw new LinderoError('xml-syntax', `malformed XML: ${err.message.replace(/^\d+:\d+: /, '')}`, place());
  });
  parser.on('doctype', () => {
    throw new LinderoError('xml-doctype', 'the document has a DOCTYPE; track files need none and lindero refuses them (entity expansion and external entities are attacks)', place());
  });
  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    if (stack.length === 0 && name !== rootName) {
      throw new LinderoError('xml-root', `the root element is <${tag.name}>, not <${rootName}>`, place());
    }
    if (stack.length >= MAX_DEPTH) throw new LinderoError('xml-depth', `elements are nested deeper than ${MAX_DEPTH}`, place());
    const wantText = handler.open(name, tag.attributes as Record<string, string>, parser.line, stack[stack.length - 1], tag.name);
    stack.push(name);
    if (wantText && capture === null) {
      capture = '';
      captureDepth = stack.length;
    }
    feed.tagEnded(parser.position);
  });
  const tooLong = () => new LinderoError('xml-text-too-long', `more than ${ctx.limits.maxXmlTextChars} characters of text without a tag`, place());
  parser.on('text', (text) => {
    // A whole text node within one chunk; one spanning chunks is caught after each chunk below.
    if (text.length > ctx.limits.maxXmlTextChars) throw tooLong();
    if (capture !== null) capture += text;
  });
  parser.on('cdata', (text) => {
    if (text.length > ctx.limits.maxXmlTextChars) throw tooLong();
    if (capture !== null) capture += text;
  });
  parser.on('closetag', () => {
    let text = '';
    if (capture !== null && captureDepth === stack.length) {
      text = capture;
      capture = null;
    }
    const name = stack.pop()!;
    handler.close(name, text, parser.line, stack[stack.length - 1]);
    feed.tagEnded(parser.position);
  });

  try {
    for await (const chunk of chunks) {
      feed.write(chunk);
      if (feed.charsSinceTag() > ctx.limits.maxXmlTextChars) throw tooLong();
      if (out.length > 0) yield out.splice(0);
    }
    feed.end();
    parser.close();
    handler.end();
  } catch (e) {
    if (out.length > 0) yield out.splice(0);
    throw e;
  }
  if (out.length > 0) yield out.splice(0);
}

export function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}
