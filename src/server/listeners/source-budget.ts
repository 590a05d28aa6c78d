// One budget of events per second per source (an address, or an enrolled device), shared by all its
// connections on every port: a source that opens more connections does not get more of the server,
// so one flooding source cannot starve the rest (measured in bench:server, the "fair" phase).
import type { Socket } from 'node:net';
import { TokenBucket } from './token-bucket.js';

/** Events per second one source may send across all its connections. Default 5,000: a gateway's worth. */
export const DEFAULT_SOURCE_EVENTS_PER_SECOND = 5000;

export class SourceBudgets {
  private readonly sources = new Map<string, { bucket: TokenBucket; connections: number }>();

  constructor(readonly eventsPerSecond = DEFAULT_SOURCE_EVENTS_PER_SECOND) {}

  /** The shared bucket of `source` for a connection; given back when the connection closes. */
  join(source: string, socket: Socket): TokenBucket {
    let entry = this.sources.get(source);
    if (!entry) {
      entry = { bucket: new TokenBucket(this.eventsPerSecond, this.eventsPerSecond), connections: 0 };
      this.sources.set(source, entry);
    }
    entry.connections += 1;
    const joined = entry;
    socket.once('close', () => {
      joined.connections -= 1;
      if (joined.connections === 0 && this.sources.get(source) === joined) this.sources.delete(source);
    });
    return entry.bucket;
  }

  get sourceCount(): number {
    return this.sources.size;
  }
}
