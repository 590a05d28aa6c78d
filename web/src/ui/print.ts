// The print view: the map alone across the page, with its scale, a north arrow turned with the map, the
// legend, the sources and when it was printed. The button prints; so does the browser's own print.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { formatDateTimeZone } from '../format.js';
import { currentLang, t } from '../i18n/i18n.js';

export function wirePrint(map: MapLibreMap, button: HTMLButtonElement, arrow: HTMLElement, stamp: HTMLElement): void {
  const turn = () => { arrow.style.transform = `rotate(${-map.getBearing()}deg)`; };
  map.on('rotate', turn);
  turn();
  // The map's canvas is sized for the screen; drawn again at the page's size before printing, and back after.
  const fit = () => {
    stamp.textContent = t('print.stamp', { time: formatDateTimeZone(Date.now(), currentLang()) });
    map.resize();
    map.redraw();
  };
  window.addEventListener('beforeprint', fit);
  window.addEventListener('afterprint', () => map.resize());
  button.addEventListener('click', () => window.print());
}
