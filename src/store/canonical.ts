// Canonical JSON (RFC 8785, the JSON Canonicalization Scheme) for the flat records of the evidence chain.
//
// For JavaScript values RFC 8785 is exactly: strings and numbers as ECMAScript's JSON.stringify writes them
// (RFC 8785 §3.2.2.2 and §3.2.2.3 adopt those algorithms), object members sorted by their names' UTF-16
// code units (§3.2.3), no whitespace. Hand-written because that is these few lines; the tests check them
// against the RFC's own examples.

export type CanonicalValue = null | boolean | number | string | CanonicalValue[] | { [key: string]: CanonicalValue };

/** Deepest nesting accepted: the chain's records are flat, so anything deep is hostile input. */
const MAX_DEPTH = 32;

/** RFC 8785 text of a JSON value. Throws RangeError on a non-finite number (§3.2.2.3) or on nesting past 32 levels. */
export function canonicalJson(value: CanonicalValue): string {
  return write(value, 0);
}

function write(value: CanonicalValue, depth: number): string {
  if (depth > MAX_DEPTH) throw new RangeError(`canonical JSON: nested deeper than ${MAX_DEPTH} levels`);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`canonical JSON: ${value} has no JSON form (RFC 8785 §3.2.2.3)`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => write(v, depth + 1)).join(',')}]`;
  if (typeof value !== 'object') throw new TypeError(`canonical JSON: a ${typeof value} is not a JSON value`);
  // Default sort compares UTF-16 code units, as RFC 8785 §3.2.3 requires.
  const keys = Object.keys(value).sort();
  const members: string[] = [];
  for (const key of keys) {
    const member = value[key];
    if (member === undefined) continue;
    members.push(`${JSON.stringify(key)}:${write(member, depth + 1)}`);
  }
  return `{${members.join(',')}}`;
}
