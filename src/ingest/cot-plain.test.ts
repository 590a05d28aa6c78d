import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parseCot, parseCotByParser, type CotOptions } from './cot.js';
import { readPlainEvent } from './cot-plain.js';
import { seeded } from '../../test/helpers/geodesic-oracle.js';

const options: CotOptions = { time: { now: Date.parse('2024-05-14T17:36:00Z') } };
const fixtures = new URL('../../test/fixtures/cot/', import.meta.url);

/** What parseCot makes of a document: its result, or its error's code, message and place. */
function outcome(parse: typeof parseCot, xml: string): string {
  try {
    return JSON.stringify(parse(xml, options));
  } catch (e) {
    const err = e as { code?: string; message: string; place?: unknown };
    if (err.code === undefined) throw e;
    return JSON.stringify({ code: err.code, message: err.message, place: err.place });
  }
}

/** Both readers give the same answer; returns whether the plain reader took the document. */
function same(xml: string, what: string): boolean {
  assert.equal(outcome(parseCot, xml), outcome(parseCotByParser, xml), `${what}: ${JSON.stringify(xml)}`);
  return readPlainEvent(xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml) !== undefined;
}

test('the TAK clients\' own events are read by the plain reader, with the answers of the full parser', () => {
  const taken: string[] = [];
  for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.xml'))) {
    if (same(readFileSync(new URL(name, fixtures), 'utf8'), name)) taken.push(name);
  }
  assert.deepEqual(taken.sort(), ['atak-pli.xml', 'geochat.xml', 'itak-pli.xml', 'ping.xml', 'spot-marker.xml', 'wintak-no-gps.xml', 'wintak-pli.xml']
    .filter((n) => taken.includes(n)).sort());
  for (const name of ['atak-pli.xml', 'itak-pli.xml', 'wintak-pli.xml']) assert.ok(taken.includes(name), `${name} is in the plain shape`);
  for (const name of ['xxe.xml', 'billion-laughs.xml']) assert.ok(!taken.includes(name), `${name} goes to the full parser`);
});

// ---- generated events -------------------------------------------------------------------------------

type Random = () => number;

const pick = <T>(rnd: Random, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

/** Pieces of values: plain, and every character class the plain reader must decline or pass through. */
const VALUE_PIECES = ['31.75', '-106.48', '5', '9999999.0', '2024-05-14T17:32:08Z', 'a-f-G-U-C', 'U-1', ' ', '  x  ', 'Peña', 'é', '😀',
  '\t', '\n', '\r', '\r\n', '\u00a0', '\ufeff', '\u2028', '<', '>', '&', '&amp;', '&lt;', '&#65;', '&bogus;', '"', "'", ']]>', '\u0001',
  '\ud800', '\udc00', '\ufffe', '', '1e3', 'NaN', '-1', ':', '=', '/>', '?>', '<!--', '-->'];

function value(rnd: Random, plain: string): string {
  if (rnd() < 1 - 0.04 * odd) return plain;
  let v = rnd() < 0.5 ? plain : '';
  const n = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < n; i++) v = rnd() < 0.5 ? v + pick(rnd, VALUE_PIECES) : pick(rnd, VALUE_PIECES) + v;
  return v;
}

const SPACES = [' ', ' ', ' ', '  ', '\t', '\n', '\r\n', ''];

function attributes(rnd: Random, pairs: [string, string][]): string {
  let out = '';
  const list = [...pairs];
  if (rnd() < 0.03 * odd && list.length > 0) list.push(pick(rnd, list)); // a repeated attribute
  if (rnd() < 0.02 * odd) list.push([pick(rnd, ['__proto__', 'constructor', 'toString', 'x:y', '1x', 'é', '_a.b-c']), 'v']);
  for (const [name, v] of list) {
    const q = rnd() < 0.7 ? '"' : "'";
    const eq = rnd() < 1 - 0.01 * odd ? '=' : pick(rnd, [' =', '= ', ' = ']);
    out += `${rnd() < 1 - 0.01 * odd ? pick(rnd, SPACES.slice(0, 7)) : ''}${name}${eq}${q}${value(rnd, v)}${rnd() < 1 - 0.005 * odd ? q : ''}`;
  }
  if (rnd() < 0.1) out += pick(rnd, SPACES);
  return out;
}

