// Units' live rules on several nodes sharing one PostgreSQL store. Each unit's rules run on the one
// node holding its bucket's lease (store/pg-unit-leases.ts), whichever node its fixes arrived at: the
// owner reads the store's records in their global order (seq) from its buckets' watermark on, runs each
// of its units' fixes through the rules (late fixes as AlertRules treats them), and stores the alerts
// with the watermarks moved past those fixes, in one commit. It is woken by its own commits, by other
// nodes' (NOTIFY), and every second in case a notification was lost. A node that takes a bucket over
// starts from the stored watermark, with each unit's rules restored from its stored history: nothing
// evaluated before is lost, and what it evaluates again raises alerts the store already holds, which it
// stores once (so does a brief overlap of two owners).
//
// Proximity is between units, and a unit's neighbour may be another node's: every node runs the proximity
// rules over every unit's fixes in the store's order (the same order on every node, so each comes to the
// same encounters), and keeps the alerts of the fixes of its own units. An alert of another node's unit is
// held back a while: if that node dies before storing it, the node taking the unit over stores it.
import { unitBucket, type Store, type StoredAlert, type StoredFix, type UnitLeaseChange, type UnitLeases } from '../store/index.js';
import { isStoreFailure, type Alert } from '../model/index.js';
import type { ProximityRulesLike } from '../rules/index.js';
import type { AlertRules } from './late-fixes.js';

/** How recent a unit's last fix must be for its rules to be brought back when its bucket is taken (stale alerts), ms. */
const RESUME_WITHIN_MS = 24 * 3_600_000;
/** Units brought back per step, passes running between steps. */
const RESUME_STEP = 50;
/** Records read at a time. */
const PAGE = 1000;
/** How often the rules look at the store without being woken, and the longest a watermark waits to be stored, ms. */
const SWEEP_MS = 1000;
/** Proximity alerts of other nodes' units held back, the latest (a takeover needs only the last seconds' few). */
const HELD_BACK = 1000;

export interface LeasedRulesDeps {
  store: Store;
  rules: AlertRules;
  /** Gives an alert its units' names before it is stored. */
  nameAlert(alert: Alert): void;
  /** Publishes alerts newly stored. */
  publish(alerts: StoredAlert[]): void;
  log: { error(fields: object, message: string): void; info?(fields: object, message: string): void };
  now: () => number;
}

type RuleStore = Required<Pick<Store, 'unitLeases' | 'ruleWatermarks' | 'appendRuleAlerts' | 'fixesAfter'>> & Store;

/** Whether this store can share units' rules among nodes. */
export function canLeaseUnits(store: Store): store is RuleStore {
  return store.unitLeases !== undefined && store.ruleWatermarks !== undefined && store.appendRuleAlerts !== undefined && store.fixesAfter !== undefined;
}

export class LeasedRules {
  private leases: UnitLeases | null = null;
  /** The buckets held, as the leases last told (also before start() has the leases in hand). */
  private readonly held = new Set<number>();
  /** Each bucket held: the seq up to which its units' fixes have been evaluated here. */
  private readonly done = new Map<number, number>();
  /** Each bucket held: its watermark as stored (where a node taking it over would start). */
  private readonly stored = new Map<number, number>();
  private lastPersistMs = 0;
  /** Passes, lease changes and ticks, one after another. */
  private chain: Promise<void> = Promise.resolve();
  private passQueued = false;
  /** Stopping: the watermarks are stored at once, so the node taking over does no work twice. */
  private stopping = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly store: RuleStore;
  /** The rules between units, run here over every unit's fixes (see the top of the file). */
  private readonly proximity: ProximityRulesLike | null;
  /** The seq up to which every stored fix has been through the proximity rules here. */
  private proximitySeq = 0;
  /** Proximity alerts of fixes of units this node does not hold (their holder stores them), by bucket and seq. */
  private heldBack: { bucket: number; seq: number; alert: Alert }[] = [];
  /** Held-back alerts of buckets taken over, past their watermark: stored with the next pass's. */
  private carried: Alert[] = [];

  constructor(private readonly deps: LeasedRulesDeps) {
    if (!canLeaseUnits(deps.store)) throw new Error('this store cannot lease units to nodes');
    this.store = deps.store;
    this.proximity = deps.rules.proximityApart();
  }

