// Shared by the sharing tests: partners files, positions at a chosen distance either side of a
// straight stretch of the fixture boundary, and small HTTP and stream helpers.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import geodesicLib from 'geographiclib-geodesic';
import { tempDir as makeTempDir, type TempDir } from '../helpers/temp.js';

const geodesic = geodesicLib.Geodesic.WGS84;

export const BOUNDARY_FILE = fileURLToPath(new URL('../fixtures/layers/boundary-lines.geojson', import.meta.url));
/** The fixture's first line runs along the parallel 31°47′ N (31.783333°) from 108.208333° W to 107.5° W; US to the north. */
export const LINE_LAT = 31.783333;

/** A point `metres` north (positive: US) or south (negative: Mexico) of the parallel stretch, at a longitude. */
export function offLine(metres: number, lon = -107.8): { lat: number; lon: number } {
  const p = geodesic.Direct(LINE_LAT, lon, metres >= 0 ? 0 : 180, Math.abs(metres));
  return { lat: p.lat2 as number, lon: p.lon2 as number };
}

export const SECRET = 'correct horse battery staple 31';

export function tempDir(prefix = 'lindero-share-'): TempDir {
  return makeTempDir(prefix);
}

export function writeJson(file: string, value: unknown): string {
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

export async function getJson(url: string): Promise<any> {
  const r = await fetch(url);
  if (r.status !== 200) throw new Error(`${url}: ${r.status} ${await r.text()}`);
  return r.json();
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

/** Polls until `check` returns a value other than undefined (the condition is a state, not a time). */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, what: string, limitMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
