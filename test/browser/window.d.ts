// What the dashboard exposes to the browser tests (web/src/main.ts, DashboardHandle).
import type { Map as MapLibreMap } from 'maplibre-gl';

declare global {
  interface Window {
    lindero?: { map: MapLibreMap; layers: Record<string, string>; sources: Record<string, string> };
  }
}

export {};