  /** Takes part in the leases (after the first round, a node alone holds every bucket) and begins. */
  async start(): Promise<void> {
    this.leases = await this.store.unitLeases((change) => this.changed(change), (err) => this.deps.log.error({ err }, 'renewing the units\' rule leases failed; trying again'));
    this.timer = setInterval(() => this.kick(), SWEEP_MS);
    this.timer.unref();
    this.kick();
  }

  /** The buckets this node runs now. */
  get owned(): ReadonlySet<number> {
    return this.held;
  }

  private changed({ gained, lost }: UnitLeaseChange): void {
    // A bucket lost is left at once: no pass after this evaluates its fixes.
    for (const b of gained) this.held.add(b);
    for (const b of lost) {
      this.held.delete(b);
      this.done.delete(b);
      this.stored.delete(b);
    }
    const touched = new Set([...gained, ...lost]);
    this.enqueue(async () => {
      // Rules held for these units may be behind what another node evaluated: they are restored from the store.
      this.deps.rules.forgetWhere((unit) => touched.has(unitBucket(unit)));
      if (gained.length === 0) return;
      await this.loadWatermarks();
      // Proximity alerts this node ran into for those units while another node held them, after the point
      // that node's work is stored to: that node may have died before storing them.
      this.heldBack = this.heldBack.filter((held) => {
        const from = touched.has(held.bucket) ? this.done.get(held.bucket) : undefined;
        if (from === undefined) return true;
        if (held.seq > from) this.carried.push(held.alert);
        return false;
      });
      const units = await this.store.units();
      const since = this.deps.now() - RESUME_WITHIN_MS;
      this.resume(units.filter((u) => u.lastFix.time >= since && touched.has(unitBucket(u.unit)) && this.held.has(unitBucket(u.unit))).map((u) => u.unit));
    });
    this.deps.log.info?.({ gained: gained.length, lost: lost.length, held: this.held.size }, 'units\' rule buckets changed hands');
    this.kick();
  }

  /**
   * Brings back the rules of units taken over that send nothing new, so their stale alerts are raised here
   * (a stale alert the last holder already stored is not stored again). A few at a time, passes between.
   */
  private resume(units: string[]): void {
    for (let i = 0; i < units.length; i += RESUME_STEP) {
      const step = units.slice(i, i + RESUME_STEP);
      this.kick();
      this.enqueue(async () => {
        for (const unit of step) {
          const throughSeq = this.done.get(unitBucket(unit));
          if (throughSeq !== undefined) await this.deps.rules.resume(unit, throughSeq);
        }
      });
    }
  }

  /** Starts each bucket held without a watermark here (newly gained, or its first reading failed) from the stored one. */
  private async loadWatermarks(): Promise<void> {
    const missing = [...this.held].filter((b) => !this.done.has(b));
    if (missing.length === 0) return;
    const marks = await this.store.ruleWatermarks(missing);
    for (const b of missing) {
      if (!this.held.has(b) || this.done.has(b)) continue;
      this.done.set(b, marks.get(b) ?? 0);
      this.stored.set(b, marks.get(b) ?? 0);
    }
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch((err: unknown) => this.recover(err));
  }

  /** A pass that failed leaves nothing half done: the rules go back to the stored watermarks. */
  private recover(err: unknown): void {
    this.deps.log.error({ err }, 'units\' live rules failed; they go on from what the store holds');
    for (const b of this.done.keys()) this.done.set(b, this.stored.get(b) ?? 0);
    this.deps.rules.forgetWhere(() => true);
    // Proximity too starts again from there (what it raises again that was stored is stored once).
    this.proximity?.reset();
    this.proximitySeq = this.done.size > 0 ? Math.min(...this.done.values()) : 0;
    this.carried = [];
  }

  /** Runs the rules over what was stored since they last looked (a pass is queued at most once). */
  kick(): void {
    if (this.passQueued) return;
    this.passQueued = true;
    this.enqueue(() => {
      this.passQueued = false;
      return this.pass();
    });
  }

