// The floor `lindero where` is compared against: a naive program that, per stdin line, reads the position,
// makes one GeographicLib inverse (to a fixed point), JSON.stringify's the result and writes it.
import { createInterface } from 'node:readline';
import geodesic from 'geographiclib-geodesic';

const WGS84 = geodesic.Geodesic.WGS84;
const out = [];
let pending = 0;
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  const [lat, lon] = line.split(',').map(Number);
  const r = WGS84.Inverse(lat, lon, 31.5, -106.2);
  out.push(JSON.stringify({ lat, lon, distance_m: r.s12, bearing_deg: r.azi1 }));
  if (++pending === 4096) { process.stdout.write(out.join('\n') + '\n'); out.length = 0; pending = 0; }
}
if (out.length) process.stdout.write(out.join('\n') + '\n');
