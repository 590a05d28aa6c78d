// Every accepted fix takes one path: classify → rules → durable append with the alerts → events out.
// A unit's in-order fixes are run through its live rules before the commit, and their alerts are stored
// in the same commit; other fixes (late ones, units whose history must first be read back) reach the
// rules after their commit, in arrival order, and their alerts are stored after. The caller is
// answered once the append is committed.
import { isLinderoError, isStoreFailure, type LinderoError } from '../model/index.js';
import { classify, type ClassifyOptions, type Layers } from '../geo/index.js';
import type { Fix } from '../ingest/index.js';
import { alertFor, type PositionlessEmergency } from '../model/index.js';
import { EMERGENCY_REPEAT_MS } from '../rules/index.js';
import { storedFixOf, type AppendResult, type FixToAppend, type Store, type StoreEvent, type StoredAlert, type StoredFix, type UnitSummary } from '../store/index.js';
import type { Alert } from '../model/index.js';
import type { AlertRules } from './late-fixes.js';
import type { EventHub } from './events.js';
import { MarkerBoard } from './markers.js';
import { canLeaseUnits, LeasedRules } from './leased-rules.js';

export interface PipelineLog {
  error(fields: object, message: string): void;
  info?(fields: object, message: string): void;
}

export interface PipelineDeps {
  store: Store;
  layers: Layers;
  hub: EventHub;
  /** The alert rules, or null to raise no alerts. */
  rules: AlertRules | null;
  classifyOptions?: ClassifyOptions;
  log: PipelineLog;
  now?: () => number;
  /**
   * Other processes (other nodes) write to the store too: a unit this process has not seen may have a
   * history it has not seen either, so its first fixes are evaluated from what the store holds. When the
   * store leases units to nodes, each unit's rules run on the node holding it (see leased-rules.ts).
   */
  sharedStore?: boolean;
}

export interface RejectedItem {
  /** Index of the fix in the array given to ingest(). */
  index: number;
  reason: string;
}

export interface IngestOutcome {
  /** One per given fix: its append result, or null when it was rejected before storing. */
  results: (AppendResult | null)[];
  rejected: RejectedItem[];
}

const MAX_RULES_BACKLOG = 200;
/** Reads of a unit's history by its rules, at most, while the store fails (a moment longer between each). */
const RULES_TRIES = 4;
const RULES_RETRY_MS = 100;
/** Units whose names are remembered at most (the oldest named goes first). */
const MAX_NAMED_UNITS = 100_000;

/** The items of each unit, units in order of first appearance, items in their order. */
function byUnit<T>(items: readonly T[], unitOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const unit = unitOf(item);
    const list = out.get(unit);
    if (list) list.push(item);
    else out.set(unit, [item]);
  }
  return out;
}

export class Pipeline {
  private readonly units = new Map<string, UnitSummary>();
  /** Rules run one batch at a time, in the order batches were committed. */
  private rulesChain: Promise<void> = Promise.resolve();
  /** Units with stored fixes the rules have not run over yet, and how many batches of them. */
  private readonly waitingForRules = new Map<string, number>();
  /** Batches waiting for the rules; past MAX_RULES_BACKLOG, acknowledgements wait too (backpressure). */
  private rulesBacklog = 0;
  private readonly alertWrites = new Set<Promise<unknown>>();
  private readonly now: () => number;
  /** Each unit's latest name (callsign), for alerts and for fixes sent without one. */
  private readonly names = new Map<string, string>();
  /** Unit and field of the range-rule notes already logged. */
  private readonly notedFields = new Set<string>();
  /** Device time of each unit's last emergency alert, while not cancelled: one declared without a position within EMERGENCY_REPEAT_MS of it raises nothing. */
  private readonly emergencyDeclaredAt = new Map<string, number>();
  /** Map markers heard from TAK clients: shown, never tracked as units. */
  readonly markers: MarkerBoard;
  /** On several nodes: the rules of the units this node holds, run from the store. */
  readonly leased: LeasedRules | null;

  constructor(private readonly deps: PipelineDeps) {
    this.now = deps.now ?? Date.now;
    this.leased = deps.sharedStore && deps.rules && canLeaseUnits(deps.store)
      ? new LeasedRules({
        store: deps.store, rules: deps.rules, log: deps.log, now: this.now,
        nameAlert: (alert) => this.nameAlert(alert),
        publish: (alerts) => { for (const alert of alerts) deps.hub.publish({ type: 'alert', alert }); },
      })
      : null;
    this.markers = new MarkerBoard(this.now, (marker) => deps.hub.publish({ type: 'marker', marker }));
  }

