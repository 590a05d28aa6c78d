// The server's event stream, reconnecting with backoff. After each (re)connection the caller reloads
// state, so nothing that happened while the link was down is missed.
import { streamUrl } from '../api/client.js';
import type { StreamEvent } from '../api/types.js';

export type StreamStatus = 'connecting' | 'live' | 'offline';

export interface StreamHandlers {
  /** The events of one frame, in order: an alert alone, or a batch of everything else (one task, however many). */
  onEvents(events: StreamEvent[]): void;
  onStatus(status: StreamStatus): void;
  /** Called on every successful connection, before events flow. */
  onConnected(): void | Promise<void>;
}

const MAX_BACKOFF_MS = 15_000;
/** How the server writes a unit event (src/server/stream.ts: JSON.stringify of `{ type: 'unit', … }`). */
const UNIT_EVENT_PREFIX = '{"type":"unit"';

type Frame = StreamEvent | { type: 'batch'; events: StreamEvent[] };

/**
 * A frame's events, and whether it was a batch (which the server waits to hear `ack` for). Unit summaries,
 * which the dashboard does not ask for, are left out (and one alone not even parsed).
 */
export function frameEvents(text: string): { events: StreamEvent[]; batch: boolean } {
  if (text.startsWith(UNIT_EVENT_PREFIX)) return { events: [], batch: false };
  let frame: Frame;
  try {
    frame = JSON.parse(text) as Frame;
  } catch {
    return { events: [], batch: false }; // the server sends JSON only; anything else is ignored
  }
  if (frame.type !== 'batch') return { events: [frame], batch: false };
  return { events: Array.isArray(frame.events) ? frame.events.filter((e) => e.type !== 'unit') : [], batch: true };
}

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
      const { events, batch } = frameEvents(String(e.data));
      try {
        if (events.length > 0) handlers.onEvents(events);
      } finally {
        // Taken: the server may send the next batch.
        if (batch && socket?.readyState === WebSocket.OPEN) socket.send('ack');
      }
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
