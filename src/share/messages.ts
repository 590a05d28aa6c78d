// Canned messages between operators of partner organisations: fixed sentences with a few checked
// parameters, rendered in English and Spanish by the sender, so nothing needs translating on the
// other side and nothing but what the sentence says can be sent.
import { formatDistance } from '../answer/index.js';
import { LinderoError } from '../model/index.js';

const DIRECTIONS = ['north', 'northeast', 'east', 'southeast', 'south', 'southwest', 'west', 'northwest'] as const;
const DIRECTIONS_ES: Record<(typeof DIRECTIONS)[number], string> = {
  north: 'norte', northeast: 'noreste', east: 'este', southeast: 'sureste', south: 'sur', southwest: 'suroeste', west: 'oeste', northwest: 'noroeste',
};
const LANDMARKS = ['river', 'line', 'fence', 'road', 'monument'] as const;
/** With the Spanish article contracted: "del río", "de la línea". */
const LANDMARKS_ES: Record<(typeof LANDMARKS)[number], string> = {
  river: 'del río', line: 'de la línea', fence: 'de la cerca', road: 'del camino', monument: 'del monumento',
};

type ParamKind = 'distance' | 'direction' | 'landmark';

interface Template {
  params: Partial<Record<'distance_m' | 'direction' | 'landmark', ParamKind>>;
  en: (p: Params) => string;
  es: (p: Params) => string;
}

interface Params {
  distance_m: number;
  direction: (typeof DIRECTIONS)[number];
  landmark: (typeof LANDMARKS)[number];
}

const place = { distance_m: 'distance', direction: 'direction', landmark: 'landmark' } as const;

export const TEMPLATES: Record<string, Template> = {
  'our-side': {
    params: place,
    en: (p) => `Our patrol is on our side, ${formatDistance(p.distance_m, 'en')} ${p.direction} of the ${p.landmark}.`,
    es: (p) => `Nuestra patrulla está de nuestro lado, a ${formatDistance(p.distance_m, 'es')} al ${DIRECTIONS_ES[p.direction]} ${LANDMARKS_ES[p.landmark]}.`,
  },
  approaching: {
    params: { distance_m: 'distance' },
    en: (p) => `Our patrol is approaching the line; it is ${formatDistance(p.distance_m, 'en')} from it.`,
    es: (p) => `Nuestra patrulla se acerca a la línea; está a ${formatDistance(p.distance_m, 'es')} de ella.`,
  },
  holding: { params: {}, en: () => 'Our patrol is holding its position.', es: () => 'Nuestra patrulla mantiene su posición.' },
  'moving-away': { params: {}, en: () => 'Our patrol is moving away from the line.', es: () => 'Nuestra patrulla se está alejando de la línea.' },
  'confirm-position': { params: {}, en: () => 'Please confirm where your patrol is.', es: () => 'Por favor confirmen dónde está su patrulla.' },
  'stay-your-side': {
    params: {}, en: () => 'Please keep your patrol on your side of the line.', es: () => 'Por favor mantengan su patrulla de su lado de la línea.',
  },
  acknowledged: { params: {}, en: () => 'Acknowledged.', es: () => 'Enterado.' },
};

export interface RenderedMessage {
  template: string;
  params: Record<string, string | number>;
  textEn: string;
  textEs: string;
}

function bad(message: string, field: string): never {
  throw new LinderoError('share-bad-message', message, { field });
}

function checkParam(kind: ParamKind, name: string, value: unknown): string | number {
  if (kind === 'distance') {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100_000) bad(`${name} must be a distance in metres from 0 to 100000`, `params.${name}`);
    return Math.round(value);
  }
  const allowed: readonly string[] = kind === 'direction' ? DIRECTIONS : LANDMARKS;
  if (typeof value !== 'string' || !allowed.includes(value)) bad(`${name} must be one of ${allowed.join(', ')}`, `params.${name}`);
  return value;
}

/** Checks a message an operator asked to send and renders it in both languages. */
export function renderMessage(template: unknown, params: unknown): RenderedMessage {
  if (typeof template !== 'string' || !Object.hasOwn(TEMPLATES, template)) bad(`template must be one of ${Object.keys(TEMPLATES).join(', ')}`, 'template');
  const t = TEMPLATES[template];
  const given = (params ?? {}) as Record<string, unknown>;
  if (typeof given !== 'object' || Array.isArray(given)) bad('params must be an object', 'params');
  for (const key of Object.keys(given)) if (!Object.hasOwn(t.params, key)) bad(`template ${template} takes no parameter ${key}`, `params.${key}`);
  const checked: Record<string, string | number> = {};
  for (const [name, kind] of Object.entries(t.params)) {
    if (!(name in given)) bad(`template ${template} needs ${name}`, `params.${name}`);
    checked[name] = checkParam(kind, name, given[name]);
  }
  const p = checked as unknown as Params;
  return { template, params: checked, textEn: t.en(p), textEs: t.es(p) };
}

/** The catalogue as the dashboard offers it. */
export function templatesJson() {
  return Object.entries(TEMPLATES).map(([id, t]) => ({
    id,
    params: Object.fromEntries(Object.entries(t.params).map(([name, kind]) => [name,
      kind === 'distance' ? { type: 'number', unit: 'm' } : { type: 'string', one_of: kind === 'direction' ? [...DIRECTIONS] : [...LANDMARKS] }])),
    example_en: t.en({ distance_m: 300, direction: 'north', landmark: 'river' }),
    example_es: t.es({ distance_m: 300, direction: 'north', landmark: 'river' }),
  }));
}