  /**
   * Loads the units already stored, so unit events carry their counts, and their names as stored with
   * their latest fixes, so alerts and fixes sent without a name still read by callsign after a restart.
   */
  async start(): Promise<void> {
    const stored = await this.deps.store.units();
    for (const u of stored) {
      this.units.set(u.unit, u);
      if (u.lastFix.name !== undefined) this.rememberName(u.unit, u.lastFix.name);
    }
    if (!this.deps.sharedStore) this.deps.rules?.knowStoredUnits(stored.map((u) => u.unit));
    await this.leased?.start();
  }

  /** Lets the units' leases go once their rules have run over what was stored (other nodes take them at once). */
  async stop(): Promise<void> {
    await this.settle();
    await this.leased?.stop();
  }

  /**
   * Classifies and durably stores the fixes; resolves once they are committed. A fix that cannot be
   * classified is rejected alone. Rejects (storing nothing) when the store fails.
   */
  async ingest(fixes: Fix[]): Promise<IngestOutcome> {
    this.learnNames(fixes);
    const items: FixToAppend[] = [];
    const positions: number[] = [];
    const rejected: RejectedItem[] = [];
    fixes.forEach((fix, index) => {
      try {
        items.push({ fix, determination: classify(fix, this.deps.layers, this.deps.classifyOptions) });
        positions.push(index);
      } catch (e) {
        if (!isLinderoError(e)) throw e;
        rejected.push({ index, reason: e.describe() });
      }
    });
    let evaluated: Set<string>;
    let appended: AppendResult[];
    let storedAlerts: StoredAlert[];
    for (;;) {
      let alerts: Alert[];
      ({ evaluated, alerts } = this.evaluateBeforeStoring(items));
      for (const alert of alerts) this.nameAlert(alert);
      try {
        ({ fixes: appended, alerts: storedAlerts } = await this.deps.store.appendFixesAndAlerts(items, alerts));
        break;
      } catch (e) {
        // The live rules saw fixes that were not stored: those units start again from the store.
        for (const unit of evaluated) this.deps.rules?.forget(unit);
        // A fix the store refuses is refused alone; the others are stored without it.
        const bad = refusedItem(e, items.length);
        if (bad === null) throw e;
        rejected.push({ index: positions[bad], reason: (e as LinderoError).describe() });
        items.splice(bad, 1);
        positions.splice(bad, 1);
      }
    }
    const receivedMs = this.now();
    const results: (AppendResult | null)[] = fixes.map(() => null);
    const stored: StoredFix[] = [];
    appended.forEach((r, k) => {
      results[positions[k]] = r;
      if (r.status === 'stored') stored.push(storedFixOf(items[k].fix, r, receivedMs, items[k].determination));
    });
    if (stored.length > 0) this.afterCommit(stored, evaluated);
    for (const alert of storedAlerts) this.deps.hub.publish({ type: 'alert', alert });
    // Clients are slowed down rather than letting alerts fall ever further behind their fixes.
    if (this.rulesBacklog > MAX_RULES_BACKLOG) await this.rulesChain;
    return { results, rejected };
  }

  /**
   * Runs the live rules now, before the commit, for the units whose fixes allow it (see
   * AlertRules.evaluateBeforeStoring), so their alerts are committed with the fixes and published at
   * once. A unit with fixes still waiting for the rules after an earlier commit waits its turn.
   */
  private evaluateBeforeStoring(items: FixToAppend[]): { evaluated: Set<string>; alerts: Alert[] } {
    const evaluated = new Set<string>();
    const alerts: Alert[] = [];
    const rules = this.deps.rules;
    // Units held by lease are evaluated from the store, by the node that holds them.
    if (!rules || this.leased) return { evaluated, alerts };
    for (const [unit, inputs] of byUnit(items, (item) => item.fix.unit)) {
      if (this.waitingForRules.has(unit)) continue;
      try {
        const raised = rules.evaluateBeforeStoring(unit, inputs);
        if (raised === null) continue;
        evaluated.add(unit);
        alerts.push(...raised);
      } catch (e) {
        // Its fixes take the way after the commit, from what the store holds.
        rules.forget(unit);
        this.deps.log.error({ err: e, unit }, 'alert rules failed for this unit; they run again once its fixes are stored');
      }
    }
    return { evaluated, alerts };
  }

