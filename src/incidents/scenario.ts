// A demonstration scenario is data: units, how each reports (the JSON API or the OsmAnd protocol), and
// each one's path as timed waypoints; the fixes are read off the paths at a fixed interval.
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LinderoError } from '../model/index.js';

export interface ScenarioWaypoint {
  /** Seconds from the scenario's start. */
  t: number;
  lat: number;
  lon: number;
}

export interface ScenarioUnit {
  id: string;
  label: string;
  /** How its fixes reach the server: POST /api/v1/fixes, or the OsmAnd/Traccar port. */
  via: 'http' | 'osmand';
  accuracyM: number;
  path: ScenarioWaypoint[];
}

export interface Scenario {
  name: string;
  /** What it is modelled on, in words, per language. */
  about: { en: string; es: string };
  /** Absolute path of the fence layer it uses (resolved against the scenario file), or null. */
  fenceFile: string | null;
  fixIntervalS: number;
  units: ScenarioUnit[];
}

export interface ScenarioFix {
  t: number;
  unit: ScenarioUnit;
  lat: number;
  lon: number;
}

const MAX_SCENARIO_BYTES = 1024 * 1024;
const MAX_FIXES = 200_000;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function loadScenario(file: string): Scenario {
  const fail = (message: string, field?: string): never => {
    throw new LinderoError('bad-scenario', message, field ? { file, field } : { file });
  };
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return fail('the scenario file cannot be read');
  }
  if (size > MAX_SCENARIO_BYTES) fail(`the scenario file is ${size} bytes; at most ${MAX_SCENARIO_BYTES} are read`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isObject(value)) return fail('a scenario is a JSON object');
  const name = text(value.name, 'name', fail);
  const about = isObject(value.about) ? value.about : fail('about must be {"en": ..., "es": ...}', 'about');
  const interval = value.fix_interval_s;
  if (typeof interval !== 'number' || !(interval >= 1 && interval <= 3600)) fail('fix_interval_s must be a number of seconds from 1 to 3600', 'fix_interval_s');
  if (!Array.isArray(value.units) || value.units.length === 0 || value.units.length > 50) fail('units must be a list of 1 to 50 units', 'units');
  const units = (value.units as unknown[]).map((u, i) => unit(u, `units[${i}]`, fail));
  if (new Set(units.map((u) => u.id)).size !== units.length) fail('two units have the same id', 'units');
  const fence = value.fence === undefined || value.fence === null ? null : resolve(dirname(file), text(value.fence, 'fence', fail));
  const scenario: Scenario = {
    name, about: { en: text(about.en, 'about.en', fail), es: text(about.es, 'about.es', fail) }, fenceFile: fence, fixIntervalS: interval as number, units,
  };
  const count = units.reduce((n, u) => n + (u.path[u.path.length - 1].t - u.path[0].t) / scenario.fixIntervalS + 1, 0);
  if (count > MAX_FIXES) fail(`the scenario would send ${Math.round(count)} fixes; at most ${MAX_FIXES}`, 'fix_interval_s');
  return scenario;
}

type Fail = (message: string, field?: string) => never;

function text(v: unknown, field: string, fail: Fail): string {
  if (typeof v !== 'string' || v.trim() === '' || v.length > 2000) fail(`${field} must be text of 1 to 2000 characters`, field);
  return v as string;
}

function num(v: unknown, field: string, min: number, max: number, fail: Fail): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(`${field} must be a number from ${min} to ${max}, got ${JSON.stringify(v) ?? 'nothing'}`, field);
  return v as number;
}

function unit(v: unknown, field: string, fail: Fail): ScenarioUnit {
  if (!isObject(v)) return fail(`${field} must be an object`, field);
  const id = text(v.id, `${field}.id`, fail);
  if (id.length > 64 || !/^[\w.-]+$/.test(id)) fail(`${field}.id must be letters, digits, '.', '_' or '-' (at most 64)`, `${field}.id`);
  if (v.via !== 'http' && v.via !== 'osmand') fail(`${field}.via must be "http" or "osmand"`, `${field}.via`);
  if (!Array.isArray(v.path) || v.path.length < 1 || v.path.length > 10_000) fail(`${field}.path must be a list of 1 to 10,000 waypoints`, `${field}.path`);
  const path = (v.path as unknown[]).map((w, i) => {
    const at = `${field}.path[${i}]`;
    if (!isObject(w)) return fail(`${at} must be {"t", "lat", "lon"}`, at);
    return { t: num(w.t, `${at}.t`, 0, 86_400 * 7, fail), lat: num(w.lat, `${at}.lat`, -90, 90, fail), lon: num(w.lon, `${at}.lon`, -180, 180, fail) };
  });
  path.forEach((w, i) => { if (i > 0 && w.t <= path[i - 1].t) fail(`${field}.path[${i}].t must be later than the waypoint before it`, `${field}.path[${i}].t`); });
  return { id, label: text(v.label, `${field}.label`, fail), via: v.via as 'http' | 'osmand', accuracyM: num(v.accuracy_m, `${field}.accuracy_m`, 0.1, 1000, fail), path };
}

/** Where the unit is at second t of the scenario: linear between waypoints (a few hundred metres apart at most). */
function positionAt(path: ScenarioWaypoint[], t: number): { lat: number; lon: number } {
  let i = 1;
  while (i < path.length - 1 && path[i].t < t) i++;
  const a = path[i - 1] ?? path[0];
  const b = path[i] ?? path[0];
  const s = b.t === a.t ? 0 : Math.min(1, Math.max(0, (t - a.t) / (b.t - a.t)));
  return { lat: a.lat + s * (b.lat - a.lat), lon: a.lon + s * (b.lon - a.lon) };
}

/** Every fix of the scenario, in time order: each unit reports every fixIntervalS from its first to its last waypoint. */
export function scenarioFixes(scenario: Scenario): ScenarioFix[] {
  const fixes: ScenarioFix[] = [];
  for (const unit of scenario.units) {
    const start = unit.path[0].t;
    const end = unit.path[unit.path.length - 1].t;
    for (let t = start; t <= end + 1e-9; t += scenario.fixIntervalS) {
      const p = positionAt(unit.path, t);
      fixes.push({ t, unit, lat: Math.round(p.lat * 1e7) / 1e7, lon: Math.round(p.lon * 1e7) / 1e7 });
    }
  }
  return fixes.sort((a, b) => a.t - b.t);
}

/** Seconds from the scenario's start to its last fix. */
export function scenarioDurationS(scenario: Scenario): number {
  return Math.max(...scenario.units.map((u) => u.path[u.path.length - 1].t));
}
