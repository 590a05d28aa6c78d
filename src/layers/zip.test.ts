import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyEntriesZip, withDeclaredSize, zip } from '../../test/helpers/layer-fixtures.js';
import { expectLayerError } from '../../test/helpers/layer-errors.js';
import { openZip } from './zip.js';

describe('zip archives', () => {
  it('entries are inflated and listed without folders', async () => {
    const archive = await openZip(await zip({ 'a/b.txt': 'hello', 'c.txt': 'world' }), 'x.zip');
    assert.deepEqual(archive.names, ['a/b.txt', 'c.txt']);
    assert.equal(new TextDecoder().decode(await archive.read('a/b.txt')), 'hello');
  });

  it('the cap counts all entries read from one archive together', async () => {
    const archive = await openZip(await zip({ 'a.kml': 'x'.repeat(600), 'b.kml': 'y'.repeat(600) }), 'x.zip', 1000);
    assert.equal((await archive.read('a.kml')).length, 600);
    await expectLayerError(() => archive.read('b.kml'), { code: 'layer-hostile', field: 'b.kml', message: /zip bomb/ });
  });

  it('an entry lying about its size is stopped as soon as it passes the declared size', async () => {
    const archive = await openZip(withDeclaredSize(await zip({ 'doc.kml': ' '.repeat(1_000_000) }), 100), 'x.kmz');
    await expectLayerError(() => archive.read('doc.kml'), { code: 'layer-hostile', message: /more than the 100 bytes its header declares/ });
  });

  it('more than 10,000 entries are refused without reading any', async () => {
    const names = Array.from({ length: 10_001 }, (_, i) => `f${i}.kml`);
    await expectLayerError(() => openZip(emptyEntriesZip(names), 'many.zip'), { code: 'layer-hostile', message: /10001 entries/ });
  });

  it('an archive with exactly 10,000 entries opens', async () => {
    const archive = await openZip(emptyEntriesZip(Array.from({ length: 10_000 }, (_, i) => `f${i}.kml`)), 'many.zip');
    assert.equal(archive.names.length, 10_000);
    assert.equal((await archive.read('f9999.kml')).length, 0);
  });

  it('random bytes after a zip signature are refused as a damaged archive', async () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i < 4 ? [0x50, 0x4b, 0x03, 0x04][i] : (i * 31) % 256));
    await expectLayerError(() => openZip(bytes, 'junk.zip'), { code: 'layer-corrupt', file: 'junk.zip' });
  });
});
