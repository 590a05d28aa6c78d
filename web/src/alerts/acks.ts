// Acknowledgements as the server keeps them: who acknowledged which alert and when, the same for every
// operator. Fetched at start and after each reconnection, then asked for again every few seconds
// (the stream carries no acknowledgements), so one operator's acknowledgement reaches the others' screens.
import { acknowledgeAlert, acknowledgements } from '../api/client.js';
import type { AcknowledgementJson } from '../api/types.js';

/** How often other operators' acknowledgements are asked for. */
export const ACK_POLL_MS = 3000;

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

  private take(acks: AcknowledgementJson[]): void {
    const fresh = acks.filter((a) => !this.byAlert.has(a.alert_id));
    for (const a of fresh) this.byAlert.set(a.alert_id, a);
    if (fresh.length === 0) return;
    const ids = fresh.map((a) => a.alert_id);
    for (const listener of this.listeners) listener(ids);
  }
}