  /** Publishes what was stored; fixes of units the rules have not seen go to them, one batch at a time. */
  private afterCommit(stored: StoredFix[], evaluated: Set<string>): void {
    for (const fix of stored) {
      this.deps.hub.publish({ type: 'fix', fix });
      this.countUnit(fix);
    }
    const touched = byUnit(stored, (fix) => fix.unit);
    for (const unit of touched.keys()) this.deps.hub.publish({ type: 'unit', unit: this.units.get(unit)! });
    if (this.leased) return this.leased.kick();
    const rules = this.deps.rules;
    if (!rules) return;
    for (const unit of evaluated) touched.delete(unit);
    if (touched.size === 0) return;
    const waiting = [...touched.keys()];
    for (const unit of waiting) this.waitingForRules.set(unit, (this.waitingForRules.get(unit) ?? 0) + 1);
    this.rulesBacklog += 1;
    this.rulesChain = this.rulesChain.then(() => this.runRules(rules, touched)).finally(() => {
      this.rulesBacklog -= 1;
      for (const unit of waiting) {
        const n = this.waitingForRules.get(unit)! - 1;
        if (n === 0) this.waitingForRules.delete(unit);
        else this.waitingForRules.set(unit, n);
      }
    });
  }

  private countUnit(fix: StoredFix): void {
    const u = this.units.get(fix.unit);
    if (!u) {
      this.units.set(fix.unit, { unit: fix.unit, fixCount: 1, firstTime: fix.time, lastFix: fix });
      return;
    }
    u.fixCount += 1;
    u.firstTime = Math.min(u.firstTime, fix.time);
    if (fix.time >= u.lastFix.time) u.lastFix = fix;
  }

  private async runRules(rules: AlertRules, touched: Map<string, StoredFix[]>): Promise<void> {
    for (const [unit, fixes] of touched) {
      for (let attempt = 1; ; attempt++) {
        try {
          this.raise(await rules.evaluate(unit, fixes));
          break;
        } catch (e) {
          // The store failing while the unit's history was read (not its rules): read again a moment later,
          // from the store, rather than pass these fixes over. A closed store is the server stopping.
          if (isStoreFailure(e) && e.code !== 'store-closed' && attempt < RULES_TRIES) {
            rules.forget(unit);
            await new Promise((resolve) => setTimeout(resolve, RULES_RETRY_MS * attempt));
            continue;
          }
          this.deps.log.error({ err: e, unit }, 'alert rules failed for this unit; its fixes are stored');
          break;
        }
      }
    }
  }

  /**
   * Publishes the fixes and alerts another node stored in a shared store, as this node publishes its own,
   * so every node's streams show every node's traffic. The rules of the units this node holds run over
   * them (from the store).
   */
  publishStoredElsewhere(events: StoreEvent[]): void {
    const touched = new Set<string>();
    for (const event of events) {
      if (event.kind === 'alert') {
        this.noteEmergency(event.alert, true);
        this.deps.hub.publish({ type: 'alert', alert: event.alert });
        continue;
      }
      this.deps.hub.publish({ type: 'fix', fix: event.fix });
      this.countUnit(event.fix);
      touched.add(event.fix.unit);
    }
    for (const unit of touched) this.deps.hub.publish({ type: 'unit', unit: this.units.get(unit)! });
    if (touched.size > 0) this.leased?.kick();
  }

  /** Runs the clock-driven rules (stale units). */
  tick(): void {
    if (this.leased) return this.leased.tick(this.now());
    const rules = this.deps.rules;
    if (!rules) return;
    this.rulesChain = this.rulesChain.then(() => this.raise(rules.tick(this.now())));
  }

  /**
   * Remembers each unit's latest name (callsign) and logs what the range rules changed or left off
   * (once per unit and field, so a device that always sends the same odd value is not a log flood).
   */
  private learnNames(fixes: readonly Fix[]): void {
    for (const fix of fixes) {
      if (fix.name !== undefined) {
        this.rememberName(fix.unit, fix.name);
      } else {
        const known = this.names.get(fix.unit);
        if (known !== undefined) fix.name = known;
      }
      if (fix.notes) this.logNotes(fix);
    }
  }

  private rememberName(unit: string, name: string): void {
    if (this.names.get(unit) === name) return;
    if (this.names.size >= MAX_NAMED_UNITS) this.names.delete(this.names.keys().next().value!);
    this.names.set(unit, name);
  }

  private logNotes(fix: Fix): void {
    for (const note of fix.notes!) {
      const key = `${fix.unit}\u0000${note.slice(0, note.indexOf(' '))}`;
      if (this.notedFields.has(key)) continue;
      if (this.notedFields.size >= MAX_NAMED_UNITS) this.notedFields.clear();
      this.notedFields.add(key);
      this.deps.log.info?.({ unit: fix.unit, source: fix.source, note }, 'a fix was kept with a field changed or left off');
    }
  }

