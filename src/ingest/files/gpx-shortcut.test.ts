import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isLinderoError } from '../../model/index.js';
import { readGpx } from './gpx.js';
import { TrackPointShortcut } from './gpx-shortcut.js';
import type { PointDraft } from './gpx-point.js';
import { DEFAULT_LIMITS, type TrackItem } from './types.js';
import { CUT, DECLINED } from './xml-feed.js';

const ctx = { file: 't.gpx', fallbackUnit: 't', limits: DEFAULT_LIMITS };
const T = '<time>2024-03-05T16:20:00Z</time>';

/** Points in the shapes real files have, plain ones and ones only saxes can read right (or refuse). */
const POINTS = [
  `<trkpt lat="31.5" lon="-106.2"><ele>1200.5</ele>${T}<hdop>0.9</hdop></trkpt>`,
  `<trkpt lat="31.5" lon="-106.2">\r\n  <ele>1200.5</ele>\r\n  ${T}\r\n</trkpt>`,
  `<trkpt lon='-106.2'\n   lat='31.5' >\n\t<ele> 12 </ele>\n\t${T}\n</trkpt >`,
  `<trkpt lat="31.5" lon="-106.2">${T}<extensions><gpxtpx:TrackPointExtension><gpxtpx:speed>1.4</gpxtpx:speed><gpxtpx:course>176</gpxtpx:course></gpxtpx:TrackPointExtension></extensions></trkpt>`,
  `<trkpt lat="31.5" lon="-106.2">${T}<extensions><osmand:hdop>4.8</osmand:hdop><osmand:heading>268</osmand:heading></extensions></trkpt>`,
  `<trkpt lat="31.5" lon="-106.2"><time/>${T}</trkpt>`,
  `<trkpt lat="31.5" lon="-106.2">${T}<sat/><fix>3d</fix><ele/></trkpt>`,
  `<trkpt lat="31.5" lon="-106.2">junk text ${T}</trkpt>`,
  `<trkpt lat="31.5" lon="-106.2"><!-- a note -->${T}</trkpt>`,
  `<trkpt lat="31.5" lon="-106.2"><time><![CDATA[2024-03-05T16:20:01Z]]></time></trkpt>`,
  `<trkpt lat="31.5" lon="-106.2"><ele>&#49;2</ele>${T}</trkpt>`,
  `<trkpt lat="31.5" lon="-106.2"><name>Camión</name>${T}</trkpt>`,
  `<trkpt lat="31.5" lon="-106.2"><ele>12\r\n</ele>${T}</trkpt>`,
  `<trkpt lat="31.5" lon="-106.2"><ele>1\r2</ele>${T}</trkpt>`,
  `<trkpt lat="3\t1.5" lon="-106.2">${T}</trkpt>`,
  `<trkpt lat="31.5" lon="-106.2" src="x">${T}</trkpt>`,
  `<trkpt lat="95" lon="-106.2">${T}</trkpt>`,
  `<trkpt lat="31.5" lon="west">${T}<ele>high</ele></trkpt>`,
  `<trkpt lat="31.5" lon="-106.2"><ele>12</ele></trkpt>`,
  `<trkpt lat="31.5">${T}</trkpt>`,
  `<trkpt lat="31.5" lon="-106.2"><trkpt lat="1" lon="2">${T}</trkpt><ele>1</ele></trkpt>`,
  `<trkpt lat="31.5" lon="-106.2"><time>2024-03-05T16:20:00<x/>Z</time></trkpt>`,
  `<trkpt lat="31.5" lon="-106.2"><ext a="1">${T}</ext></trkpt>`,
  `<trkpt lat="31.5" lat="31.6" lon="-106.2">${T}</trkpt>`,
  `<trkpt lat="31.5" lon="-106.2"><ele>1</elevation>${T}</trkpt>`,
  `<trkpt lat="31.5" lon="-106.2"><ele>1 ]]> 2</ele>${T}</trkpt>`,
  `<trkpt lat="31.5" lon="-106.2"><ele>&xxe;</ele>${T}</trkpt>`,
  `<trkpt lat="31.5"lon="-106.2">${T}</trkpt>`,
  `<trkpt lat="31.5" lon="-106.2">${T}<1bad/></trkpt>`,
  `<trkpt lat="31.5" lon="-106.2">${T}\r</trkpt>`,
  `<trkpt lat="31.5" lon="-106.2">${T}</trkpt><!-- <trkpt lat="1" lon="2">${T}</trkpt> -->`,
  `<trkptx lat="31.5" lon="-106.2">${T}</trkptx>`,
];

