// The live event stream inside the server: the pipeline publishes what it stored, the WebSocket
// route and the TAK listener subscribe. Publishing never waits for a subscriber.
import type { StoredAlert, StoredFix, UnitSummary } from '../store/index.js';
import type { Acknowledgement } from '../trust/index.js';
import type { Marker } from './markers.js';

export type ServerEvent =
  | { type: 'fix'; fix: StoredFix }
  | { type: 'alert'; alert: StoredAlert }
  | { type: 'unit'; unit: UnitSummary }
  /** An operator acknowledged an alert (on this node). */
  | { type: 'acknowledgement'; acknowledgement: Acknowledgement }
  /** A TAK client shared a map marker (never a unit). */
  | { type: 'marker'; marker: Marker }
  /** Partner units, alerts, messages and link states (src/share), already in their wire form. */
  | { type: 'partner'; event: PartnerEvent };

/** A partner event as share/ publishes it, already in its wire form (share/wire.ts): the hub only carries it. */
export interface PartnerEvent {
  type: string;
}

export type Subscriber = (event: ServerEvent) => void;

export class EventHub {
  private readonly subscribers = new Set<Subscriber>();
  /** Called with a subscriber's exception; the other subscribers still get the event. */
  constructor(private readonly onSubscriberError: (error: unknown) => void = () => {}) {}

  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  publish(event: ServerEvent): void {
    for (const subscriber of this.subscribers) {
      try {
        subscriber(event);
      } catch (e) {
        this.onSubscriberError(e);
      }
    }
  }
}
