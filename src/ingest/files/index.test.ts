import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readTrack, readTrackFromBytes, type TrackItem } from './index.js';
import { LinderoError } from '../../model/index.js';
import { errorOf, trackFixture } from '../../../test/helpers/track-items.js';

const fixture = trackFixture;


async function units(items: AsyncIterable<TrackItem>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of items) if (item.kind === 'fix') out.push(item.fix.unit);
  return out;
}

test('the format comes from the content, not the file name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lindero-tracks-'));
  try {
    copyFileSync(fixture('two-patrols.gpx'), join(dir, 'export.txt'));
    copyFileSync(fixture('santa-teresa-walk.kmz'), join(dir, 'walk.zip'));
    copyFileSync(fixture('ublox-midnight.nmea'), join(dir, 'capture.log'));
    assert.deepEqual([...new Set(await units(readTrack(join(dir, 'export.txt'))))], ['Alpha', 'Bravo']);
    assert.equal((await units(readTrack(join(dir, 'walk.zip')))).length, 12);
    assert.deepEqual([...new Set(await units(readTrack(join(dir, 'capture.log'))))], ['capture']);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('a binary file is refused as an unknown format naming the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lindero-tracks-'));
  try {
    const bytes = Buffer.alloc(2048);
    for (let i = 0, x = 12345; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) % 2 ** 31) & 0xff;
    writeFileSync(join(dir, 'random.gpx'), bytes);
    const error = await errorOf(readTrack(join(dir, 'random.gpx')));
    assert.equal(error.code, 'unknown-format');
    assert.match(error.describe(), /^random\.gpx/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('a missing file is a clear error, not a stack trace', async () => {
  const error = await errorOf(readTrack('/nonexistent/track.gpx'));
  assert.equal(error.code, 'file-unreadable');
  assert.match(error.message, /no such file/);
});

test('invalid UTF-8 after the first bytes of a CSV is refused as not text, naming the byte', async () => {
  const lines = Array.from({ length: 200 }, (_, i) => `31.5,-106.2,${1704067200 + i}`).join('\n');
  const bytes = Buffer.concat([Buffer.from(`lat,lon,time\n${lines}\n`), Buffer.from([0xff, 0xfe, 0xc3])]);
  const error = await errorOf(readTrackFromBytes(bytes, 'x.csv'));
  assert.equal(error.code, 'bad-encoding');
  assert.equal(error.place.byte, 0, 'the chunk starting at byte 0');
});

test('a multi-byte character cut by a read-chunk boundary is decoded whole', async () => {
  const name = 'Pátzcuaro €𝄞';
  for (let shift = -24; shift < 8; shift++) { // moves each character of the name across the 256 KiB boundary
    const head = '<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1"><!--';
    const pad = ' '.repeat(256 * 1024 - Buffer.byteLength(head) - 3 - 8 - 10 + shift);
    const text = `${head}${pad}--><trk><name>${name}</name><trkseg><trkpt lat="31.5" lon="-106.2"><time>2024-01-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>`;
    assert.deepEqual(await units(readTrackFromBytes(Buffer.from(text), 'u.gpx')), [name], `shift ${shift}`);
  }
});

test('a track read item by item, in batches, or first one way then the other gives the same items', async () => {
  const { writeSyntheticGpx } = await import('../../../test/helpers/synthetic-gpx.js');
  const dir = mkdtempSync(join(tmpdir(), 'lindero-batches-'));
  try {
    const path = join(dir, 'long.gpx');
    await writeSyntheticGpx(path, 3000); // several read chunks
    const oneByOne: TrackItem[] = [];
    for await (const item of readTrack(path)) oneByOne.push(item);
    const batched: TrackItem[] = [];
    let batches = 0;
    for await (const batch of readTrack(path).batches()) {
      batched.push(...batch);
      batches++;
    }
    assert.equal(oneByOne.length, 3000);
    assert.ok(batches > 1 && batches < 100, `${batches} batches`);
    assert.deepEqual(batched, oneByOne);
    const mixed = readTrack(path);
    const first = await mixed.next();
    const rest: TrackItem[] = [];
    for await (const batch of mixed.batches()) rest.push(...batch);
    assert.deepEqual([first.value, ...rest], oneByOne);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('an error part-way is thrown after the batches before it were given', async () => {
  const text = `<?xml version="1.0"?><gpx version="1.1"><trk><trkseg><trkpt lat="31.5" lon="-106.2"><time>2024-03-05T16:20:00Z</time></trkpt><trkpt lat="31.6" lon="-106.2"><time>2024`;
  const got: TrackItem[] = [];
  const error = await errorOf((async function* () {
    for await (const batch of readTrackFromBytes(Buffer.from(text), 'cut.gpx').batches()) {
      got.push(...batch);
      yield* batch;
    }
  })());
  assert.equal(error.code, 'xml-syntax');
  assert.equal(got.length, 1);
});
