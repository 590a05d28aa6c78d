// The plain shape of nearly every CoT event a TAK client sends, read without a general XML parser:
//   <event a=".." ...><point lat=".." lon=".." .../><detail><contact .../><track .../>…</detail></event>
// Hand-written because a general parser (fast-xml-parser: validate, then parse into a tree) costs some
// 30 µs an event, most of a live server's time on a busy CoT feed. It reads a strict subset of XML and
// declines everything else (comments, CDATA, entities, non-ASCII names, text between elements, odd
// spacing, repeated elements, deep nesting, names a parser treats specially), so parseCot's full parser
// decides those; what it accepts it returns in the very shape fast-xml-parser gives, so the same code
// reads both and the answers are equal (a test holds them equal on generated and mutated events).

/** The nodes parseCot reads: attributes under '@', child elements by name, a text as a string. */
export type PlainNode = Record<string, unknown>;

/** The <detail> children parseCot reads: callsign, team, who made it, speed and course, remarks, lindero's mark, where the position came from, an emergency. */
const DETAIL_READ = ['contact', '__group', 'link', 'track', 'remarks', '__lindero', 'precisionlocation', 'emergency'] as const;

/** Elements open at once inside an event, at most; deeper events go to the full parser. */
const MAX_NESTING = 12;

const LT = 60, GT = 62, SLASH = 47, EQ = 61, QUOT = 34, APOS = 39, AMP = 38, QMARK = 63, BANG = 33;

/** Names fast-xml-parser refuses or renames (prototype pollution guards), compared in lower case. */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype', 'hasownproperty', 'tostring', 'valueof',
  '__definegetter__', '__definesetter__', '__lookupgetter__', '__lookupsetter__']);

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/**
 * A character allowed as is in an attribute value or text: XML's Char without '<', '&' and '>', and
 * without CR (line ends are normalised, CR LF to LF).
 */
function isPlainChar(c: number): boolean {
  if (c < 32) return c === 9 || c === 10;
  if (c === LT || c === AMP || c === GT) return false;
  return c < 0xd800 || (c > 0xdfff && c < 0xfffe);
}

/** <?xml version="1.0" encoding="UTF-8" standalone="yes"?> and the like: quoted pseudo-attributes only. */
const DECLARATION = /<\?xml(?:[ \t\r\n]+[A-Za-z]+=(?:"[ !#-%'-;=@-~]*"|'[ !"#-%(-;=@-~]*'))*[ \t\r\n]*\?>/y;

/** Thrown inside the reader when the event is outside the plain shape; never escapes it. */
const DECLINE = Symbol('decline');

class PlainReader {
  private i = 0;
  private readonly open: string[] = [];

  constructor(private readonly text: string) {}

  private decline(): never {
    throw DECLINE;
  }

  private name(): string {
    const t = this.text;
    const start = this.i;
    if (!isNameStart(t.charCodeAt(start))) this.decline();
    let i = start + 1;
    while (isNameChar(t.charCodeAt(i))) i++;
    this.i = i;
    const name = t.slice(start, i);
    if (RESERVED_NAMES.has(name.toLowerCase())) this.decline();
    return name;
  }

  /**
   * The attributes of a start tag whose name was just read, up to and including '>' or '/>'. Values are
   * trimmed as fast-xml-parser trims them. Returns whether the element was empty ('/>').
   */
  private attributes(into: Record<string, string> | null): boolean {
    const t = this.text;
    const seen: string[] = [];
    for (;;) {
      let c = t.charCodeAt(this.i);
      if (c === GT) {
        this.i++;
        return false;
      }
      if (c === SLASH) {
        if (t.charCodeAt(this.i + 1) !== GT) this.decline();
        this.i += 2;
        return true;
      }
      // One or more spaces, then a name="value" or '/>' or '>'.
      if (!isSpace(c)) this.decline();
      do c = t.charCodeAt(++this.i); while (isSpace(c));
      if (c === GT || c === SLASH) continue;
      const name = this.name();
      if (seen.includes(name)) this.decline();
      seen.push(name);
      if (t.charCodeAt(this.i) !== EQ) this.decline();
      const quote = t.charCodeAt(this.i + 1);
      if (quote !== QUOT && quote !== APOS) this.decline();
      const start = this.i + 2;
      let i = start;
      for (c = t.charCodeAt(i); c !== quote; c = t.charCodeAt(++i)) if (!isPlainChar(c)) this.decline();
      if (into) into[name] = t.slice(start, i).trim();
      this.i = i + 1;
    }
  }