function element(rnd: Random, name: string, attrs: [string, string][], content: string): string {
  const a = attributes(rnd, attrs);
  if (content === '' && rnd() < 0.7) return `<${name}${a}${rnd() < 1 - 0.03 * odd ? '/>' : ' / >'}`;
  const close = rnd() < 1 - 0.02 * odd ? `</${name}>` : pick(rnd, [`</${name} >`, `</${name}\n>`, `</${name}x>`, '', `</${name.toUpperCase()}>`]);
  return `<${name}${a}>${content}${close}`;
}

function between(rnd: Random): string {
  const r = rnd();
  if (r < 0.8) return '';
  if (r < 1 - 0.03 * odd) return pick(rnd, SPACES);
  return pick(rnd, ['text', '<!-- comment -->', '<![CDATA[x]]>', '<?pi x?>', '&amp;', ' \u00a0 ', '<', '>']);
}

function detailChildren(rnd: Random): string[] {
  const children: string[] = [];
  if (rnd() < 0.8) children.push(element(rnd, 'contact', [['callsign', pick(rnd, ['COYOTE-3', 'Peña', ' x '])], ['endpoint', '*:-1:stcp']], ''));
  if (rnd() < 0.7) children.push(element(rnd, 'track', [['course', pick(rnd, ['252.7', '-1', '400', ''])], ['speed', pick(rnd, ['1.3', '-1', '-5', 'x'])]], ''));
  if (rnd() < 0.4) {
    const text = value(rnd, pick(rnd, ['Crossing at the river', '  spaced  ', '', 'a\r\nb', 'x < y']));
    children.push(rnd() < 0.8 ? `<remarks${attributes(rnd, rnd() < 0.5 ? [] : [['source', 'BAO']])}>${text}</remarks>` : element(rnd, 'remarks', [], ''));
  }
  if (rnd() < 0.5) children.push(element(rnd, '__group', [['role', 'Team Lead'], ['name', 'Cyan']], ''));
  if (rnd() < 0.4) children.push(element(rnd, 'takv', [['os', '34'], ['platform', 'ATAK-CIV']], ''));
  if (rnd() < 0.3) children.push(element(rnd, 'status', [['battery', '81']], rnd() < 0.5 ? '' : element(rnd, 'deep', [['a', '1']], element(rnd, 'deeper', [], ''))));
  if (rnd() < 0.2 * odd) children.push(element(rnd, pick(rnd, ['point', 'detail', 'event', 'link', 'x:ns', 'Contact', 'hasOwnProperty', '__proto__', 'é']), [['a', '1']], ''));
  if (rnd() < 0.05 * odd) children.push(pick(rnd, children.length ? children : ['<contact/>'])); // repeated
  return children;
}

/** 1: every oddity at its rate; 0: the structure stays plain (values still vary). Set per event. */
let odd = 1;

