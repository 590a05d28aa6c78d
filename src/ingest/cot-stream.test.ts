import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CotStreamSplitter, type CotStreamItem } from './cot-stream.js';
import { parseCot } from './cot.js';
import { seeded } from '../../test/helpers/geodesic-oracle.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../test/fixtures/cot/${name}`, import.meta.url));
const now = Date.parse('2024-05-14T17:36:00Z');

/** Three real-shaped events as a TAK client writes them on one TCP connection. */
const atak = fixture('atak-pli.xml');
const itak = fixture('itak-pli.xml');
const marker = fixture('spot-marker.xml');
const stream = Buffer.concat([atak, Buffer.from('\r\n'), itak, marker]);

function feed(splitter: CotStreamSplitter, chunks: Buffer[]): CotStreamItem[] {
  return [...chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.end()];
}
const events = (items: CotStreamItem[]) => items.filter((item) => item.kind === 'event').map((item) => (item as { xml: string }).xml);
const errors = (items: CotStreamItem[]) => items.flatMap((item) => (item.kind === 'error' ? [item.error] : []));
const uids = (items: CotStreamItem[]) => events(items).map((xml) => parseCot(xml, { time: { now } }).fix.unit);

const expectedUids = ['ANDROID-6a1d2b3c4d5e6f70', 'C94B9215-9BD4-4DBE-BDE1-83625F09153F', '9405e320-9356-41c4-8449-f46990aa17f8'];

test('three events in one chunk, with XML declarations and line breaks between, come out as three documents', () => {
  const items = feed(new CotStreamSplitter(), [stream]);
  assert.deepEqual(errors(items), []);
  assert.deepEqual(uids(items), expectedUids);
  assert.equal((items[0] as { byte: number }).byte, atak.indexOf('<event'));
});

test('the stream split at every byte offset gives the same three events', () => {
  for (let cut = 0; cut <= stream.length; cut++) {
    const items = feed(new CotStreamSplitter(), [stream.subarray(0, cut), stream.subarray(cut)]);
    assert.deepEqual(errors(items), [], `cut at ${cut}`);
    assert.equal(events(items).length, 3, `cut at ${cut}`);
  }
});

test('the stream fed one byte at a time gives the same events, byte for byte', () => {
  const splitter = new CotStreamSplitter();
  const chunks = [...stream].map((b) => Buffer.from([b]));
  const items = feed(splitter, chunks);
  const whole = events(feed(new CotStreamSplitter(), [stream]));
  assert.deepEqual(events(items), whole);
});

test('random chunkings keep multi-byte UTF-8 characters split across chunks intact', () => {
  const random = seeded(20240514);
  const text = Buffer.from(
    '<event version="2.0" uid="ÑANDÚ-🌵-1" type="a-f-G-U-C" time="2024-05-14T17:32:08Z"><point lat="31.75" lon="-106.48"/>' +
      '<detail><contact callsign="Ciudad Juárez — 北"/><remarks>señal débil 📡</remarks></detail></event>',
  );
  const doubled = Buffer.concat([text, text]);
  for (let round = 0; round < 200; round++) {
    const chunks: Buffer[] = [];
    for (let at = 0; at < doubled.length; ) {
      const size = 1 + Math.floor(random() * 9);
      chunks.push(doubled.subarray(at, at + size));
      at += size;
    }
    const items = feed(new CotStreamSplitter(), chunks);
    assert.deepEqual(errors(items), []);
    const parsed = events(items).map((xml) => parseCot(xml, { time: { now } }));
    assert.deepEqual(parsed.map((c) => c.fix.unit), ['ÑANDÚ-🌵-1', 'ÑANDÚ-🌵-1']);
    assert.equal(parsed[1].callsign, 'Ciudad Juárez — 北');
    assert.equal(parsed[1].remarks, 'señal débil 📡');
  }
});

