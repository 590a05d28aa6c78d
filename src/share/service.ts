// Sharing with partner organisations, as one service of the server: the policy feed into each
// partner's outbox, the link listener and diallers, the partner units received, proximity across the
// link, and canned messages. It sees the server only through the store, the layers, the event hub
// and a way to raise alerts.
//
// On several nodes sharing a PostgreSQL store, the sharing tables are the database's and the links run
// on one node at a time, the one holding the lease "partner-links": it dials, accepts the partners'
// links (the other nodes refuse them, so a partner given every node's address reaches the holder), feeds
// the outboxes and runs proximity across the link. Another node takes the lease within seconds of the
// holder's end and goes on from what is stored. What the holder hears is published on every node
// (NOTIFY), and a message queued on any node is sent by the holder.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { WebSocket } from 'ws';
import { ASSUMED_ACCURACY_M, classify, type ClassifyOptions, type Determination, type Layers } from '../geo/index.js';
import { LinderoError } from '../model/index.js';
import { PgStore, type Lease, type Store, type StoredFix } from '../store/index.js';
import type { Fix } from '../ingest/index.js';
import type { Alert } from '../model/index.js';
import { policyJson, type ShareConfig } from './config.js';
import { Feeder } from './feeder.js';
import { Dialer } from './link-client.js';
import { acceptHandshake, Inbox } from './link-handshake.js';
import { listenForPartners, type LinkListener } from './link-server.js';
import { CLOSE } from './handshake.js';
import { Links, statusAfter, type LinkStatus } from './links.js';
import { renderMessage, templatesJson } from './messages.js';
import { PartnerProximity, type PartnerUnit } from './proximity.js';
import type { AlertRecord, PositionRecord } from './records.js';
import { SqliteShareTables, type LinkRow, type MessageRow, type PartnerUnitRow, type Received, type ShareTables } from './share-db.js';
import { PgShareTables } from './share-pg.js';
import { messageJson, partnerAlertJson, partnerUnitJson, type ShareStreamEvent } from './wire.js';

/** The part of the server's EventHub sharing uses. */
export interface ShareHub {
  subscribe(subscriber: (event: { type: string; fix?: StoredFix }) => void): () => void;
  publish(event: { type: 'partner'; event: ShareStreamEvent }): void;
}

/** Who did something that goes into the evidence: an operator, an API key, or the machine's owner. */
export interface Author {
  name: string;
  kind: string;
}

export interface ShareLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface ShareDeps {
  config: ShareConfig;
  store: Store;
  layers: Layers;
  hub: ShareHub;
  /** Stores and publishes alerts (the pipeline's raise). */
  raise(alerts: Alert[]): void;
  classifyOptions?: ClassifyOptions;
  now?: () => number;
}

