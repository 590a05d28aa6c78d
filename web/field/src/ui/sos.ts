// The SOS, shown while the phone reports to a server. A press asks to confirm first (no SOS from a tap in a
// pocket); once confirmed, the next position the GPS gives is sent declaring an emergency, through the outbox
// every fix goes through (kept on the phone until the server has it). Without a position within
// FRESH_POSITION_MS it is sent without one, and the server places it at the phone's last reported position
// and says so. Its cancel goes the same way. The server raises the alerts; this only says what was sent.
import type { OutboxEmergency } from '../db.js';
import { t } from '../i18n/i18n.js';
import type { DeviceFix } from '../position/device-fix.js';
import { byId, setText } from './dom.js';

/** How long the SOS waits for the GPS's next position before it goes without one. */
export const FRESH_POSITION_MS = 10_000;
/** What the SOS is called on the server (the alert says it). */
const SOS_NAME = 'SOS';

export interface SosDeps {
  /** Whether a report server is set: without one an SOS could go nowhere, and the button is not shown. */
  reporting(): boolean;
  /** Queues a position (with an emergency, or plain); resolves whether it was kept to be sent. */
  record(fix: DeviceFix, emergency?: OutboxEmergency): Promise<boolean>;
  /** Queues an emergency without a position, at this time; resolves whether it was kept to be sent. */
  recordWithoutPosition(timeMs: number, emergency: OutboxEmergency): Promise<boolean>;
}

type Said =
  | { key: 'sos.locating' | 'sos.notKept' }
  | { key: 'sos.declared' | 'sos.cancelled' | 'sos.declaredNoPosition' | 'sos.cancelledNoPosition'; time: number };

export class SosControl {
  private confirming = false;
  private declared = false;
  private said: Said | null = null;
  /** The emergency waiting for the GPS's next position, and the timer that sends it without one. */
  private waiting: { emergency: OutboxEmergency; timer: ReturnType<typeof setTimeout> } | null = null;

  constructor(private readonly deps: SosDeps) {
    byId('sos-button').addEventListener('click', () => this.set(() => (this.confirming = true)));
    byId('sos-back').addEventListener('click', () => this.set(() => (this.confirming = false)));
    byId('sos-send').addEventListener('click', () => this.start('declared'));
    byId('sos-cancel').addEventListener('click', () => this.start('cancelled'));
  }

  /**
   * A position from the GPS: sent with the emergency waiting for it, else plain. One position is one fix on the
   * server (one per unit, time and place), so the one an SOS goes with is not sent plain as well.
   */
  report(fix: DeviceFix): void {
    const waiting = this.waiting;
    if (!waiting) {
      void this.deps.record(fix);
      return;
    }
    this.waiting = null;
    clearTimeout(waiting.timer);
    void this.deps.record(fix, waiting.emergency).then((kept) => this.sent(waiting.emergency, kept, fix.timeMs, true));
  }

  render(): void {
    byId('sos').hidden = !this.deps.reporting();
    const busy = this.waiting !== null;
    byId('sos-button').hidden = this.confirming || this.declared;
    byId<HTMLButtonElement>('sos-button').disabled = busy;
    byId('sos-confirm').hidden = !this.confirming;
    byId('sos-cancel').hidden = !this.declared || this.confirming;
    byId<HTMLButtonElement>('sos-cancel').disabled = busy;
    const status = byId('sos-status');
    status.dataset.state = busy ? 'waiting' : this.declared ? 'declared' : 'idle';
    setText(status, this.text());
  }

  private set(change: () => void): void {
    change();
    this.render();
  }

  private text(): string {
    const said = this.said;
    if (!said) return '';
    if (!('time' in said)) return t(said.key);
    return t(said.key, { time: `${new Date(said.time).toISOString().slice(11, 19)} UTC` });
  }

  private start(state: OutboxEmergency['state']): void {
    if (this.waiting) return;
    const emergency: OutboxEmergency = { state, what: state === 'declared' ? SOS_NAME : `${SOS_NAME} cancelled` };
    const timer = setTimeout(() => {
      if (this.waiting?.emergency !== emergency) return;
      this.waiting = null;
      const timeMs = Date.now();
      void this.deps.recordWithoutPosition(timeMs, emergency).then((kept) => this.sent(emergency, kept, timeMs, false));
    }, FRESH_POSITION_MS);
    this.set(() => {
      this.confirming = false;
      this.waiting = { emergency, timer };
      this.said = { key: 'sos.locating' };
    });
  }

  private sent(emergency: OutboxEmergency, kept: boolean, timeMs: number, withPosition: boolean): void {
    this.set(() => {
      if (!kept) {
        this.said = { key: 'sos.notKept' };
        return;
      }
      const declared = emergency.state === 'declared';
      this.declared = declared;
      this.said = { key: declared ? (withPosition ? 'sos.declared' : 'sos.declaredNoPosition') : (withPosition ? 'sos.cancelled' : 'sos.cancelledNoPosition'), time: timeMs };
    });
  }
}
