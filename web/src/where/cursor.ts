// Cursor coordinates in decimal degrees and MGRS, under the pointer as it moves.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { formatDd, formatMgrs } from '../format.js';

export function trackCursor(map: MapLibreMap, dd: HTMLElement, mgrs: HTMLElement): void {
  let frame = 0;
  let last: { lat: number; lng: number } | null = null;
  map.on('mousemove', (e) => {
    last = e.lngLat.wrap();
    // MGRS conversion once per frame, however fast the pointer moves.
    if (!frame) {
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (!last) return;
        // From now on coordinates, not the hint: a change of language leaves them.
        delete dd.dataset.i18n;
        dd.textContent = formatDd(last.lat, last.lng);
        mgrs.textContent = formatMgrs(last.lat, last.lng);
      });
    }
  });
}
