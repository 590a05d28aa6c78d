// The compiled boundary is what the first answer waits for, so reading it is the start-up script's first
// work (main.ts imports this module first): the bytes come in while the rest of the script is evaluated.
// Once the service worker keeps the app they are read from its cache here rather than through it: the
// worker's fetch handler streams the 1.4 MB to the page at about twice the time (measured on the phone
// profile: ~90–140 ms against ~210–280 ms). Before that (a first visit) they are fetched.

declare const __DEFAULT_LAYERS__: string;

/** Where the compiled boundary is, beside the app. */
export const compiledLayersUrl = new URL(__DEFAULT_LAYERS__, document.baseURI);

async function compiledBytes(url: URL): Promise<Uint8Array | null> {
  const cached = await globalThis.caches?.match(url.href, { ignoreSearch: true }).catch(() => undefined);
  const response = cached ?? await fetch(url, { mode: 'cors', credentials: 'same-origin' });
  performance.mark('lindero:layers-response');
  if (!response.ok) return null;
  return new Uint8Array(await response.arrayBuffer());
}

/** The compiled boundary's bytes, or null when they cannot be had; rejects only as fetch() does. */
export const compiledLayerBytes: Promise<Uint8Array | null> = compiledBytes(compiledLayersUrl);
// Read by whoever first needs it; until then a failure is not an unhandled rejection.
compiledLayerBytes.catch(() => undefined);
