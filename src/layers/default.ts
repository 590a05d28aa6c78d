// The boundary lindero ships: the U.S.–Mexico boundary in data/us-mx-boundary.geojson.
// It is on the CLI's cold-start path, so it is read synchronously, with no per-vertex pass (see parseShippedBoundary).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection } from 'geojson';
import { LinderoError } from '../model/index.js';
import { parseGeoJsonText } from './geojson.js';

const DEFAULT_BOUNDARY = join('data', 'us-mx-boundary.geojson');

let cachedPath: string | undefined;

/**
 * Absolute path of the shipped boundary file. This module runs from src/layers (through tsx) or from
 * dist/layers (compiled); both sit two levels under the package root, which is found by walking up to
 * the package.json named "lindero" so a different layout still resolves.
 */
export function defaultBoundaryPath(): string {
  if (cachedPath) return cachedPath;
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    if (isLinderoRoot(dir)) return (cachedPath = join(dir, DEFAULT_BOUNDARY));
    if (dirname(dir) === dir) break;
  }
  return (cachedPath = join(here, '..', '..', DEFAULT_BOUNDARY));
}

function isLinderoRoot(dir: string): boolean {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'lindero';
  } catch {
    return false;
  }
}

/** Reads and checks the shipped boundary synchronously; throws LinderoError if the package is missing or damaged it. */
export function loadDefaultBoundary(): FeatureCollection {
  const path = defaultBoundaryPath();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new LinderoError(
      'layer-default-missing',
      `the built-in boundary cannot be read (${code ?? (e as Error).message}); the installation is incomplete, or pass --boundary FILE`,
      { file: path },
    );
  }
  return parseShippedBoundary(text, path);
}

/**
 * The shipped file is checked in full by its tests (default.test.ts runs it through parseGeoJsonText); at
 * start-up only its JSON and outline are checked, which saves the per-vertex pass on the cold-start path.
 */
function parseShippedBoundary(text: string, path: string): FeatureCollection {
  let layer: unknown;
  try {
    layer = JSON.parse(text);
  } catch {
    return parseGeoJsonText(text, path); // reports the syntax error with its line and column
  }
  const features = (layer as { features?: unknown }).features;
  if ((layer as { type?: unknown }).type !== 'FeatureCollection' || !Array.isArray(features) || features.length === 0) {
    throw new LinderoError('layer-default-damaged', 'the built-in boundary is not a non-empty FeatureCollection; the installation is damaged, or pass --boundary FILE', { file: path });
  }
  return layer as FeatureCollection;
}
