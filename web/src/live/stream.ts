// The server's event stream, reconnecting with backoff. After each (re)connection the caller reloads
// state, so nothing that happened while the link was down is missed.
import { streamUrl } from '../api/client.js';
import type { StreamEvent } from '../api/types.js';

export type StreamStatus = 'connecting' | 'live' | 'offline';

export interface StreamHandlers {
  onEvent(event: StreamEvent): void;
  onStatus(status: StreamStatus): void;
  /** Called on every successful connection, before events flow. */
  onConnected(): void | Promise<void>;
}

const MAX_BACKOFF_MS = 15_000;
/** How the server writes a unit event (src/server/stream.ts: JSON.stringify of `{ type: 'unit', … }`). */
const UNIT_EVENT_PREFIX = '{"type":"unit"';

export function connectStream(handlers: StreamHandlers): () => void {
  let socket: WebSocket | null = null;
  let backoffMs = 500;
  let stopped = false;
  let retry = 0;

  const open = () => {
    handlers.onStatus('connecting');
    socket = new WebSocket(streamUrl());
    socket.addEventListener('open', () => {
      backoffMs = 500;
      handlers.onStatus('live');
      void handlers.onConnected();
    });
    socket.addEventListener('message', (e) => {
      const text = String(e.data);
      // Every fix is followed by its unit's summary (with that fix again inside); the dashboard takes its units
      // from the fixes, so those are not even parsed: at 1,000 fixes a second that halves the page's parsing.
      if (text.startsWith(UNIT_EVENT_PREFIX)) return;
      let event: StreamEvent;
      try {
        event = JSON.parse(text) as StreamEvent;
      } catch {
        return; // the server sends JSON only; anything else is ignored
      }
      handlers.onEvent(event);
    });
    socket.addEventListener('close', () => {
      if (stopped) return;
      handlers.onStatus('offline');
      retry = window.setTimeout(open, backoffMs);
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    });
  };
  open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    socket?.close();
  };
}
