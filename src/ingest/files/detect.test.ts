import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectFormat } from './detect.js';
import { LinderoError } from '../../model/index.js';

const sniff = (text: string | Uint8Array) => detectFormat(typeof text === 'string' ? Buffer.from(text) : text, 'f');
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof LinderoError);
    return e.code;
  }
  assert.fail('expected an error');
};

test('each format is told by its first bytes', () => {
  assert.equal(sniff('<?xml version="1.0"?>\n<!-- <kml> in a comment -->\n<gpx version="1.1">').format, 'gpx');
  assert.equal(sniff('\uFEFF  <kml xmlns="http://www.opengis.net/kml/2.2">').format, 'kml');
  assert.equal(sniff('<?xml version="1.0"?><kml:kml xmlns:kml="http://www.opengis.net/kml/2.2">').format, 'kml');
  assert.equal(sniff(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0])).format, 'kmz');
  assert.equal(sniff(' {"type":"FeatureCollection"').format, 'geojson');
  assert.equal(sniff('$GNRMC,000001.00,A,...').format, 'nmea');
  assert.equal(sniff('lat;lon;time\n').format, 'csv');
  assert.equal(sniff('time\tlat\tlon\n').format, 'csv');
});

test('the declared XML encoding and a UTF-16 byte order mark choose the decoder', () => {
  assert.equal(sniff('<?xml version="1.0" encoding="ISO-8859-1"?><gpx>').encoding, 'windows-1252');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<gpx version="1.1">', 'utf16le')]);
  assert.deepEqual(sniff(utf16), { format: 'gpx', encoding: 'utf-16le' });
  assert.equal(codeOf(() => sniff('<?xml version="1.0" encoding="EBCDIC-CP-US"?><gpx>')), 'unsupported-encoding');
});

test('binary garbage, gzip, empty files and foreign XML are refused with the reason', () => {
  assert.equal(codeOf(() => sniff(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]))), 'unknown-format');
  assert.equal(codeOf(() => sniff(Buffer.from([0x1f, 0x8b, 0x08, 0x00]))), 'unknown-format');
  assert.equal(codeOf(() => sniff('   \n ')), 'unknown-format');
  assert.equal(codeOf(() => sniff('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">')), 'unknown-format');
  assert.equal(codeOf(() => sniff('just some words')), 'unknown-format');
});
