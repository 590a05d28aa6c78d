// Field mode's first answer waits for the compiled boundary, so this tiny script (inline at the top of the
// page, web/field/vite.config.ts, before the app's script is even fetched) starts reading it from the
// offline cache the service worker keeps: read there rather than through the worker, whose fetch handler
// streams the 1.4 MB at about twice the time. The app takes the bytes from window.linderoCompiledLayers
// (src/layers/early-read.ts), or reads them itself if this script did not run first.
'use strict';
performance.mark('lindero:early-read');
// Not drawn until the first answer is ready, or a moment has passed (src/main.ts, drawNow): drawing the page
// while it waits for the boundary (layout and paint at start-up) would only make the answer later. Drawn
// after 3 s whatever happens, should the app's script never run.
document.documentElement.dataset.starting = '';
setTimeout(() => { delete document.documentElement.dataset.starting; }, 3000);
if (!window.linderoCompiledLayers) {
  const url = new URL('layers/us-mx-boundary.layers.bin', document.baseURI).href;
  window.linderoCompiledLayers = (async () => {
    const cached = await (self.caches ? caches.match(url, { ignoreSearch: true }).catch(() => undefined) : undefined);
    const response = cached || await fetch(url, { mode: 'cors', credentials: 'same-origin' });
    performance.mark('lindero:layers-response');
    return response.ok ? new Uint8Array(await response.arrayBuffer()) : null;
  })();
  // Read by the app when it needs it; until then a failure is not an unhandled rejection.
  window.linderoCompiledLayers.catch(() => undefined);
}
