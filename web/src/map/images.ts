// The one icon the map needs, drawn here rather than fetched as a sprite: the heading arrow.
import type { Map as MapLibreMap } from 'maplibre-gl';

const SIZE = 48;

/** A chevron ahead of the unit's dot, pointing up (north) before icon-rotate turns it to the course. */
export function addHeadingArrow(map: MapLibreMap): void {
  const ratio = Math.max(1, Math.round(window.devicePixelRatio || 1));
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = SIZE * ratio;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.scale(ratio, ratio);
  ctx.beginPath();
  ctx.moveTo(SIZE / 2, 2);
  ctx.lineTo(SIZE / 2 + 9, 17);
  ctx.lineTo(SIZE / 2, 13);
  ctx.lineTo(SIZE / 2 - 9, 17);
  ctx.closePath();
  ctx.lineJoin = 'round';
  ctx.lineWidth = 3;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
  ctx.fillStyle = '#111827';
  ctx.fill();
  map.addImage('heading-arrow', ctx.getImageData(0, 0, canvas.width, canvas.height), { pixelRatio: ratio });
}