test('"</event>" inside a comment, CDATA or attribute does not end the event early', () => {
  const tricky =
    '<event uid="T-1" type="a-f-G" time="2024-05-14T17:32:08Z" how="m-g"><point lat="31.75" lon="-106.48"/>' +
    '<detail><!-- -> </event> --><remarks><![CDATA[ ]> </event> ]]]></remarks><contact callsign="a>b"/><?pi </event> ?></detail></event>';
  const items = feed(new CotStreamSplitter(), [Buffer.from(tricky + tricky)]);
  assert.deepEqual(errors(items), []);
  assert.deepEqual(events(items), [tricky, tricky]);
  assert.equal(parseCot(tricky, { time: { now } }).callsign, 'a>b');
});

test('a self-closing <event/> is a complete (if useless) document', () => {
  const items = feed(new CotStreamSplitter(), [Buffer.from('<event uid="x"/><event uid="y"></event>')]);
  assert.deepEqual(events(items), ['<event uid="x"/>', '<event uid="y"></event>']);
});

test('garbage between events is skipped and reported once, with its byte offset', () => {
  const garbage = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  const items = feed(new CotStreamSplitter(), [Buffer.concat([atak, garbage, itak])]);
  assert.deepEqual(uids(items), expectedUids.slice(0, 2));
  const [error] = errors(items);
  assert.equal(errors(items).length, 1);
  assert.equal(error.code, 'cot-garbage');
  assert.equal(error.place.byte, atak.length);
  assert.match(error.message, /GET/);
});

test('a TAK protocol version 1 stream frame (0xbf, length, message) is framed, whole, between XML events', () => {
  const payload = Buffer.from([0x0a, 0x0c, 0x08, 0x01, 0x12, 0x04, 0x55, 0x2d, 0x31, 0x32, 0x1a, 0x02, 0x61, 0x66]);
  const frame = Buffer.concat([Buffer.from([0xbf, payload.length]), payload]);
  const input = Buffer.concat([frame, atak, frame]);
  // Fed a byte at a time, the frame's header and payload arrive split.
  const items = feed(new CotStreamSplitter(), [...input].map((b) => Buffer.from([b])));
  assert.deepEqual(uids(items), expectedUids.slice(0, 1));
  const protos = items.filter((item) => item.kind === 'proto');
  assert.equal(protos.length, 2);
  assert.deepEqual(Buffer.from(protos[0].kind === 'proto' ? protos[0].payload : []), payload);
  assert.equal(protos[1].byte, frame.length + atak.length);
  assert.deepEqual(errors(items), []);
});

test('a frame longer than the event limit is reported and the stream goes on at the next event', () => {
  const items = feed(new CotStreamSplitter({ maxEventBytes: 2000 }), [Buffer.concat([Buffer.from([0xbf, 0xb8, 0x17]), atak])]);
  assert.equal(errors(items)[0].code, 'cot-too-large');
  assert.deepEqual(uids(items), expectedUids.slice(0, 1));
});

test('a DOCTYPE before an event refuses that event (its document) and its entity is never expanded', () => {
  const items = feed(new CotStreamSplitter(), [fixture('billion-laughs.xml')]);
  assert.deepEqual(errors(items).map((e) => e.code), ['cot-doctype', 'cot-doctype']);
  assert.deepEqual(events(items), []);
});

test('after a DOCTYPE, the next event is refused however the stream is cut, and the one after is read', () => {
  const doctype = Buffer.from('<?xml version="1.0"?>\n<!DOCTYPE event [<!ENTITY e "<event uid=\'X\'/>">]>\n');
  const input = Buffer.concat([doctype, atak, itak]);
  for (const size of [1, 7, input.length]) {
    const chunks: Buffer[] = [];
    for (let at = 0; at < input.length; at += size) chunks.push(input.subarray(at, at + size));
    const items = feed(new CotStreamSplitter(), chunks);
    assert.deepEqual(uids(items), expectedUids.slice(1, 2), `chunks of ${size}`);
    assert.ok(errors(items).some((e) => e.code === 'cot-doctype' && e.place.byte === doctype.length + atak.indexOf('<event')), `chunks of ${size}`);
  }
});

