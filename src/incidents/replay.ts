// Replays a scenario into a running server through its real ingest: the JSON API for some units, the
// OsmAnd/Traccar port for others, each fix sent when its time comes (scenario time × speed).
import { setTimeout as sleep } from 'node:timers/promises';
import { LinderoError } from '../model/index.js';
import { scenarioFixes, type Scenario, type ScenarioFix } from './scenario.js';

export interface ReplayTarget {
  /** e.g. http://127.0.0.1:8080 */
  httpBase: string;
  /** e.g. http://127.0.0.1:5055, or null when the OsmAnd port is off. */
  osmandBase: string | null;
  /** Sent with each API request, e.g. an Authorization header. */
  headers?: Record<string, string>;
}

export interface ReplayOptions {
  /** Scenario seconds per wall-clock second. */
  speed: number;
  /** Device time of the scenario's second 0, ms since epoch. */
  t0Ms: number;
  signal?: AbortSignal;
  /** Called after each fix is accepted. */
  onFix?: (fix: ScenarioFix, timeMs: number) => void;
}

export interface ReplayResult {
  sent: number;
  rejected: { unit: string; t: number; reason: string }[];
}

const RETRIES = 50;

/** A request, retried while the server says it is busy (429 or 503). */
async function send(url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, { ...init, signal });
    if ((response.status !== 429 && response.status !== 503) || attempt >= RETRIES) return response;
    await response.arrayBuffer();
    await sleep(100, undefined, { signal });
  }
}

async function sendHttp(target: ReplayTarget, fixes: ScenarioFix[], t0Ms: number, result: ReplayResult, signal?: AbortSignal): Promise<void> {
  const body = fixes.map((f) => ({ unit: f.unit.id, time: t0Ms + f.t * 1000, lat: f.lat, lon: f.lon, accuracy_m: f.unit.accuracyM }));
  const response = await send(`${target.httpBase}/api/v1/fixes`, { method: 'POST', headers: { ...target.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }, signal);
  const answer = (await response.json()) as { rejected?: { index: number; reason: string }[]; error?: { message: string } };
  if (!response.ok) throw new LinderoError('runtime-replay-failed', `the server refused the scenario's fixes (${response.status}): ${answer.error?.message ?? ''}`);
  for (const r of answer.rejected ?? []) result.rejected.push({ unit: fixes[r.index].unit.id, t: fixes[r.index].t, reason: r.reason });
}

async function sendOsmand(target: ReplayTarget, fix: ScenarioFix, t0Ms: number, result: ReplayResult, signal?: AbortSignal): Promise<void> {
  if (!target.osmandBase) throw new LinderoError('runtime-replay-failed', `unit ${fix.unit.id} reports over OsmAnd, but the OsmAnd port is off`);
  // OsmAnd sends epoch seconds: the scenario's fixes fall on whole seconds.
  const query = new URLSearchParams({
    id: fix.unit.id, lat: String(fix.lat), lon: String(fix.lon), timestamp: String(Math.round((t0Ms + fix.t * 1000) / 1000)), accuracy: String(fix.unit.accuracyM),
  });
  const response = await send(`${target.osmandBase}/?${query}`, { method: 'GET' }, signal);
  const text = await response.text();
  if (!response.ok) result.rejected.push({ unit: fix.unit.id, t: fix.t, reason: text.slice(0, 300) });
}

/** Sends every fix at its time; resolves when all were sent (or rejects when aborted or the server fails). */
export async function replayScenario(scenario: Scenario, target: ReplayTarget, options: ReplayOptions): Promise<ReplayResult> {
  const fixes = scenarioFixes(scenario);
  const result: ReplayResult = { sent: 0, rejected: [] };
  const wallStart = performance.now();
  for (let i = 0; i < fixes.length;) {
    const t = fixes[i].t;
    let j = i;
    while (j < fixes.length && fixes[j].t === t) j++;
    const due = wallStart + (t * 1000) / options.speed - performance.now();
    if (due > 0) await sleep(due, undefined, { signal: options.signal });
    const group = fixes.slice(i, j);
    const overHttp = group.filter((f) => f.unit.via === 'http');
    if (overHttp.length > 0) await sendHttp(target, overHttp, options.t0Ms, result, options.signal);
    for (const f of group.filter((g) => g.unit.via === 'osmand')) await sendOsmand(target, f, options.t0Ms, result, options.signal);
    for (const f of group) options.onFix?.(f, options.t0Ms + f.t * 1000);
    result.sent += group.length;
    i = j;
  }
  return result;
}
