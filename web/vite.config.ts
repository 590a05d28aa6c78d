import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { patchGeographiclibMgrs } from './field/scripts/patch-geographiclib-mgrs.ts';
import { buildBasemap } from './scripts/basemap.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Emits the offline basemap (countries, places) beside the app, derived at build time from packaged open data. */
function basemapPlugin(): Plugin {
  return {
    name: 'lindero-basemap',
    apply: 'build',
    generateBundle() {
      const basemap = buildBasemap({ boundaryFile: here('../data/us-mx-boundary.geojson') });
      const emit = (fileName: string, data: unknown) => this.emitFile({ type: 'asset', fileName, source: JSON.stringify(data) });
      emit('basemap/countries.json', basemap.countries);
      emit('basemap/places.json', basemap.places);
      emit('basemap/region.json', { bbox: basemap.region });
    },
  };
}

export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: false,
  resolve: {
    // As field mode's: src/coords imports mgrs's default export, which only its CommonJS build has.
    alias: [{ find: /^mgrs$/, replacement: createRequire(import.meta.url).resolve('mgrs') }],
  },
  // The dashboard formats MGRS with src/coords, the same code as the CLI and field mode.
  plugins: [patchGeographiclibMgrs(), basemapPlugin()],
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    // MapLibre alone is ~1 MB minified; it is served from the same machine, never a CDN.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      input: { index: here('index.html'), card: here('card.html') },
    },
  },
});