/** The system account the server runs as: who set what the files it was started with say. */
function systemAccount(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? 'unknown'}`;
  }
}

/** The sharing file beside a store file: lindero.db → lindero.share.db. */
export function shareFileFor(storeFile: string): string {
  return storeFile.endsWith('.db') ? `${storeFile.slice(0, -3)}.share.db` : `${storeFile}.share.db`;
}


/** Unauthenticated link connections at once, at most (each is cut off after the handshake timeout). */
const MAX_HANDSHAKES = 32;
/** The channel the nodes on one PostgreSQL store tell each other what the links heard, and ask the holder to send. */
const SHARE_CHANNEL = 'lindero_share';
/** NOTIFY's payload limit is 8,000 bytes; an event larger than this is left to the store (GET reads it there). */
const MAX_NOTIFY_BYTES = 7900;

/**
 * What one node tells the others: an event for their streams, that a partner's outbox gained a message, or
 * (a node just started) that it asks for the links' states.
 */
interface NodeNote {
  from: string;
  event?: ShareStreamEvent;
  pump?: string;
  ask?: boolean;
}

export class ShareService {
  private readonly db: ShareTables;
  private readonly now: () => number;
  private readonly links: Links;
  private readonly feeder: Feeder;
  private proximity: PartnerProximity;
  private dialers: Dialer[] = [];
  /** Whether the links run here: always with a SQLite store, while holding the lease with PostgreSQL. */
  private leading = false;
  private lease: Lease | null = null;
  /** Whether the lease is held, as last told (lead() catches up with it, one change after another). */
  private holding = false;
  private leadChain: Promise<void> = Promise.resolve();
  /** With PostgreSQL: the store, to tell the other nodes (null with SQLite). */
  private readonly shared: PgStore | null;
  /** The links' states as the holder last told, on a node that does not hold them. */
  private readonly heardStatus = new Map<string, LinkStatus>();
  /** Received records handled one batch after another. */
  private receiving: Promise<void> = Promise.resolve();
  private listener: LinkListener | null = null;
  private unsubscribe: (() => void) | null = null;
  private handshakes = 0;
  private log: ShareLog = { info: () => {}, warn: () => {} };

  private constructor(private readonly deps: ShareDeps, db: ShareTables) {
    this.now = deps.now ?? Date.now;
    this.db = db;
    this.shared = deps.store instanceof PgStore ? deps.store : null;
    const host = {
      db: this.db, now: this.now,
      onReceived: (partner: string, stored: Received[]) => this.received(partner, stored),
      onDelivered: (partner: string, messages: MessageRow[]) => this.delivered(partner, messages),
      onClosed: () => {},
    };
    this.links = new Links(deps.config.org, host, (partner) => this.linkChanged(partner));
    this.feeder = new Feeder({
      config: deps.config, store: deps.store, db: this.db, now: this.now,
      onReleased: (partners) => this.links.pumpAll(partners),
      onError: (e) => this.log.warn(`sharing feed failed: ${(e as Error).message}`),
      active: () => this.leading,
    });
    this.proximity = this.newProximity([]);
  }

  private newProximity(encounters: { partner: string; home_unit: string; partner_unit: string }[]): PartnerProximity {
    const keys = new Set(encounters.map((e) => PartnerProximity.encounterKey(e.partner, e.home_unit, e.partner_unit)));
    return new PartnerProximity(this.deps.config.proximity, keys, (p, h, u, on) => {
      this.db.setEncounter(p, h, u, on).catch((e: unknown) => this.log.warn(`an encounter with ${p} was not stored: ${(e as Error).message}`));
    });
  }

  /**
   * Opens the sharing tables (a file beside a SQLite store; a PostgreSQL store's own) and records the
   * partners' policies. The links start with start().
   */
  static async open(deps: ShareDeps): Promise<ShareService> {
    // A partner seen for the first time starts from here: sharing begins when the partner is configured.
    const storeEnd = await deps.store.lastEventSeq();
    const db = deps.store instanceof PgStore
      ? new PgShareTables(deps.store, () => storeEnd)
      : new SqliteShareTables(shareFileFor(deps.store.file), () => storeEnd);
    const service = new ShareService(deps, db);
    try {
      for (const p of deps.config.partners) await db.link(p.name);
      await service.recordPolicies();
    } catch (e) {
      await db.close();
      throw e;
    }
    return service;
  }

  /**
   * The links run here from now on (or no longer): proximity is restored from what is stored (home
   * units' last fixes, partner units, encounters under way), the diallers start and the feed catches up.
   */
  private async lead(held: boolean): Promise<void> {
    if (!held) {
      if (!this.leading) return;
      this.leading = false;
      this.heardStatus.clear();
      this.log.info('the partner links run on another node now');
      const dialers = this.dialers;
      this.dialers = [];
      await Promise.all(dialers.map((d) => d.stop()));
      this.links.closeAll();
      return;
    }
    if (this.leading) return;
    const [encounters, units, partnerRows] = await Promise.all([this.db.encounters(), this.deps.store.units(), this.db.partnerUnits()]);
    // The lease may have gone while the state was read.
    if (!this.holding) return;
    this.proximity = this.newProximity(encounters);
    const home = units.map((u) => ({ fix: u.lastFix as Fix, determination: u.lastFix.determination }));
    this.proximity.restore(home, partnerRows.map((row) => this.partnerUnit(row.partner, JSON.parse(row.body_json) as PositionRecord)));
    this.leading = true;
    for (const partner of this.deps.config.partners) {
      if (partner.urls.length === 0) continue;
      this.dialers.push(new Dialer({
        config: this.deps.config, partner, links: this.links,
        receivedFrom: this.receivedFrom, log: (m) => this.log.info(m),
      }));
    }
    if (this.shared) this.log.info('the partner links run on this node now');
    this.feeder.wake();
  }

  /**
   * Chains each partner's sharing policy when it differs from the last one recorded for that partner (a
   * first start, or a partners file edited since): the policy is set by whoever edits the file and
   * starts the server, so that is who the record names (the file, its SHA-256, the system account).
   */
  private async recordPolicies(): Promise<void> {
    const last = new Map<string, string>();
    for (const change of await this.deps.store.policyChanges('partner-policy')) {
      last.set(String(change.record.partner), JSON.stringify(change.record.policy));
    }
    const { config } = this.deps;
    const file = config.file ?? null;
    let fileSha256: string | null = null;
    try {
      if (file) fileSha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    } catch { /* the file was read at start-up; if it has gone since, the record says so by its null hash */ }
    for (const p of config.partners) {
      const policy = policyJson(p.policy);
      if (last.get(p.name) === JSON.stringify(policy)) continue;
      await this.deps.store.appendPolicyChange('partner-policy', {
        partner: p.name, policy, file, file_sha256: fileSha256, by: systemAccount(), by_kind: 'local',
      });
    }
  }

  get org(): string {
    return this.deps.config.org;
  }

  /** Starts the link listener, the diallers and the feed (with PostgreSQL, once this node holds the links); returns the link port. */
  async start(log?: ShareLog): Promise<number> {
    if (log) this.log = log;
    this.listener = await listenForPartners(this.deps.config, (socket) => void this.accept(socket));
    this.unsubscribe = this.deps.hub.subscribe((event) => {
      if (!this.leading) return;
      if (event.type === 'alert') this.feeder.wake();
      if (event.type !== 'fix' || !event.fix) return;
      this.feeder.wake();
      const alerts = this.proximity.observeHome(event.fix, event.fix.determination);
      if (alerts.length > 0) this.deps.raise(alerts);
    });
    this.log.info(`sharing as ${this.org}: partner link on port ${this.listener.port}`);
    if (this.shared) {
      const shared = this.shared;
      await shared.listen(SHARE_CHANNEL, (payload) => this.heard(payload), (e) => this.log.warn(`listening to the other nodes failed: ${(e as Error).message}`));
      this.lease = await shared.lease('partner-links', (held) => this.leaseChanged(held));
      // The holder answers with each link's state, so this node shows them before they next change.
      if (!this.leading) this.tellOthers({ ask: true });
    } else {
      this.leaseChanged(true);
      await this.leadChain;
    }
    return this.listener.port;
  }

  /** The lease taken or lost (with SQLite, taken at start): the links follow, one change after another. */
  private leaseChanged(held: boolean): void {
    this.holding = held;
    this.leadChain = this.leadChain
      .then(() => this.lead(held))
      .catch((e: unknown) => {
        // Taking the links failed (the store unreachable while their state was read): tried again while the lease is held.
        this.log.warn(`taking the partner links failed: ${(e as Error).message}; trying again`);
        const retry = setTimeout(() => {
          if (this.holding && !this.leading && !this.closing) this.leaseChanged(true);
        }, 2000);
        retry.unref();
      });
  }

  /** What another node on the same PostgreSQL store told. */
  private heard(payload: string): void {
    let note: NodeNote;
    try {
      note = JSON.parse(payload) as NodeNote;
    } catch {
      return;
    }
    if (!this.shared || note.from === this.shared.nodeId) return;
    if (typeof note.pump === 'string' && this.leading) this.links.pumpAll([note.pump]);
    if (note.ask === true && this.leading) for (const p of this.deps.config.partners) this.linkChanged(p.name);
    const event = note.event;
    if (!event || this.leading) return;
    if (event.type === 'partner-link') {
      this.heardStatus.set(event.partner, statusAfter(this.heardStatus.get(event.partner), event.state, event.last_error, this.now(), null));
    }
    this.deps.hub.publish({ type: 'partner', event });
  }

  /** Tells the other nodes on a PostgreSQL store (nothing with SQLite). */
  private tellOthers(note: Omit<NodeNote, 'from'>): void {
    if (!this.shared) return;
    const payload = JSON.stringify({ from: this.shared.nodeId, ...note });
    if (Buffer.byteLength(payload) > MAX_NOTIFY_BYTES) return;
    this.shared.notify(SHARE_CHANNEL, payload).catch((e: unknown) => this.log.warn(`telling the other nodes failed: ${(e as Error).message}`));
  }

  /** The last sequence number stored from a partner, which a new link resumes after (either side's handshake). */
  private readonly receivedFrom = async (partner: string): Promise<number> => (await this.db.link(partner)).received_seq;

  private async accept(socket: WebSocket): Promise<void> {
    if (this.handshakes >= MAX_HANDSHAKES) return socket.terminate();
    // Another node holds the links: the partner tries the next address it has (or again later).
    if (!this.leading) return socket.close(CLOSE.elsewhere, 'the partner links run on another node of this organisation');
    this.handshakes += 1;
    const inbox = new Inbox(socket);
    socket.on('error', () => socket.terminate());
    try {
      const find = (org: string) => this.deps.config.partners.find((p) => p.name === org);
      const auth = await acceptHandshake(socket, inbox, this.org, find, this.receivedFrom);
      this.links.adopt(auth.partner.name, auth.partner.name, socket, inbox, auth.keys, auth.peerReceivedSeq);
    } catch (e) {
      this.log.warn(`partner link refused: ${(e as Error).message}`);
    } finally {
      this.handshakes -= 1;
    }
  }

  private classifyShared(r: { lat: number; lon: number; precision_m: number; accuracy_m?: number }): Determination {
    // Spread of a position known only to a cell: about half its half-diagonal, with the device's own.
    const accuracyM = Math.hypot(r.accuracy_m ?? ASSUMED_ACCURACY_M, r.precision_m / 2);
    return classify({ lat: r.lat, lon: r.lon, accuracyM }, this.deps.layers, this.deps.classifyOptions);
  }

  private partnerUnit(partner: string, record: PositionRecord): PartnerUnit {
    return { partner, record, determination: this.classifyShared(record) };
  }

  private publish(event: ShareStreamEvent): void {
    this.deps.hub.publish({ type: 'partner', event });
    this.tellOthers({ event });
  }

  private received(partner: string, stored: Received[]): void {
    this.receiving = this.receiving
      .then(() => this.handleReceived(partner, stored))
      .catch((e: unknown) => this.log.warn(`records from ${partner} were stored but not all shown: ${(e as Error).message}`));
  }

  private async handleReceived(partner: string, stored: Received[]): Promise<void> {
    const alerts: Alert[] = [];
    for (const item of stored) {
      const r = item.record;
      if (!r) {
        this.log.warn(`record ${item.seq} from ${partner} refused: ${item.problem}`);
      } else if (r.kind === 'position') {
        const unit = this.partnerUnit(partner, r);
        alerts.push(...this.proximity.observePartner(unit));
        const row = await this.db.partnerUnit(partner, r.unit);
        if (row && row.seq === item.seq) this.publish({ type: 'partner-unit', unit: this.unitJson(row, unit.determination) });
      } else if (r.kind === 'leave') {
        if ((await this.db.partnerUnit(partner, r.unit))?.gone === 1) {
          this.proximity.partnerGone(partner, r.unit);
          this.publish({ type: 'partner-unit-gone', partner, unit: r.unit, time_ms: r.time_ms });
        }
      } else if (r.kind === 'alert') {
        this.publish({ type: 'partner-alert', alert: partnerAlertJson(partner, item.seq, this.now(), r) });
      } else {
        const row = await this.db.messageBySeq(partner, item.seq);
        if (row) this.publish({ type: 'partner-message', message: messageJson(row) });
        this.chainMessage('partner-message-received', {
          partner, seq: item.seq, template: r.template, params: r.params, text_en: r.text_en, text_es: r.text_es,
          time_ms: r.time_ms, by: partner, by_kind: 'partner',
        });
      }
    }
    if (alerts.length > 0) this.deps.raise(alerts);
  }

  private delivered(partner: string, messages: MessageRow[]): void {
    for (const m of messages) {
      this.publish({ type: 'partner-message', message: messageJson(m) });
      this.chainMessage('partner-message-delivered', { partner, id: m.id, seq: m.seq, delivered_ms: m.delivered_ms });
    }
  }

  /**
   * Chains what came over the link (received messages, delivery receipts). The sharing file has already
   * stored it, so a store that fails here loses only the evidence record, and says so in the log.
   */
  private chainMessage(action: string, record: Record<string, unknown>): void {
    this.deps.store.appendPolicyChange(action, record)
      .catch((e: unknown) => this.log.warn(`${action} from ${String(record.partner)} not chained in the evidence: ${(e as Error).message}`));
  }

  private linkChanged(partner: string): void {
    const s = this.links.status(partner);
    this.publish({ type: 'partner-link', partner, state: s.state, last_error: s.lastError });
  }

  private unitJson(row: PartnerUnitRow, determination?: Determination) {
    const record = JSON.parse(row.body_json) as PositionRecord;
    const meta = { seq: row.seq, receivedMs: row.received_ms, firstTimeMs: row.first_time_ms, recordCount: row.record_count };
    return partnerUnitJson(row.partner, record, determination ?? this.classifyShared(record), meta);
  }

  /** Partner units currently shared with this server, as entries of GET /api/v1/units. */
  async unitsJson() {
    return (await this.db.partnerUnits()).map((row) => this.unitJson(row));
  }

  /** A link's state: this node's, or, where another node holds the links, what it last told. */
  private linkStatus(partner: string): LinkStatus {
    if (this.leading) return this.links.status(partner);
    return this.heardStatus.get(partner) ?? { state: 'down', sinceMs: this.now(), lastError: 'the partner links run on another node of this organisation', dialledBy: null };
  }

  /** The policies and the state of each link, for GET /api/v1/partners. */
  async partnersJson() {
    const c = this.deps.config;
    const counts = new Map<string, number>();
    for (const row of await this.db.partnerUnits()) counts.set(row.partner, (counts.get(row.partner) ?? 0) + 1);
    const rows = new Map<string, { row: LinkRow; delayed: number }>();
    for (const p of c.partners) rows.set(p.name, { row: await this.db.link(p.name), delayed: await this.db.pendingCount(p.name) });
    return {
      org: c.org, lang: c.lang,
      link: { port: this.listener?.port ?? null, tls: c.link.tls !== null, here: this.leading },
      proximity: { distance_m: c.proximity.distanceM, boundary_m: c.proximity.boundaryM },
      templates: templatesJson(),
      partners: c.partners.map((p) => {
        const status = this.linkStatus(p.name);
        const { row, delayed } = rows.get(p.name)!;
        const session = this.leading ? this.links.session(p.name) : null;
        return {
          name: p.name, url: p.url, urls: p.urls, lang: p.lang, policy: policyJson(p.policy), units: counts.get(p.name) ?? 0,
          link: {
            state: status.state, since_ms: status.sinceMs, last_error: status.lastError, dialled_by: session?.dialledBy ?? null,
            queued_seq: row.next_seq - 1, sent_seq: session?.status.sentSeq ?? row.acked_seq, acked_seq: row.acked_seq,
            received_seq: row.received_seq, delayed,
          },
        };
      }),
    };
  }

  private partnerNamed(name: string) {
    const partner = this.deps.config.partners.find((p) => p.name === name);
    if (!partner) throw new LinderoError('unknown-partner', `no partner named ${JSON.stringify(name.slice(0, 80))}`, { field: 'name' });
    return partner;
  }

  /**
   * Queues a canned message to a partner; its status turns to delivered when the partner has stored it.
   * Who sent it, and what it says in both languages, is chained in the evidence first: a message is
   * never queued without its record.
   */
  async sendMessage(name: string, template: unknown, params: unknown, by: Author) {
    const partner = this.partnerNamed(name);
    const m = renderMessage(template, params);
    const now = this.now();
    await this.deps.store.appendPolicyChange('partner-message-sent', {
      partner: partner.name, template: m.template, params: m.params, text_en: m.textEn, text_es: m.textEs, time_ms: now, by: by.name, by_kind: by.kind,
    });
    const row = await this.db.sendMessage(partner.name, (id) => ({
      kind: 'message', id, template: m.template, params: m.params, text_en: m.textEn, text_es: m.textEs, time_ms: now,
    }), now);
    if (this.leading) this.links.pumpAll([partner.name]);
    else this.tellOthers({ pump: partner.name });
    return messageJson(row);
  }

  async messagesJson(name: string) {
    return (await this.db.messages(this.partnerNamed(name).name)).map(messageJson);
  }

  async alertsJson(name: string, limit = 100) {
    const partner = this.partnerNamed(name).name;
    return (await this.db.inbox(partner, 'alert', limit)).map((row) => partnerAlertJson(partner, row.seq, row.received_ms, JSON.parse(row.body_json) as AlertRecord));
  }

  private closing: Promise<void> | null = null;

  async close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.unsubscribe?.();
    this.holding = false;
    await this.leadChain;
    this.leading = false;
    await Promise.all(this.dialers.map((d) => d.stop()));
    this.links.closeAll();
    await this.listener?.close();
    await this.feeder.close();
    await this.receiving;
    // Lets the links go at once to the next node.
    await this.lease?.stop();
    await this.db.close();
  }
}
