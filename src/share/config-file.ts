// Reads the partners file (YAML or JSON: YAML 1.2 reads JSON as it is, so one parser gives line numbers
// for both), checks it against the schema, and reports the first problem with its line and field.
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { Value, type ValueError } from '@sinclair/typebox/value';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { LinderoError } from '../model/index.js';
import { DEFAULT_LINK_PORT, normalisePolicy, ShareFileSchema, type ShareConfig, type ShareFile } from './config.js';

/** A partners file is a few kilobytes; anything near this is not one. */
export const MAX_CONFIG_BYTES = 256 * 1024;

/** JSON pointer "/partners/0/policy/grid_m" → "partners[0].policy.grid_m". */
function fieldName(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function pointerPath(pointer: string): (string | number)[] {
  return pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function lineOf(doc: Document, counter: LineCounter, path: (string | number)[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

function describeSchema(schema: TSchema): string {
  if (Array.isArray(schema.anyOf)) {
    const literals = (schema.anyOf as TSchema[]).map((s) => (s.const !== undefined ? JSON.stringify(s.const) : s.type === 'null' ? 'null' : s.type));
    return `one of ${literals.join(', ')}`;
  }
  const parts: string[] = [schema.type === 'integer' ? 'a whole number' : schema.type === 'number' ? 'a number' : `a ${schema.type}`];
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined && schema.minLength > 1) parts.push(`of at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined) parts.push(`of at most ${schema.maxLength} characters`);
  if (schema.pattern !== undefined) parts.push(`matching ${schema.pattern}`);
  if (schema.maxItems !== undefined) parts.push(`with at most ${schema.maxItems} items`);
  return parts.join(' ');
}

function problem(error: ValueError): string {
  const shown = JSON.stringify(error.value)?.slice(0, 60) ?? String(error.value);
  if (error.message === 'Unexpected property') return 'is not a known field (check its spelling)';
  if (error.message === 'Expected required property') return 'is missing';
  if (error.message.includes('unique')) return 'lists the same value twice';
  return `must be ${describeSchema(error.schema)}, not ${shown}`;
}

function fail(file: string, message: string, field?: string, line?: number): never {
  throw new LinderoError('share-config', message, { file, line, field });
}

function readText(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    fail(file, `cannot read the partners file: ${(e as Error).message}`);
  }
  if (size > MAX_CONFIG_BYTES) fail(file, `the partners file is ${size} bytes; more than ${MAX_CONFIG_BYTES} is not a partners file`);
  const bytes = readFileSync(file);
  if (bytes.includes(0)) fail(file, 'the partners file is binary, not YAML or JSON text');
  return bytes.toString('utf8');
}

function secretOf(file: string, partner: NonNullable<ShareFile['partners']>[number], index: number, line: number | undefined): string {
  const field = `partners[${index}]`;
  if (partner.secret !== undefined && partner.secret_file !== undefined) fail(file, 'give either secret or secret_file, not both', `${field}.secret`, line);
  if (partner.secret !== undefined) return partner.secret;
  if (partner.secret_file === undefined) fail(file, `partner ${partner.name} needs a shared secret (secret or secret_file)`, `${field}.secret`, line);
  const path = resolve(dirname(file), partner.secret_file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (e) {
    fail(file, `cannot read the secret file ${path}: ${(e as Error).message}`, `${field}.secret_file`, line);
  }
  if (text.length < 16 || text.length > 1024) fail(file, `the secret in ${path} must be 16 to 1024 characters`, `${field}.secret_file`, line);
  return text;
}

/** Parses and validates partners-file text; `file` names it in errors and anchors relative paths. */
export function parseShareConfig(text: string, file: string, overrides: { org?: string } = {}): ShareConfig {
  const counter = new LineCounter();
  // uniqueKeys: a key given twice is a mistake to report, not a value to pick silently.
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    fail(file, `not valid YAML or JSON: ${e.message.split('\n')[0]}`, undefined, counter.linePos(e.pos[0]).line);
  }
  let data: unknown;
  try {
    // maxAliasCount: YAML aliases can expand a small file into a huge value ("billion laughs").
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    fail(file, `cannot read the partners file: ${(e as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail(file, 'the partners file must be a mapping with a "partners" list');
  const first = Value.Errors(ShareFileSchema, data).First();
  if (first) {
    const path = pointerPath(first.path);
    fail(file, `${fieldName(path) || 'the file'} ${problem(first)}`, fieldName(path) || undefined, lineOf(doc, counter, path));
  }
  return normalise(data as ShareFile, file, overrides, (path) => lineOf(doc, counter, path));
}

const urlsOf = (url: string | string[] | undefined): string[] => (url === undefined ? [] : typeof url === 'string' ? [url] : [...url]);

function normalise(f: ShareFile, file: string, overrides: { org?: string }, line: (path: (string | number)[]) => number | undefined): ShareConfig {
  const org = overrides.org ?? f.org;
  if (!org) fail(file, 'name the home organisation: "org" in the file or --org', 'org');
  const names = new Set<string>();
  const partners = f.partners.map((p, i) => {
    if (p.name === org) fail(file, `partner ${p.name} has the home organisation's own name`, `partners[${i}].name`, line(['partners', i, 'name']));
    if (names.has(p.name)) fail(file, `partner ${p.name} is listed twice`, `partners[${i}].name`, line(['partners', i, 'name']));
    names.add(p.name);
    const urls = urlsOf(p.url);
    return {
      name: p.name, url: urls[0] ?? null, urls, lang: p.lang ?? 'es',
      secret: secretOf(file, p, i, line(['partners', i])),
      policy: normalisePolicy(p.policy),
    };
  });
  const link = f.link ?? {};
  const minMs = link.reconnect_min_ms ?? 500;
  const maxMs = link.reconnect_max_ms ?? 30_000;
  if (maxMs < minMs) fail(file, `link.reconnect_max_ms (${maxMs}) is less than link.reconnect_min_ms (${minMs})`, 'link.reconnect_max_ms', line(['link', 'reconnect_max_ms']));
  const base = dirname(file);
  const tls = link.tls ? { cert: resolve(base, link.tls.cert), key: resolve(base, link.tls.key), ca: resolve(base, link.tls.ca) } : null;
  return {
    file: resolve(file), org, lang: f.lang ?? 'en',
    link: { host: link.host ?? '127.0.0.1', port: link.port ?? DEFAULT_LINK_PORT, tls, reconnectMinMs: minMs, reconnectMaxMs: maxMs },
    unitTags: new Map(Object.entries(f.units ?? {})),
    proximity: { distanceM: f.proximity?.distance_m ?? 1000, boundaryM: f.proximity?.boundary_m ?? 1000 },
    partners,
  };
}

/** Reads a partners file (YAML or JSON). Errors are LinderoErrors naming the file, line and field. */
export function loadShareConfig(file: string, overrides: { org?: string } = {}): ShareConfig {
  return parseShareConfig(readText(file), file, overrides);
}
