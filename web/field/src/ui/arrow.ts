// The arrow that points at the nearest point of the line: drawn once, then only turned.
const SVG = 'http://www.w3.org/2000/svg';

export function createArrow(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '-50 -50 100 100');
  svg.setAttribute('class', 'arrow');
  svg.setAttribute('role', 'img');
  const ring = document.createElementNS(SVG, 'circle');
  ring.setAttribute('r', '46');
  ring.setAttribute('class', 'arrow-ring');
  const north = document.createElementNS(SVG, 'path');
  // A tick at the top of the ring: the phone's "forward".
  north.setAttribute('d', 'M0 -46 L0 -38');
  north.setAttribute('class', 'arrow-tick');
  const needle = document.createElementNS(SVG, 'g');
  needle.setAttribute('class', 'arrow-needle');
  const head = document.createElementNS(SVG, 'path');
  head.setAttribute('d', 'M0 -40 L18 -6 L6 -6 L6 34 L-6 34 L-6 -6 L-18 -6 Z');
  needle.append(head);
  svg.append(ring, north, needle);
  return svg;
}

/**
 * Turns the arrow to the bearing of the line as seen from the top of the phone: the bearing itself when
 * north is up, bearing − heading when the compass says where the top of the phone points.
 */
export function pointArrow(svg: SVGSVGElement, bearingDeg: number, headingDeg: number | null): number {
  const screenDeg = (((bearingDeg - (headingDeg ?? 0)) % 360) + 360) % 360;
  const needle = svg.querySelector<SVGGElement>('.arrow-needle')!;
  needle.setAttribute('transform', `rotate(${screenDeg.toFixed(1)})`);
  svg.dataset.rotationDeg = screenDeg.toFixed(1);
  return screenDeg;
}