  /** Whitespace between elements; anything else declines. */
  private spaces(): void {
    const t = this.text;
    while (isSpace(t.charCodeAt(this.i))) this.i++;
  }

  /** The end tag of `name` at the current position ('</' already seen). */
  private endTag(name: string): void {
    const t = this.text;
    if (!t.startsWith(name, this.i)) this.decline();
    this.i += name.length;
    this.spaces();
    if (t.charCodeAt(this.i) !== GT) this.decline();
    this.i++;
  }

  /** An element whose '<' and name were read, checked to its end tag and not kept. */
  private skipElement(name: string): void {
    if (this.attributes(null)) return;
    this.content(name, null);
  }

  /**
   * Child elements and whitespace up to `</name>`. With `children`, the children named in it are
   * read (once each: a second one declines) into their node; the rest are only checked.
   */
  private content(name: string, children: Record<string, PlainNode | string | undefined> | null): void {
    const t = this.text;
    if (this.open.length >= MAX_NESTING) this.decline();
    this.open.push(name);
    for (;;) {
      this.spaces();
      if (t.charCodeAt(this.i) !== LT) this.decline();
      const c = t.charCodeAt(++this.i);
      if (c === SLASH) {
        this.i++;
        this.endTag(name);
        this.open.pop();
        return;
      }
      if (c === BANG || c === QMARK) this.decline();
      const child = this.name();
      if (children && child in children) {
        if (children[child] !== undefined) this.decline();
        children[child] = child === 'remarks' ? this.textElement(child) : child === 'detail' ? this.detailElement() : this.keptElement(child);
      } else this.skipElement(child);
    }
  }

  /** An element read for its attributes only ({'@': attributes}); its content is checked and skipped. */
  private keptElement(name: string): PlainNode {
    const attributes: Record<string, string> = {};
    if (!this.attributes(attributes)) this.content(name, null);
    return { '@': attributes };
  }

  /**
   * An element holding text only (<remarks>): its text trimmed, as fast-xml-parser returns it when the
   * element is read by textOf or as a string.
   */
  private textElement(name: string): string {
    if (this.attributes(null)) return '';
    const t = this.text;
    const start = this.i;
    let c = t.charCodeAt(this.i);
    while (c !== LT) {
      if (!isPlainChar(c)) this.decline();
      c = t.charCodeAt(++this.i);
    }
    const text = t.slice(start, this.i).trim();
    if (t.charCodeAt(this.i + 1) !== SLASH) this.decline();
    this.i += 2;
    this.endTag(name);
    return text;
  }

  /** The whole document: an optional <?xml ...?> declaration, the <event> element, trailing whitespace. */
  read(): PlainNode {
    const t = this.text;
    if (t.startsWith('<?xml')) {
      DECLARATION.lastIndex = 0;
      if (!DECLARATION.test(t)) this.decline();
      this.i = DECLARATION.lastIndex;
      this.spaces();
    }
    if (!t.startsWith('<event', this.i)) this.decline();
    this.i += 6;
    const event: PlainNode = {};
    const attributes: Record<string, string> = {};
    event['@'] = attributes;
    // `<event` followed by more name characters is another element.
    if (isNameChar(t.charCodeAt(this.i))) this.decline();
    if (this.attributes(attributes)) this.decline();
    const children: Record<string, PlainNode | string | undefined> = { point: undefined, detail: undefined };
    this.content('event', children);
    this.spaces();
    if (this.i !== t.length) this.decline();
    const point = children.point as PlainNode | undefined;
    if (point === undefined) this.decline();
    event.point = point;
    if (children.detail !== undefined) event.detail = children.detail;
    return event;
  }

  /** <detail> is read for what parseCot reads of it (DETAIL_READ); a second one of these declines. */
  private detailElement(): PlainNode {
    const detail: PlainNode = {};
    const children: Record<string, PlainNode | string | undefined> = {};
    for (const key of DETAIL_READ) children[key] = undefined;
    if (!this.attributes(null)) this.content('detail', children);
    for (const key of DETAIL_READ) if (children[key] !== undefined) detail[key] = children[key];
    return detail;
  }
}

/**
 * The <event> of a CoT document in the plain shape, as fast-xml-parser's tree would hold it for
 * parseCot (attributes, <point>, and <detail> with <contact>, <track> and <remarks>), or undefined
 * when the document is outside that shape and the full parser must read it.
 */
export function readPlainEvent(text: string): PlainNode | undefined {
  try {
    return new PlainReader(text).read();
  } catch (e) {
    if (e === DECLINE) return undefined;
    throw e;
  }
}
