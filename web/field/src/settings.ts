// What the person sets on this phone, kept in localStorage: warnings, and the optional report server.
import type { MessageKey } from './i18n/i18n.js';

export interface FieldSettings {
  /** Warn closer than this to the boundary, metres. */
  warningDistanceM: number;
  sound: boolean;
  vibration: boolean;
  /** Origin (and path) of a lindero server to report fixes to; "" for none. */
  serverUrl: string;
  unit: string;
  /** Bearer key for servers that listen beyond loopback; "" for none. */
  apiKey: string;
}

const STORAGE_KEY = 'lindero.field.settings';
export const MAX_UNIT_CHARS = 128;
export const MAX_WARNING_DISTANCE_M = 100_000;

function defaults(): FieldSettings {
  // A unit name that is unlikely to clash, until the person gives their own.
  const suffix = Math.floor(Math.random() * 0x10000).toString(16).padStart(4, '0');
  return { warningDistanceM: 500, sound: true, vibration: true, serverUrl: '', unit: `field-${suffix}`, apiKey: '' };
}

export function loadSettings(): FieldSettings {
  const base = defaults();
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<FieldSettings> | null;
    if (saved && typeof saved === 'object') {
      const merged = { ...base, ...saved };
      if (checkSettings(merged) === null) return merged;
    }
  } catch {
    // Unreadable settings fall back to the defaults.
  }
  saveSettings(base);
  return base;
}

export function saveSettings(settings: FieldSettings): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
  } catch {
    // Applied for this session even if storage is off.
  }
}

/** The first thing wrong with the settings, as a message key, or null. */
export function checkSettings(s: FieldSettings): MessageKey | null {
  if (!(Number.isFinite(s.warningDistanceM) && s.warningDistanceM >= 1 && s.warningDistanceM <= MAX_WARNING_DISTANCE_M)) return 'settings.badDistance';
  if (s.serverUrl !== '' && !isHttpUrl(s.serverUrl)) return 'settings.badUrl';
  // The server's own rule for unit names (src/ingest/limits.ts checkUnit).
  if (typeof s.unit !== 'string' || s.unit.trim() === '' || s.unit.length > MAX_UNIT_CHARS || /\p{Cc}/u.test(s.unit)) return 'settings.badUnit';
  return null;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
