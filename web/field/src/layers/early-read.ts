// The compiled boundary is what the first answer waits for. Its reading starts before this script runs,
// in the page's tiny early-read.js (web/field/early-read.js, inline at the top of the page), whose promise
// this takes; if that script has not run (yet), the bytes are fetched here, as the start-up script's first
// work (main.ts imports this module first).

declare const __DEFAULT_LAYERS__: string;

declare global {
  interface Window {
    /** The compiled boundary's bytes, or null when they cannot be had (set by early-read.js, or below). */
    linderoCompiledLayers?: Promise<Uint8Array | null>;
  }
}

/** Where the compiled boundary is, beside the app. */
export const compiledLayersUrl = new URL(__DEFAULT_LAYERS__, document.baseURI);

async function fetched(url: URL): Promise<Uint8Array | null> {
  const response = await fetch(url, { mode: 'cors', credentials: 'same-origin' });
  performance.mark('lindero:layers-response');
  return response.ok ? new Uint8Array(await response.arrayBuffer()) : null;
}

/** The compiled boundary's bytes, or null when they cannot be had; rejects only as fetch() does. */
export const compiledLayerBytes: Promise<Uint8Array | null> = (window.linderoCompiledLayers ??= fetched(compiledLayersUrl));
// Read by whoever first needs it; until then a failure is not an unhandled rejection.
compiledLayerBytes.catch(() => undefined);
