import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectContainer } from './detect.js';
import { PNG_BYTES } from '../../test/helpers/layer-fixtures.js';
import { expectLayerError } from '../../test/helpers/layer-errors.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (s: string) => new TextEncoder().encode(s);

describe('format detection by content', () => {
  it('JSON, XML, zip, SQLite, shapefile and dBASE are told apart by their first bytes', () => {
    assert.equal(detectContainer(text('  \n{"type":"Feature"}'), 'a'), 'json');
    assert.equal(detectContainer(text('\uFEFF[1]'), 'a'), 'json');
    assert.equal(detectContainer(text('<?xml version="1.0"?><kml/>'), 'a'), 'xml');
    assert.equal(detectContainer(bytes(0x50, 0x4b, 0x03, 0x04, 0, 0), 'a'), 'zip');
    assert.equal(detectContainer(text('SQLite format 3\0rest'), 'a'), 'sqlite');
    assert.equal(detectContainer(bytes(0x00, 0x00, 0x27, 0x0a, 0, 0, 0, 0), 'a'), 'shapefile');
    assert.equal(detectContainer(bytes(0x03, 124, 3, 1, ...new Array(28).fill(0)), 'a'), 'dbf');
  });

  it('UTF-16 text is recognised with and without a byte-order mark', () => {
    assert.equal(detectContainer(Buffer.concat([bytes(0xff, 0xfe), Buffer.from(' <kml/>', 'utf16le')]), 'a'), 'xml');
    assert.equal(detectContainer(Buffer.from('{"a":1}', 'utf16le'), 'a'), 'json');
    assert.equal(detectContainer(Buffer.from('<gpx/>', 'utf16le').swap16(), 'a'), 'xml');
  });

  it('leading white space of any length does not hide the first character', () => {
    assert.equal(detectContainer(text(`${' '.repeat(100_000)}{}`), 'a'), 'json');
  });

  it('images, archives and programs are named in the error', async () => {
    await expectLayerError(() => detectContainer(PNG_BYTES, 'f.kml'), { code: 'layer-format', file: 'f.kml', message: /PNG image/ });
    await expectLayerError(() => detectContainer(bytes(0xff, 0xd8, 0xff, 0xe0), 'f'), { code: 'layer-format', message: /JPEG/ });
    await expectLayerError(() => detectContainer(bytes(0x1f, 0x8b, 8, 0), 'f'), { code: 'layer-format', message: /gzip/ });
    await expectLayerError(() => detectContainer(text('%PDF-1.7'), 'f'), { code: 'layer-format', message: /PDF/ });
    await expectLayerError(() => detectContainer(bytes(0x66, 0x67, 0x62, 0x03), 'f'), { code: 'layer-format', message: /FlatGeobuf/ });
  });

  it('unknown binary and plain prose are refused as not a layer file', async () => {
    await expectLayerError(() => detectContainer(bytes(0x01, 0x02, 0x03), 'f'), { code: 'layer-format', message: /not a layer file/ });
    await expectLayerError(() => detectContainer(text('lat,lon\n31.7,-106.4\n'), 'f.csv'), { code: 'layer-format' });
  });

  it('an empty or blank file is refused as empty', async () => {
    await expectLayerError(() => detectContainer(new Uint8Array(0), 'f'), { code: 'layer-empty', message: /0 bytes/ });
    await expectLayerError(() => detectContainer(text(' \r\n\t '), 'f'), { code: 'layer-empty', message: /white space/ });
  });
});