  private async pass(): Promise<void> {
    await this.loadWatermarks();
    for (;;) {
      if (this.done.size === 0) return;
      const fromSeq = Math.min(...this.done.values());
      const { fixes: page, throughSeq } = await this.store.fixesAfter(fromSeq, PAGE);
      if (throughSeq <= fromSeq) return this.persist(this.carried.splice(0));
      const fresh = new Map<string, StoredFix[]>();
      const alerts: Alert[] = this.carried.splice(0);
      for (const fix of page) {
        const bucket = unitBucket(fix.unit);
        const evaluatedSeq = this.done.get(bucket);
        if (this.proximity && fix.seq > this.proximitySeq) this.nearOthers(fix, bucket, evaluatedSeq, alerts);
        if (evaluatedSeq === undefined || fix.seq <= evaluatedSeq) continue;
        const list = fresh.get(fix.unit);
        if (list) list.push(fix);
        else fresh.set(fix.unit, [fix]);
      }
      this.proximitySeq = Math.max(this.proximitySeq, throughSeq);
      for (const [unit, fixes] of fresh) alerts.push(...await this.evaluate(unit, fixes));
      for (const [b, seq] of this.done) this.done.set(b, Math.max(seq, throughSeq));
      await this.persist(alerts);
      if (page.length < PAGE) return;
    }
  }

  /**
   * One stored fix through the proximity rules: its alerts are this node's to store when it holds the
   * fix's unit and has not evaluated the fix yet; a fix of another node's unit is held back (see changed()).
   */
  private nearOthers(fix: StoredFix, bucket: number, evaluatedSeq: number | undefined, alerts: Alert[]): void {
    const raised = this.proximity!.observe(fix, fix.determination);
    if (raised.length === 0) return;
    if (evaluatedSeq !== undefined) {
      if (fix.seq > evaluatedSeq) alerts.push(...raised);
      return;
    }
    for (const alert of raised) this.heldBack.push({ bucket, seq: fix.seq, alert });
    if (this.heldBack.length > HELD_BACK) this.heldBack.splice(0, this.heldBack.length - HELD_BACK);
  }

  private async evaluate(unit: string, fixes: StoredFix[]): Promise<Alert[]> {
    try {
      return await this.deps.rules.evaluate(unit, fixes);
    } catch (err) {
      // The store failing (a connection cut while the unit's history was read) fails the pass: it starts
      // again from the stored watermark, so these fixes are evaluated again, not passed over.
      if (isStoreFailure(err)) throw err;
      // One unit's rules failing stops no other unit; its next fixes start again from the store.
      this.deps.rules.forget(unit);
      this.deps.log.error({ err, unit }, 'alert rules failed for this unit; its fixes are stored');
      return [];
    }
  }

  /**
   * Stores the alerts, and in the same commit the watermarks, when there are alerts or a second has gone by
   * (a watermark stored late costs only work done again, never an alert twice or one missed).
   */
  private async persist(alerts: Alert[]): Promise<void> {
    if (this.done.size === 0 && alerts.length === 0) return;
    const seq = Math.min(...this.done.values());
    const buckets = [...this.done.keys()].filter((b) => this.stored.get(b)! < seq);
    const nowMs = this.deps.now();
    if (alerts.length === 0 && (buckets.length === 0 || (nowMs - this.lastPersistMs < SWEEP_MS && !this.stopping))) return;
    for (const alert of alerts) this.deps.nameAlert(alert);
    const stored = await this.store.appendRuleAlerts(alerts, { buckets, seq });
    for (const b of buckets) if (this.stored.has(b)) this.stored.set(b, seq);
    this.lastPersistMs = nowMs;
    this.deps.publish(stored);
  }

  /** Stale alerts due now, for the units held. */
  tick(nowMs: number): void {
    this.enqueue(async () => {
      const due = this.deps.rules.tick(nowMs);
      if (due.length === 0) return;
      for (const alert of due) this.deps.nameAlert(alert);
      this.deps.publish(await this.store.appendRuleAlerts(due, null));
    });
  }

  /** Resolves once the rules have run over what was stored until now and their alerts are stored. */
  async idle(): Promise<void> {
    let chain: Promise<void>;
    do {
      chain = this.chain;
      await chain;
    } while (chain !== this.chain);
  }

  /** Finishes what is under way, then lets the buckets go (other nodes take them at once). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.stopping = true;
    this.kick();
    await this.idle();
    await this.leases?.stop();
  }
}