interface Outcome { items: TrackItem[]; error?: { code: string; line?: number; column?: number } }

async function read(chunks: string[], saxesOnly: boolean): Promise<Outcome> {
  async function* source() { yield* chunks; }
  const items: TrackItem[] = [];
  try {
    for await (const batch of readGpx(source(), ctx, saxesOnly)) items.push(...batch);
  } catch (e) {
    if (!isLinderoError(e)) throw e;
    return { items, error: { code: e.code, line: e.place.line, column: e.place.column } };
  }
  return { items };
}

function document(points: string[], separator: string): string {
  return `<?xml version="1.0"?>\n<gpx version="1.1" creator="t"><trk><name>A</name><trkseg>${separator}${points.join(separator)}${separator}</trkseg></trk>\n<wpt lat="1" lon="2"/></gpx>\n`;
}

function cutAt(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  return [0, ...points].map((p, i, all) => text.slice(p, all[i + 1] ?? text.length)).filter((c) => c.length > 0);
}

test('any mix of plain and unusual track points reads the same as through saxes alone, however it is cut into chunks', async () => {
  await fc.assert(fc.asyncProperty(
    fc.array(fc.constantFrom(...POINTS), { minLength: 1, maxLength: 6 }),
    fc.constantFrom('\n', '\r\n', '', '  ', '\n\t', '\r'),
    fc.array(fc.nat(2000), { maxLength: 5 }),
    async (points, separator, cuts) => {
      const text = document(points, separator);
      const expected = await read([text], true);
      assert.deepEqual(await read([text], false), expected);
      assert.deepEqual(await read(cutAt(text, cuts), false), expected);
    },
  ), { seed: 20240605, numRuns: 400 });
});

test('a document cut off inside a track point is a syntax error at the end, after the points before it', async () => {
  const text = document([POINTS[0], POINTS[0]], '\n');
  const cut = text.slice(0, text.lastIndexOf('<time>'));
  const fast = await read(cutAt(cut, [100, 200]), false);
  assert.deepEqual(fast, await read([cut], true));
  assert.equal(fast.items.length, 1);
  assert.equal(fast.error?.code, 'xml-syntax');
});

test('a plain track point is read whole by the shortcut, with the line of its start tag', () => {
  const drafts: PointDraft[] = [];
  const shortcut = new TrackPointShortcut(() => true, (d) => drafts.push(structuredClone(d)));
  const text = `<trkpt lat="31.5"\n lon="-106.2">\n<ele>12</ele>${T}<hdop>0.9</hdop></trkpt>\n`;
  assert.equal(shortcut.take(text, 0, 7), text.length - 1);
  assert.equal(drafts[0].line, 8);
  assert.deepEqual([drafts[0].lat, drafts[0].lon, drafts[0].values.ele, drafts[0].values.time, drafts[0].values.hdop], ['31.5', '-106.2', '12', '2024-03-05T16:20:00Z', '0.9']);
  assert.equal(shortcut.take(text.slice(0, 40), 0, 1), CUT, 'cut by the end of the text');
  assert.equal(shortcut.take(POINTS[8], 0, 1), DECLINED, 'a comment is left to saxes');
  assert.equal(shortcut.take(`<trkpt lat="1" lon="2">${'<x>'.repeat(3000)}`, 0, 1), DECLINED, 'longer than maxChars');
  assert.equal(drafts.length, 1);
});

test('a hostile point (entity, DOCTYPE-free XXE attempt, nesting, binary) is never taken by the shortcut', () => {
  const shortcut = new TrackPointShortcut(() => true, () => assert.fail('taken'));
  const hostile = [
    `<trkpt lat="&lat;" lon="1">${T}</trkpt>`,
    `<trkpt lat="1" lon="2">${'<e>'.repeat(20)}${'</e>'.repeat(20)}${T}</trkpt>`,
    `<trkpt lat="1" lon="2">\u0000\u0001\uFFFE${T}</trkpt>`,
    `<trkpt lat="1" lon="2"><?pi x?>${T}</trkpt>`,
  ];
  for (const text of hostile) assert.equal(shortcut.take(text, 0, 1), DECLINED, text);
});
