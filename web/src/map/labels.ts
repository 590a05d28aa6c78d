// Text fields in the chosen language: a catalogue template such as "{name} — legal boundary ({provenance})"
// becomes a MapLibre expression that fills each placeholder from the feature's properties.
import type { ExpressionSpecification } from 'maplibre-gl';

export function templateExpression(template: string): ExpressionSpecification {
  const parts: (string | ExpressionSpecification)[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push(['to-string', ['get', m[1]]]);
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return ['concat', '', ...parts] as ExpressionSpecification;
}
