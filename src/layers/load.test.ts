import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadLayerFile } from './node.js';
import { expectLayerError } from '../../test/helpers/layer-errors.js';

const scratch = mkdtempSync(join(tmpdir(), 'lindero-load-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const EXTENSIONS = ['geojson', 'kml', 'kmz', 'gpx', 'shp', 'dbf', 'zip', 'gpkg'];

describe('any layer file', () => {
  it('over 256 MiB, in any format, is refused before it is read', async () => {
    for (const extension of EXTENSIONS) {
      const path = join(scratch, `huge.${extension}`);
      writeFileSync(path, '');
      truncateSync(path, 257 * 1024 * 1024); // sparse: no disk space used
      await expectLayerError(() => loadLayerFile(path), { code: 'layer-too-large', file: path });
    }
  });

  it('of seeded random bytes, in any format, is refused as not a layer file', async () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
    for (const extension of EXTENSIONS) {
      const path = join(scratch, `garbage.${extension}`);
      // The first byte is fixed to one no format starts with, so no seed can stumble on a real magic number.
      writeFileSync(path, Uint8Array.from({ length: 2048 }, (_, i) => (i === 0 ? 0xfd : random())));
      await expectLayerError(() => loadLayerFile(path), { code: 'layer-format', file: path });
    }
  });

  it('of GPX nested thousands of elements deep is refused', async () => {
    const path = join(scratch, 'deep.gpx');
    writeFileSync(path, `<gpx version="1.1">${'<extensions>'.repeat(3000)}${'</extensions>'.repeat(3000)}</gpx>`);
    await expectLayerError(() => loadLayerFile(path), { code: 'layer-hostile', message: /deep/ });
  });
});
