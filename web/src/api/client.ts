// Requests to the lindero server this page came from. Nothing is ever asked of another host.
import type {
  AcknowledgementJson, AlertJson, DashboardConfig, EvidenceJson, IncidentJson, LinesJson, MarkerJson, MessageJson,
  PartnerAlertJson, PartnersJson, TrackJson, UnitJson, WhereJson,
} from './types.js';

/** The alert history's filters, as GET /api/v1/alerts takes them (src/server/routes-alerts.ts). */
export interface AlertFilter {
  unit?: string;
  kind?: string;
  partner?: string;
  /** ISO 8601 with a zone. */
  since?: string;
  until?: string;
  limit?: number;
}

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

/** Where the server answers `path` with these query parameters (also for links: report, bundle). */
export function apiUrl(path: string, params: Record<string, string | number | undefined> = {}): string {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  return url.href;
}

async function getJson<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
  return request<T>('GET', apiUrl(path, params));
}

async function postJson<T>(path: string, body: unknown): Promise<T> {
  return request<T>('POST', apiUrl(path), body);
}

async function request<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  const key = apiKey();
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
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
  /** The history, newest first. */
  history: async (filter: AlertFilter) =>
    (await getJson<{ alerts: AlertJson[] }>('/api/v1/alerts', { ...filter, order: 'newest', limit: filter.limit ?? 200 })).alerts,
  markers: async () => (await getJson<{ markers: MarkerJson[] }>('/api/v1/markers')).markers,
  incidents: async () => (await getJson<{ incidents: IncidentJson[] }>('/api/v1/incidents')).incidents,
  incident: (id: number) => getJson<EvidenceJson>(`/api/v1/incidents/${id}`),
  addNote: (id: number, text: string) => postJson<IncidentJson>(`/api/v1/incidents/${id}/notes`, { text }),
  partners: () => getJson<PartnersJson>('/api/v1/partners'),
  messages: async (partner: string) =>
    (await getJson<{ messages: MessageJson[] }>(`/api/v1/partners/${encodeURIComponent(partner)}/messages`)).messages,
  sendMessage: async (partner: string, template: string, params: Record<string, string | number>) =>
    (await postJson<{ message: MessageJson }>(`/api/v1/partners/${encodeURIComponent(partner)}/messages`, { template, params })).message,
  partnerAlerts: async (partner: string) =>
    (await getJson<{ alerts: PartnerAlertJson[] }>(`/api/v1/partners/${encodeURIComponent(partner)}/alerts`)).alerts,
};

/** The report and the evidence bundle of an incident: plain links, opened by the browser. */
export const incidentLinks = (id: number, lang: 'en' | 'es' | 'both' = 'both') => ({
  html: apiUrl(`/api/v1/incidents/${id}/report`, { lang }),
  pdf: apiUrl(`/api/v1/incidents/${id}/report`, { lang, format: 'pdf' }),
  bundle: apiUrl(`/api/v1/incidents/${id}/bundle`),
});

/**
 * ws(s)://this-host/api/v1/stream, asking for batches (events other than alerts gathered into one frame every
 * tenth of a second, alerts at once) that wait for the page's `ack` before the next, and no unit summaries: a
 * thousand units reporting then never queue more than a batch in front of an alert, however slow the page.
 * No credential in the URL (where it would be logged and kept in history): the browser sends the session
 * cookie with the upgrade.
 */
export function streamUrl(): string {
  const url = new URL('/api/v1/stream?batch=1&ack=1&units=0', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** Acknowledges an alert on the server (shared by every operator; the server records who and when). */
export async function acknowledgeAlert(id: number): Promise<AcknowledgementJson> {
  return request<AcknowledgementJson>('POST', apiUrl(`/api/v1/alerts/${id}/acknowledgement`));
}

/** The acknowledgements on the server, by anyone: of alerts from `fromAlertId` on. */
export async function acknowledgements(fromAlertId = 0): Promise<AcknowledgementJson[]> {
  const body = await getJson<{ acknowledgements: AcknowledgementJson[] }>('/api/v1/acknowledgements', { from_alert_id: fromAlertId || undefined });
  return body.acknowledgements;
}
