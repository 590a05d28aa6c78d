// The plain shape of nearly every GPX track point, read without saxes' per-character state machine:
//   <trkpt lat=".." lon=".."> <ele>..</ele> <time>..</time> <extensions>..</extensions> </trkpt>
// Hand-written because no XML library reads one element shape: a general tokenizer still pays an event
// per tag and text node, which is most of the cost. It reads a strict subset of XML and declines the rest
// (saxes then reads that point as usual), so it can never accept what saxes would refuse or read otherwise.
import { newDraft, noteValueElement, POINT_VALUES, setValue, type PointDraft } from './gpx-point.js';
import { CUT, DECLINED, type XmlShortcut } from './xml-feed.js';

/** Child elements open inside a point, at most (GPX extensions nest two or three deep). */
const MAX_NESTING = 8;

const LT = 60, GT = 62, SLASH = 47, EQ = 61, QUOT = 34, APOS = 39, COLON = 58, AMP = 38;

export class TrackPointShortcut implements XmlShortcut {
  readonly opening = '<trkpt';
  readonly maxChars = 4096;
  private text = '';
  /** Scan limit: the end of the text, or maxChars past the element's start. */
  private end = 0;
  private lines = 0;
  /** Where the names of the child elements open inside the point start and end. */
  private readonly openStart = new Int32Array(MAX_NESTING);
  private readonly openEnd = new Int32Array(MAX_NESTING);
  /** Set by nameAt: where the local name (after any prefix) starts. */
  private localStart = 0;
  private draft: PointDraft = newDraft('trkpt', 0);

  /** `ready`: the reader may take a point now; `finish`: a point read whole. */
  constructor(private readonly isReady: () => boolean, private readonly finish: (draft: PointDraft) => void) {}

  ready(): boolean {
    return this.isReady();
  }

  take(text: string, start: number, line: number): number {
    this.text = text;
    this.end = Math.min(text.length, start + this.maxChars);
    this.lines = 0;
    const d = this.draft;
    d.line = line;
    d.lat = d.lon = undefined;
    d.hdopInMetres = false;
    const v = d.values;
    v.time = v.ele = v.hdop = v.accuracy = v.speed = v.course = v.heading = v.bearing = undefined;
    let i = this.startTag(start + this.opening.length);
    if (i < 0) return i;
    d.line = line + this.lines;
    i = this.content(i);
    if (i < 0) return i;
    this.finish(d);
    return i;
  }

  /** Ran out of text: CUT if the text ended, DECLINED if the element is longer than maxChars. */
  private stop(): number {
    return this.end < this.text.length ? DECLINED : CUT;
  }

  /** The attributes of <trkpt: exactly lat and lon, once each; the index after '>'. */
  private startTag(i: number): number {
    const text = this.text, d = this.draft;
    for (;;) {
      const j = this.space(i);
      if (j < 0) return j;
      if (j >= this.end) return this.stop();
      const c = text.charCodeAt(j);
      if (c === GT) return d.lat !== undefined && d.lon !== undefined ? j + 1 : DECLINED;
      if (j === i || j + 3 >= this.end) return j === i ? DECLINED : this.stop();
      // "lat" or "lon", each once
      const lat = text.charCodeAt(j) === 108 && text.charCodeAt(j + 1) === 97 && text.charCodeAt(j + 2) === 116;
      const lon = !lat && text.charCodeAt(j) === 108 && text.charCodeAt(j + 1) === 111 && text.charCodeAt(j + 2) === 110;
      if (lat ? d.lat !== undefined : !lon || d.lon !== undefined) return DECLINED;
      let k = this.space(j + 3);
      if (k < 0 || k >= this.end) return k < 0 ? k : this.stop();
      if (text.charCodeAt(k) !== EQ) return DECLINED;
      k = this.space(k + 1);
      if (k < 0 || k >= this.end) return k < 0 ? k : this.stop();
      const quote = text.charCodeAt(k);
      if (quote !== QUOT && quote !== APOS) return DECLINED;
      // Attribute values are normalised by XML (tabs and line breaks become spaces): leave those to saxes.
      const close = this.plainUntil(k + 1, quote, ATTRIBUTE);
      if (close < 0) return close;
      if (lat) d.lat = text.slice(k + 1, close);
      else d.lon = text.slice(k + 1, close);
      i = close + 1;
    }
  }

  /** Child elements and text up to </trkpt>; the index after it. */
  private content(i: number): number {
    const text = this.text, openStart = this.openStart, openEnd = this.openEnd;
    let depth = 0;
    for (;;) {
      const lt = this.plainUntil(i, LT, IGNORED_TEXT);
      if (lt < 0) return lt;
      if (lt + 1 >= this.end) return this.stop();
      if (text.charCodeAt(lt + 1) === SLASH) {
        const after = depth > 0 ? this.endTag(lt + 2, openStart[depth - 1], openEnd[depth - 1]) : this.endTag(lt + 2, -1, -1);
        if (after < 0 || depth === 0) return after;
        depth--;
        i = after;
        continue;
      }
      const nameStart = lt + 1;
      const nameEnd = this.nameAt(nameStart);
      if (nameEnd < 0) return nameEnd;
      const name = knownName(text, this.localStart, nameEnd);
      if (name === 'trkpt') return DECLINED; // a point inside a point ends the outer one early: saxes' way
      const tagEnd = this.space(nameEnd);
      if (tagEnd < 0) return tagEnd;
      if (tagEnd + 1 >= this.end) return this.stop();
      const selfClosing = text.charCodeAt(tagEnd) === SLASH;
      if (selfClosing ? text.charCodeAt(tagEnd + 1) !== GT : text.charCodeAt(tagEnd) !== GT) return DECLINED;
      i = tagEnd + (selfClosing ? 2 : 1);
      if (name === '') {
        if (!selfClosing) {
          if (depth >= MAX_NESTING) return DECLINED;
          openStart[depth] = nameStart;
          openEnd[depth++] = nameEnd;
        }
        continue;
      }
      if (this.localStart > nameStart) noteValueElement(this.draft, name, text.slice(nameStart, nameEnd));
      if (selfClosing) setValue(this.draft, name, '');
      else if ((i = this.value(i, name, nameStart, nameEnd)) < 0) return i;
    }
  }

