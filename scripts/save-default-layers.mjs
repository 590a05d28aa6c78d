#!/usr/bin/env node
// Build step after tsc: saves the compiled default layers beside the compiled CLI (see src/layers/saved-layers.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const { buildDefaultLayers, SAVED_DEFAULT_LAYERS } = await import('../dist/layers/load-layers.js');
const { saveLayers, sha256 } = await import('../dist/layers/saved-layers.js');
const { defaultBoundaryPath } = await import('../dist/layers/default.js');

const bytes = saveLayers(buildDefaultLayers(), sha256(readFileSync(defaultBoundaryPath())));
writeFileSync(SAVED_DEFAULT_LAYERS, bytes);
console.log(`saved the default layers: ${fileURLToPath(SAVED_DEFAULT_LAYERS)} (${bytes.byteLength} bytes)`);
