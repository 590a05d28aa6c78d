// The incident rule: a crossing, proximity or emergency alert opens an incident (or extends an open one that shares a
// unit). It reads alerts in the order stored, from the last one it recorded, so alerts raised while the
// server was down are taken up when it starts again, and an alert is never taken twice.
import type { AlertKind } from '../model/index.js';
import type { Store, StoredAlert, StoredIncidentRecord } from '../store/index.js';
import type { EventHub } from './events.js';
import { foldMoreIncidents, type ExtendedRecord, type Incident, type OpenedRecord } from './incident-records.js';

export interface IncidentRuleOptions {
  /**
   * Alerts that open or extend an incident. Default crossing, proximity and emergency (a unit's SOS: what an
   * inquiry needs the positions around, as much as a crossing).
   */
  kinds?: AlertKind[];
  /** A rule-opened window starts this long before the alert, ms. Default 15 minutes. */
  beforeMs?: number;
  /** ... and ends this long after it, ms. Default 15 minutes. */
  afterMs?: number;
}

const DEFAULTS: Required<IncidentRuleOptions> = { kinds: ['crossing', 'proximity', 'emergency'], beforeMs: 15 * 60_000, afterMs: 15 * 60_000 };

/** The units an alert concerns: its unit and, for proximity, the other one. */
export function alertUnits(alert: StoredAlert): string[] {
  return alert.otherUnit !== undefined && alert.otherUnit !== alert.unit ? [alert.unit, alert.otherUnit] : [alert.unit];
}

export class IncidentRule {
  private readonly options: Required<IncidentRuleOptions>;
  private cursor: number | null = null;
  /**
   * The incidents as folded from their records, kept between runs, and the last record read: a run reads
   * only the records stored since (its own and those operators added), not every incident's every record.
   */
  private incidents: Map<number, Incident> | null = null;
  private recordsRead = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private pending = false;

  constructor(private readonly store: Store, options: IncidentRuleOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /**
   * Runs now and after every alert the hub carries, while `active()` (on several nodes: while this node
   * holds the rule's lease; call catchUp() when it gains it); returns the function that stops it.
   */
  follow(hub: EventHub, onError: (e: unknown) => void, active: () => boolean = () => true): () => void {
    const run = () => void (active() ? this.catchUp().catch(onError) : undefined);
    run();
    return hub.subscribe((event) => { if (event.type === 'alert') run(); });
  }

  /** Forgets where it was, so that the next run starts from the store (after another node held the rule). */
  resync(): void {
    this.cursor = null;
    this.incidents = null;
    this.recordsRead = 0;
  }

  /** Runs the rule over alerts stored since it last ran (calls are queued, never overlap). */
  catchUp(): Promise<void> {
    if (this.pending) return this.chain.then(() => undefined);
    this.pending = true;
    const run = this.chain.then(async () => {
      this.pending = false;
      await this.run();
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Resolves when queued rule runs have finished. */
  async idle(): Promise<void> {
    await this.chain;
  }

  private async run(): Promise<void> {
    const incidents = this.incidents ?? new Map<number, Incident>();
    try {
      const records = await this.store.incidentRecords(undefined, this.recordsRead);
      foldMoreIncidents(incidents, records);
      if (records.length > 0) this.recordsRead = records[records.length - 1].id;
      this.incidents = incidents;
      this.cursor ??= Math.max(0, ...[...incidents.values()].flatMap((i) => i.alertIds));
      for (;;) {
        const alerts = await this.store.alerts({ sinceId: this.cursor, limit: 1000 });
        if (alerts.length === 0) return;
        for (const alert of alerts) {
          if (this.options.kinds.includes(alert.kind)) await this.take(alert, incidents);
          this.cursor = alert.id;
        }
      }
    } catch (e) {
      // What was folded may be behind what was stored: the next run reads every record again.
      this.resync();
      throw e;
    }
  }

  /** Extends the most recent incident open at the alert's time that shares a unit with it, or opens one. */
  private async take(alert: StoredAlert, incidents: Map<number, Incident>): Promise<void> {
    const units = alertUnits(alert);
    const fromMs = alert.time - this.options.beforeMs;
    const toMs = alert.time + this.options.afterMs;
    const open = [...incidents.values()]
      .filter((i) => alert.time >= i.fromMs && alert.time <= i.toMs && i.units.some((u) => units.includes(u)))
      .sort((a, b) => b.id - a.id)[0];
    if (open) {
      const record: ExtendedRecord = {
        from_ms: Math.min(open.fromMs, fromMs), to_ms: Math.max(open.toMs, toMs),
        add_units: units.filter((u) => !open.units.includes(u)), alert_id: alert.id, alert_kind: alert.kind,
      };
      this.folded(incidents, await this.store.appendIncidentRecord({ incidentId: open.id, action: 'extended', record: { ...record } }));
      return;
    }
    const d = alert.determination;
    const record: OpenedRecord = {
      from_ms: fromMs, to_ms: toMs, units, place: { lat: d.lat, lon: d.lon }, opened_by: 'rule', alert_id: alert.id, alert_kind: alert.kind,
    };
    this.folded(incidents, await this.store.appendIncidentRecord({ incidentId: null, action: 'opened', record: { ...record } }));
  }

  /**
   * Folds a record the rule stored. When it directly follows the last one read, no other can have come
   * between, so the next run need not read it back; otherwise it does (and skips it: it is folded already).
   */
  private folded(incidents: Map<number, Incident>, stored: StoredIncidentRecord): void {
    foldMoreIncidents(incidents, [stored]);
    if (stored.id === this.recordsRead + 1) this.recordsRead = stored.id;
  }
}