  /** A value element's text, up to its end tag (a child element inside it is declined). */
  private value(i: number, name: string, nameStart: number, nameEnd: number): number {
    const text = this.text;
    // Text with CRs is normalised by XML (CRLF becomes LF): leave it to saxes.
    const lt = this.plainUntil(i, LT, VALUE_TEXT);
    if (lt < 0) return lt;
    if (lt + 1 >= this.end) return this.stop();
    if (text.charCodeAt(lt + 1) !== SLASH) return DECLINED;
    const after = this.endTag(lt + 2, nameStart, nameEnd);
    if (after < 0) return after;
    setValue(this.draft, name, text.slice(i, lt));
    return after;
  }

  /** The name in text[nameStart, nameEnd) (or "trkpt" when nameStart < 0), white space, '>': the index after. */
  private endTag(i: number, nameStart: number, nameEnd: number): number {
    const text = this.text;
    const length = nameStart < 0 ? 5 : nameEnd - nameStart;
    if (i + length >= this.end) return this.stop();
    if (nameStart < 0) {
      if (!text.startsWith('trkpt', i)) return DECLINED;
    } else {
      for (let k = 0; k < length; k++) if (text.charCodeAt(i + k) !== text.charCodeAt(nameStart + k)) return DECLINED;
    }
    const j = this.space(i + length);
    if (j < 0) return j;
    if (j >= this.end) return this.stop();
    return text.charCodeAt(j) === GT ? j + 1 : DECLINED;
  }

  /**
   * The end of an element name at `i`: ASCII letters, digits, '_', '.', '-', with at most one prefix
   * ("gpxtpx:speed"; localStart is set to the local name's start); DECLINED for any other name.
   */
  private nameAt(i: number): number {
    const text = this.text, end = this.end;
    let part = 0, colon = false;
    this.localStart = i;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (part > 0 && ((c >= 48 && c <= 57) || c === 46 || c === 45))) part++;
      else if (c === COLON && !colon && part > 0) {
        colon = true;
        this.localStart = i + 1;
        part = 0;
      } else return part > 0 ? i : DECLINED;
    }
    return this.stop();
  }

  /**
   * The index of the next `stop` character (a quote, or '<') from `i`, the text before it being plain:
   * printable ASCII but '&' (entities), '<' and '>' (a ']]>' is an error), plus what `kind` allows of tab,
   * LF and CRLF. DECLINED for anything else (non-ASCII, control characters: saxes' to judge).
   */
  private plainUntil(i: number, stop: number, kind: number): number {
    const text = this.text, end = this.end;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === stop) return i;
      if (c >= 32 && c < 127) {
        if (c === AMP || c === GT || c === LT) return DECLINED;
      } else if (kind === ATTRIBUTE) return DECLINED;
      else if (c === 9 || c === 10) continue;
      else if (c !== 13 || kind !== IGNORED_TEXT || i + 1 >= end || text.charCodeAt(i + 1) !== 10) return i + 1 >= end && c === 13 ? this.stop() : DECLINED;
    }
    return this.stop();
  }

  /** Skips white space, counting lines; DECLINED at a CR not followed by LF (a line break of its own). */
  private space(i: number): number {
    const text = this.text, end = this.end;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lines++;
      else if (c === 13) {
        if (i + 1 >= end) return i + 1 >= text.length ? CUT : DECLINED;
        if (text.charCodeAt(i + 1) !== 10) return DECLINED;
      } else if (c !== 32 && c !== 9) return i;
      i++;
    }
    return i;
  }
}

/** Attribute values: XML turns their tabs and line breaks into spaces, so only printable characters. */
const ATTRIBUTE = 0;
/** A value's text: XML turns CRLF into LF there, so no CR. */
const VALUE_TEXT = 1;
/** Text that is not kept (between elements): CRLF too. */
const IGNORED_TEXT = 2;

/** The point values by name length, and "trkpt" (which a point must not contain). */
const KNOWN_BY_LENGTH: string[][] = [];
for (const name of [...POINT_VALUES, 'trkpt']) (KNOWN_BY_LENGTH[name.length] ??= []).push(name);

/** The point value (or "trkpt") named by text[s, e), as the one shared string; '' for any other name. */
function knownName(text: string, s: number, e: number): string {
  const candidates = KNOWN_BY_LENGTH[e - s];
  if (candidates) for (const name of candidates) if (text.startsWith(name, s)) return name;
  return '';
}
