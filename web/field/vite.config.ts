// Field mode: a separate app so that the phone downloads only what it needs (no map library), with a
// service worker (Workbox, through vite-plugin-pwa) that keeps the app and the default boundary offline.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import en from './src/i18n/en.json' with { type: 'json' };
import es from './src/i18n/es.json' with { type: 'json' };
import { drawIcon } from './scripts/icons.ts';
import { patchGeographiclibMgrs } from './scripts/patch-geographiclib-mgrs.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const DEFAULT_BOUNDARY_ASSET = 'layers/us-mx-boundary.geojson';

/** Emits the default boundary (minified, same features) and the icons beside the app. */
function fieldAssetsPlugin(): Plugin {
  return {
    name: 'lindero-field-assets',
    apply: 'build',
    generateBundle() {
      const boundary = JSON.stringify(JSON.parse(readFileSync(here('../../data/us-mx-boundary.geojson'), 'utf8')));
      this.emitFile({ type: 'asset', fileName: DEFAULT_BOUNDARY_ASSET, source: boundary });
      for (const size of [192, 512]) this.emitFile({ type: 'asset', fileName: `icons/icon-${size}.png`, source: drawIcon(size) });
    },
  };
}

export default defineConfig({
  root: here('.'),
  // Relative, so the built folder works wherever it is hosted: /field on lindero serve, or any static host.
  base: './',
  publicDir: false,
  define: { __DEFAULT_BOUNDARY__: JSON.stringify(DEFAULT_BOUNDARY_ASSET) },
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
        globPatterns: ['**/*.{html,js,css,geojson,png}'],
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
    },
  },
});