  /**
   * A unit's emergency alert, raised here or on another node: one declared again without a position soon after
   * is the same emergency (see emergencyWithoutPosition). One raised elsewhere from a report without a
   * position is told to the unit's live rules here too (this node may hold the unit).
   */
  private noteEmergency(alert: Alert, elsewhere: boolean): void {
    if (alert.kind !== 'emergency' && alert.kind !== 'emergency-cancelled') return;
    if (alert.kind === 'emergency') this.emergencyDeclaredAt.set(alert.unit, Math.max(this.emergencyDeclaredAt.get(alert.unit) ?? alert.time, alert.time));
    else this.emergencyDeclaredAt.delete(alert.unit);
    if (elsewhere && alert.lastKnownTime !== undefined) this.deps.rules?.emergencyWithoutPosition(alert.unit, alert.kind === 'emergency' ? 'declared' : 'cancelled', alert.time);
  }

  /** Gives the alert the names its units go by, for everything a person reads (and notes an emergency). */
  private nameAlert(alert: Alert): void {
    this.noteEmergency(alert, false);
    const name = this.names.get(alert.unit);
    if (name !== undefined && alert.name === undefined) alert.name = name;
    const other = alert.otherUnit === undefined ? undefined : this.names.get(alert.otherUnit);
    if (other !== undefined && alert.otherName === undefined) alert.otherName = other;
  }

  /**
   * An emergency declared or cancelled by a report that carried no position (not a fix). Its alert gives
   * the unit's last fix (by device time, not after the report) as its last known position, and says so.
   * A declared emergency within EMERGENCY_REPEAT_MS of the unit's last one raises nothing, as the rules treat
   * repeats; the unit's live rules (when they run here) are told, so that its repeats with a position are the
   * same emergency and, after a cancel, the next one declared is new. Resolves
   * with the stored alert, or null when nothing is raised (a repeat; a unit whose position is not known at
   * all, which is logged as an error); rejects when the store fails, and then remembers nothing of it.
   */
  async emergencyWithoutPosition(report: PositionlessEmergency): Promise<StoredAlert | null> {
    const { unit, emergency } = report;
    if (report.name !== undefined) this.rememberName(unit, report.name);
    const previous = this.emergencyDeclaredAt.get(unit);
    if (emergency.state === 'declared' && previous !== undefined && report.time >= previous && report.time - previous < EMERGENCY_REPEAT_MS) {
      this.emergencyDeclaredAt.set(unit, report.time);
      return null;
    }
    const known = this.units.get(unit)?.lastFix;
    const last = known !== undefined && known.time <= report.time ? known : await this.deps.store.latestFixBefore(unit, report.time + 1);
    if (!last) {
      this.deps.log.error({ unit, source: report.source, emergency, reason: report.reason },
        'an emergency came from a unit whose position is not known (its report had none, and no fix of it is stored): no alert can place it');
      return null;
    }
    const kind = emergency.state === 'declared' ? 'emergency' : 'emergency-cancelled';
    const alert = alertFor(kind, unit, report.time, last.determination, { emergency: emergency.what, lastKnownTime: last.time });
    this.nameAlert(alert);
    let stored: StoredAlert;
    try {
      stored = await this.deps.store.appendAlert(alert);
    } catch (e) {
      // Not raised: the report sent again (Garmin resends a post answered 503) must not be taken for a repeat.
      if (previous === undefined) this.emergencyDeclaredAt.delete(unit);
      else this.emergencyDeclaredAt.set(unit, previous);
      throw e;
    }
    // The unit's live rules, when this node holds them (on several nodes the holder hears it from the store).
    this.deps.rules?.emergencyWithoutPosition(unit, emergency.state, report.time);
    this.deps.hub.publish({ type: 'alert', alert: stored });
    return stored;
  }

  /** Stores each alert, then publishes it. */
  raise(alerts: Alert[]): void {
    for (const alert of alerts) {
      this.nameAlert(alert);
      const write = this.deps.store.appendAlert(alert).then(
        (stored) => this.deps.hub.publish({ type: 'alert', alert: stored }),
        (e: unknown) => this.deps.log.error({ err: e, alert: { kind: alert.kind, unit: alert.unit, time: alert.time } }, 'an alert could not be stored'),
      );
      this.alertWrites.add(write);
      void write.finally(() => this.alertWrites.delete(write));
    }
  }

  /** Waits until the rules have run over everything stored so far and their alerts are stored. */
  async settle(): Promise<void> {
    let chain: Promise<void>;
    do {
      chain = this.rulesChain;
      await chain;
      await this.leased?.idle();
      await Promise.all([...this.alertWrites]);
    } while (chain !== this.rulesChain || this.alertWrites.size > 0);
  }
}

/** The item of an append call the store refused as a bad fix (its place names it), or null. */
function refusedItem(e: unknown, count: number): number | null {
  if (!isLinderoError(e) || e.code !== 'store-bad-fix') return null;
  const index = e.place.index;
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < count ? index : null;
}
