// Writes a large synthetic GPX track (for the bounded-memory test and the benchmark).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** `points` track points one second apart, walking north-east from El Paso; resolves when written. */
export async function writeSyntheticGpx(path: string, points: number): Promise<void> {
  const out = createWriteStream(path);
  const startMs = Date.UTC(2024, 0, 1);
  let buf = '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="lindero synthetic" xmlns="http://www.topografix.com/GPX/1/1">\n<trk><name>synthetic</name><trkseg>\n';
  for (let i = 0; i < points; i++) {
    const lat = (31.7 + i * 1e-7).toFixed(7);
    const lon = (-106.4 + i * 1e-7).toFixed(7);
    buf += `<trkpt lat="${lat}" lon="${lon}"><ele>${1100 + (i % 50)}.5</ele><time>${new Date(startMs + i * 1000).toISOString()}</time><hdop>1.2</hdop></trkpt>\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(`${buf}</trkseg></trk>\n</gpx>\n`);
  await once(out, 'finish');
}
