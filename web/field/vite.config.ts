// Field mode: a separate app so that the phone downloads only what it needs (no map library), with a
// service worker (Workbox, through vite-plugin-pwa) that keeps the app and the default boundary offline.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import en from './src/i18n/en.json' with { type: 'json' };
import es from './src/i18n/es.json' with { type: 'json' };
import { drawIcon } from './scripts/icons.ts';
import { patchGeographiclibMgrs } from './scripts/patch-geographiclib-mgrs.ts';
import { buildLayers, saveLayerBytes } from '../../src/geo/index.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const DEFAULT_BOUNDARY_ASSET = 'layers/us-mx-boundary.geojson';
/** The same boundary compiled (src/geo/saved-layers.ts): what the phone opens with, instead of building the index. */
export const DEFAULT_LAYERS_ASSET = 'layers/us-mx-boundary.layers.bin';
/** The page's first script, inline: it starts reading the compiled boundary (see the file). Its comments stay in the file. */
function earlyReadScript(): string {
  const source = readFileSync(here('early-read.js'), 'utf8').replace(/^\/\/.*\n/gm, '');
  return source.replace("'layers/us-mx-boundary.layers.bin'", JSON.stringify(DEFAULT_LAYERS_ASSET));
}
/** The boundary the compiled set is built from: the app restores only a set built from this very file. */
const DEFAULT_BOUNDARY_SHA256 = createHash('sha256').update(readFileSync(here('../../data/us-mx-boundary.geojson'))).digest('hex');

/**
 * Emits the default boundary twice, compiled (what the app opens with) and as GeoJSON (minified, same
 * features: what a fence file is built with), and the icons beside the app.
 */
function fieldAssetsPlugin(): Plugin {
  return {
    name: 'lindero-field-assets',
    apply: 'build',
    // The compiled boundary is what the first answer waits for: early-read.js, inline at the top of the page
    // (no fetch of its own to wait for; lindero serve allows it by its hash, src/server/field.ts), starts
    // reading it (from the offline cache once the app is kept) before the app's script is even fetched.
    // No <link rel="preload">: once the app is kept it would stream the file through the service worker for nothing.
    // The app's script blocks the first render: until it has run the page is empty buttons without words, and
    // painting that (style, layout, paint: ~40 ms at CPU ×4, measured) would only delay the first answer.
    transformIndexHtml: {
      order: 'post',
      handler: (html: string) => ({
        html: html.replace(/<script type="module" crossorigin /g, '<script type="module" blocking="render" crossorigin '),
        tags: [{ tag: 'script', children: earlyReadScript(), injectTo: 'head-prepend' }],
      }),
    },
    generateBundle() {
      const text = readFileSync(here('../../data/us-mx-boundary.geojson'), 'utf8');
      const features = JSON.parse(text);
      // Built exactly as the phone would build it (web/field/src/layers/active-layers.ts).
      const compiled = buildLayers(features, null, { boundaryFile: 'us-mx-boundary.geojson' });
      const sourceSha256 = DEFAULT_BOUNDARY_SHA256;
      const emit = (fileName: string, bytes: Uint8Array) => {
        this.emitFile({ type: 'asset', fileName, source: bytes });
        // Beside each, its compressed forms: the server sends the one the browser accepts (@fastify/static
        // preCompressed), so the phone downloads ~0.42 MB of the 1.4 MB compiled boundary, and keeps the plain file.
        this.emitFile({ type: 'asset', fileName: `${fileName}.br`, source: brotliCompressSync(bytes, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9 } }) });
        this.emitFile({ type: 'asset', fileName: `${fileName}.gz`, source: gzipSync(bytes, { level: 6 }) });
      };
      emit(DEFAULT_BOUNDARY_ASSET, new TextEncoder().encode(JSON.stringify(features)));
      emit(DEFAULT_LAYERS_ASSET, saveLayerBytes(compiled, sourceSha256));
      for (const size of [192, 512]) this.emitFile({ type: 'asset', fileName: `icons/icon-${size}.png`, source: drawIcon(size) });
    },
  };
}

export default defineConfig({
  root: here('.'),
  // Relative, so the built folder works wherever it is hosted: /field on lindero serve, or any static host.
  base: './',
  publicDir: false,
  define: {
    __DEFAULT_BOUNDARY__: JSON.stringify(DEFAULT_BOUNDARY_ASSET), __DEFAULT_LAYERS__: JSON.stringify(DEFAULT_LAYERS_ASSET),
    __DEFAULT_BOUNDARY_SHA256__: JSON.stringify(DEFAULT_BOUNDARY_SHA256),
  },
  resolve: {
    // mgrs's ES build has only named exports, while src/coords imports its default as Node does from the
    // CommonJS build; the CommonJS build serves both forms.
    alias: [{ find: /^mgrs$/, replacement: createRequire(import.meta.url).resolve('mgrs') }],
  },
  plugins: [
    patchGeographiclibMgrs(),
    fieldAssetsPlugin(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      manifestFilename: 'manifest.webmanifest',
      manifest: {
        // One manifest serves both languages: the tagline in each, from the catalogues.
        name: en['app.title'],
        short_name: 'lindero',
        description: `${en['app.tagline']} / ${es['app.tagline']}`,
        start_url: './',
        scope: './',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: '#111827',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{html,js,css,geojson,png,bin}'],
        // The compiled boundary is over Workbox's 2 MiB default; it is the one file the app cannot start without.
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        navigateFallback: 'index.html',
        // Everything the app needs is precached; nothing is fetched at run time except the optional report server.
        runtimeCaching: [],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      // The phone needs classify(), the alert rules and MGRS, but those modules' index files also export
      // their Node-side readers (track files, wire formats), and CommonJS libraries count as having side
      // effects, so without this the unused readers would be bundled. Only stylesheets act on import here.
      treeshake: { moduleSideEffects: (id: string) => /\.css(\?|$)/.test(id) },
      // The start-up script's first statement marks when it began to run (bench/field.ts shows where a start's time goes).
      output: { banner: (chunk: { isEntry: boolean }) => (chunk.isEntry ? "performance.mark('lindero:bundle-start');" : '') },
    },
  },
});
