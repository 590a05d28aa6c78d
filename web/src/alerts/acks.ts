// Acknowledgements as the server keeps them: who acknowledged which alert and when, the same for every
// operator. Fetched at start and after each reconnection; the stream then brings each one made on this
// server as it is made, and they are read again every ACK_POLL_MS for those made on other nodes of a
// shared database.
import { acknowledgeAlert, acknowledgements } from '../api/client.js';
import type { AcknowledgementJson } from '../api/types.js';

/** How often other operators' acknowledgements are asked for. */
export const ACK_POLL_MS = 15_000;

export class Acknowledgements {
  private readonly byAlert = new Map<number, AcknowledgementJson>();
  private readonly listeners = new Set<(ids: number[]) => void>();
  private timer = 0;

  get(alertId: number): AcknowledgementJson | undefined {
    return this.byAlert.get(alertId);
  }

  has(alertId: number): boolean {
    return this.byAlert.has(alertId);
  }

  /** Called with the ids newly acknowledged (here or by another operator). */
  onChange(listener: (ids: number[]) => void): void {
    this.listeners.add(listener);
  }

  /** Reads every acknowledgement from the server, then keeps reading them every ACK_POLL_MS. */
  async start(): Promise<void> {
    await this.refresh();
    window.clearInterval(this.timer);
    this.timer = window.setInterval(() => void this.refresh().catch(() => {}), ACK_POLL_MS);
  }

  async refresh(): Promise<void> {
    this.take(await acknowledgements());
  }

  /** Acknowledges on the server; the server's record (who, when) is what is shown. */
  async acknowledge(alertId: number): Promise<AcknowledgementJson> {
    const ack = await acknowledgeAlert(alertId);
    this.take([ack]);
    return ack;
  }

  /** Acknowledgements heard (from the stream or a read): the new ones are shown. */
  take(acks: AcknowledgementJson[]): void {
    const fresh = acks.filter((a) => !this.byAlert.has(a.alert_id));
    for (const a of fresh) this.byAlert.set(a.alert_id, a);
    if (fresh.length === 0) return;
    const ids = fresh.map((a) => a.alert_id);
    for (const listener of this.listeners) listener(ids);
  }
}