function event(rnd: Random): string {
  odd = rnd() < 0.5 ? 1 : 0;
  const attrs: [string, string][] = [['version', '2.0'], ['uid', pick(rnd, ['U-1', 'ANDROID-6a1d', ' spaced ', ''])], ['type', pick(rnd, ['a-f-G-U-C', 'b-m-p-s-m', 't-x-c-t', 'b-t-f', 'a-h-G'])],
    ['time', pick(rnd, ['2024-05-14T17:32:08Z', '2024-05-14T17:32:08.412Z', 'yesterday', '2031-01-01T00:00:00Z'])], ['start', '2024-05-14T17:32:08Z'],
    ['stale', pick(rnd, ['2024-05-14T17:38:23Z', 'x'])], ['how', 'm-g']];
  for (let i = attrs.length - 1; i > 0 && rnd() < 0.3; i--) attrs.splice(Math.floor(rnd() * attrs.length), 1);
  const pointAttrs: [string, string][] = [['lat', pick(rnd, ['31.75', '0', '91', ' 31.75 ', '31,75'])], ['lon', pick(rnd, ['-106.48', '0', '-181'])],
    ['hae', pick(rnd, ['1120', '9999999', '-20000'])], ['ce', pick(rnd, ['5', '9999999.0', '-3', ''])], ['le', '9999999']];
  if (rnd() < 0.1) pointAttrs.splice(Math.floor(rnd() * 2), 1);
  const parts: string[] = [];
  if (rnd() < 0.95) parts.push(element(rnd, 'point', pointAttrs, rnd() < 0.95 ? '' : '<x/>'));
  if (rnd() < 0.9) {
    const children = detailChildren(rnd);
    parts.push(element(rnd, 'detail', rnd() < 0.9 ? [] : [['a', 'b']], children.map((c) => c + between(rnd)).join('')));
  }
  if (rnd() < 0.05 * odd) parts.push(pick(rnd, parts.length ? parts : ['<point/>'])); // a second point or detail
  if (rnd() < 0.5) parts.reverse();
  let body = element(rnd, rnd() < 0.8 || !odd ? 'event' : pick(rnd, ['events', 'cot:event', 'Event']), attrs, parts.map((p) => between(rnd) + p).join('') + between(rnd));
  if (rnd() < 0.5) body = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${pick(rnd, ['', '\n', ' '])}${body}`;
  if (rnd() < 0.1 * odd) body = pick(rnd, ['\ufeff', ' ', '\n', '<?xml?>', '<!DOCTYPE event>']) + body;
  if (rnd() < 0.1 * odd) body += pick(rnd, ['\n', '  ', 'x', '<event/>', '<!-- c -->']);
  return body;
}

test('on 20,000 generated events, valid and not, the plain reader answers as the full parser or leaves the event to it', () => {
  const rnd = seeded(20261126);
  let taken = 0;
  for (let i = 0; i < 20_000; i++) if (same(event(rnd), `generated event ${i}`)) taken++;
  // Most generated events are plain (or plain with a bad value): the reader is exercised, not bypassed.
  assert.ok(taken > 5000, `the plain reader took ${taken} of 20,000`);
});

test('events cut, with a character dropped, doubled or changed anywhere, are answered as the full parser answers them', () => {
  const rnd = seeded(8087);
  const base = readFileSync(new URL('atak-pli.xml', fixtures), 'utf8');
  const replacements = ['<', '>', '/', '"', "'", '=', ' ', '&', '?', '!', '-', 'x', '\u0000', '\ud800', 'é'];
  for (let i = 0; i < 5000; i++) {
    const at = Math.floor(rnd() * base.length);
    const r = rnd();
    const mutated = r < 0.25 ? base.slice(0, at)
      : r < 0.5 ? base.slice(0, at) + base.slice(at + 1)
        : r < 0.75 ? base.slice(0, at) + base[at] + base.slice(at)
          : base.slice(0, at) + pick(rnd, replacements) + base.slice(at + 1);
    same(mutated, `mutation ${i} at ${at}`);
  }
});

test('an event nested deeper than the plain reader goes, or longer than the limit, is left to the full parser and its limits', () => {
  const deep = (n: number) => `<event uid="U" type="a-f-G" time="2024-05-14T17:32:08Z"><point lat="1" lon="2"/><detail>${'<a>'.repeat(n)}${'</a>'.repeat(n)}</detail></event>`;
  for (const n of [5, 9, 10, 11, 12, 40]) same(deep(n), `nesting ${n}`);
  assert.notEqual(readPlainEvent(deep(5)), undefined);
  assert.equal(readPlainEvent(deep(40)), undefined);
  const big = `<event uid="U" type="a-f-G" time="2024-05-14T17:32:08Z"><point lat="1" lon="2"/><detail><remarks>${'x'.repeat(70_000)}</remarks></detail></event>`;
  assert.throws(() => parseCot(big, options), { code: 'cot-too-large' });
});