test('an event over the size limit is discarded with its offset and the stream resyncs at the next <event', () => {
  const big = Buffer.from(`<event uid="BIG" type="a-f-G"><detail><remarks>${'x'.repeat(5000)}</remarks></detail></event>`);
  const splitter = new CotStreamSplitter({ maxEventBytes: 2048 });
  const input = Buffer.concat([atak, big, itak]);
  const chunks: Buffer[] = [];
  for (let at = 0; at < input.length; at += 700) chunks.push(input.subarray(at, at + 700));
  let peak = 0;
  const items: CotStreamItem[] = [];
  for (const chunk of chunks) {
    items.push(...splitter.push(chunk));
    peak = Math.max(peak, splitter.bufferedBytes);
  }
  items.push(...splitter.end());
  assert.deepEqual(uids(items), expectedUids.slice(0, 2));
  const [error] = errors(items);
  assert.equal(error.code, 'cot-too-large');
  assert.equal(error.place.byte, atak.length);
  assert.ok(peak <= 2048 + 8, `buffered ${peak} bytes`);
});

test('10 MB without a single event keeps memory bounded and reports the garbage in bounded pieces', () => {
  const splitter = new CotStreamSplitter();
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  let peak = 0;
  let reported = 0;
  for (let k = 0; k < 160; k++) {
    reported += errors(splitter.push(chunk)).length;
    peak = Math.max(peak, splitter.bufferedBytes);
  }
  reported += errors(splitter.end()).length;
  assert.equal(peak, 0);
  assert.equal(reported, 160);
});

test('an endless event (10 MB of nested text) is cut off at the limit, not buffered', () => {
  const splitter = new CotStreamSplitter();
  const items = splitter.push(Buffer.from('<event uid="x"><detail><remarks>'));
  let peak = 0;
  const filler = Buffer.alloc(1024 * 1024, 0x78);
  for (let k = 0; k < 10; k++) {
    items.push(...splitter.push(filler));
    peak = Math.max(peak, splitter.bufferedBytes);
  }
  items.push(...splitter.push(atak), ...splitter.end());
  assert.ok(peak <= 64 * 1024 + 8, `buffered ${peak} bytes`);
  assert.deepEqual(errors(items).map((e) => e.code), ['cot-too-large']);
  assert.deepEqual(uids(items), expectedUids.slice(0, 1));
});

test('a stream that ends inside an event reports it as truncated', () => {
  const items = feed(new CotStreamSplitter(), [atak, itak.subarray(0, 100)]);
  assert.deepEqual(uids(items), expectedUids.slice(0, 1));
  const [error] = errors(items);
  assert.equal(error.code, 'cot-truncated');
  assert.equal(error.place.byte, atak.length);
});

test('invalid UTF-8 inside one event drops that event only', () => {
  const broken = Buffer.concat([Buffer.from('<event uid="'), Buffer.from([0xc3, 0x28]), Buffer.from('"></event>')]);
  const items = feed(new CotStreamSplitter(), [Buffer.concat([broken, atak])]);
  assert.deepEqual(errors(items).map((e) => e.code), ['cot-encoding']);
  assert.deepEqual(uids(items), expectedUids.slice(0, 1));
});

test('random binary garbage never throws and never yields a document that is not an event', () => {
  const random = seeded(7);
  for (let round = 0; round < 50; round++) {
    const noise = Buffer.alloc(4096);
    for (let k = 0; k < noise.length; k++) noise[k] = random() < 0.05 ? 0x3c : Math.floor(random() * 256);
    const items = feed(new CotStreamSplitter({ maxEventBytes: 1024 }), [noise, atak]);
    for (const xml of events(items)) assert.ok(xml.startsWith('<event') && xml.endsWith('>'));
    assert.ok(events(items).includes(atak.subarray(atak.indexOf('<event')).toString('utf8').trimEnd()), `round ${round}`);
  }
});
