// Requests to the lindero server this page came from. Nothing is ever asked of another host.
import type { AlertJson, DashboardConfig, LinesJson, TrackJson, UnitJson, WhereJson } from './types.js';

const KEY_STORAGE = 'lindero.apiKey';

/** An answer other than 2xx, with the server's `{error: {code, message}}` when it sent one. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/**
 * The API key, when the server listens beyond loopback: given once as `?key=` in the page address,
 * then kept in this browser and taken out of the address bar.
 */
export function apiKey(): string | null {
  const url = new URL(location.href);
  const given = url.searchParams.get('key');
  if (given) {
    try {
      localStorage.setItem(KEY_STORAGE, given);
    } catch {
      // kept for this page only
    }
    url.searchParams.delete('key');
    history.replaceState(null, '', url);
    return given;
  }
  try {
    return localStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

async function getJson<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, String(v));
  const key = apiKey();
  const response = await fetch(url, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  if (!response.ok) {
    let code = 'http-error';
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { error?: { code?: string; message?: string } };
      code = body.error?.code ?? code;
      message = body.error?.message ?? message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(response.status, code, message);
  }
  return (await response.json()) as T;
}

export const api = {
  config: () => getJson<DashboardConfig>('/dashboard/config.json'),
  lines: () => getJson<LinesJson>('/api/v1/layers'),
  where: (lat: number, lon: number, accuracyM?: number) =>
    getJson<WhereJson>('/api/v1/where', { lat, lon, accuracy_m: accuracyM }),
  units: async () => (await getJson<{ units: UnitJson[] }>('/api/v1/units')).units,
  alerts: async (since?: number, afterId?: number) =>
    (await getJson<{ alerts: AlertJson[] }>('/api/v1/alerts', { since, after_id: afterId })).alerts,
  track: (unit: string, fromMs: number, toMs: number) =>
    getJson<TrackJson>(`/api/v1/units/${encodeURIComponent(unit)}/track`, { from: fromMs, to: toMs }),
  countries: () => getJson<GeoJSON.FeatureCollection>('/basemap/countries.json'),
  places: () => getJson<GeoJSON.FeatureCollection>('/basemap/places.json'),
};

/**
 * ws(s)://this-host/api/v1/stream. No credential in the URL (where it would be logged and kept in
 * history): the browser sends the session cookie with the upgrade.
 */
export function streamUrl(): string {
  const url = new URL('/api/v1/stream', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** Acknowledges an alert on the server (shared by every operator; the server records who). */
export async function acknowledgeAlert(id: number): Promise<void> {
  const key = apiKey();
  const response = await fetch(new URL(`/api/v1/alerts/${id}/acknowledgement`, location.origin), {
    method: 'POST', headers: key ? { authorization: `Bearer ${key}` } : {},
  });
  if (!response.ok) throw new ApiError(response.status, 'acknowledge-failed', `${response.status} ${response.statusText}`);
}

/** Ids of the alerts acknowledged on the server, by anyone. */
export async function acknowledgedAlerts(): Promise<number[]> {
  const body = await getJson<{ acknowledgements: { alert_id: number }[] }>('/api/v1/acknowledgements');
  return body.acknowledgements.map((a) => a.alert_id);
}
