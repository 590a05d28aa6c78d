// The feature properties lindero reads, under one spelling whatever the source format.
// Shapefile (dBASE) field names are at most 10 characters and often upper case; KML ExtendedData is always text.

/** Property names buildLayers() reads; every other property passes through untouched. */
export const LAYER_PROPERTIES = ['left', 'right', 'territory', 'name', 'edges', 'illustrative', 'provenance', 'uncertainty_m', 'coverage_m'] as const;

const CANONICAL = new Map<string, string>([
  ...LAYER_PROPERTIES.map((key) => [key, key] as [string, string]),
  // dBASE III field names stop at 10 characters.
  ['illustrati', 'illustrative'],
  ['uncertaint', 'uncertainty_m'],
]);

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0', '']);

/**
 * Returns properties with the lindero keys spelled in lower case (LEFT → left, ILLUSTRATI → illustrative),
 * text values of those keys trimmed, and `illustrative` made a boolean when it is a yes/no word or 0/1.
 * A key already spelled canonically wins over a differently cased duplicate, which is kept as it was.
 */
export function normalizeProperties(properties: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const source = properties ?? {};
  for (const [key, value] of Object.entries(source)) {
    const canonical = CANONICAL.get(key.toLowerCase());
    if (canonical && canonical !== key && Object.hasOwn(source, canonical)) {
      out[key] = value;
    } else {
      out[canonical ?? key] = canonical ? tidy(canonical, value) : value;
    }
  }
  return out;
}

function tidy(key: string, value: unknown): unknown {
  const text = typeof value === 'string' ? value.trim() : value;
  if (key !== 'illustrative') return text;
  if (typeof text === 'string' && TRUE_WORDS.has(text.toLowerCase())) return true;
  if (typeof text === 'string' && FALSE_WORDS.has(text.toLowerCase())) return false;
  if (text === 1) return true;
  if (text === 0) return false;
  return text;
}
