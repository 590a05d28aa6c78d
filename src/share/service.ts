// Sharing with partner organisations, as one service of the server: the policy feed into each
// partner's outbox, the link listener and diallers, the partner units received, proximity across the
// link, and canned messages. It sees the server only through the store, the layers, the event hub
// and a way to raise alerts.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { WebSocket } from 'ws';
import { ASSUMED_ACCURACY_M, classify, type ClassifyOptions, type Determination, type Layers } from '../geo/index.js';
import { LinderoError } from '../model/index.js';
import type { Store, StoredFix } from '../store/index.js';
import type { Fix } from '../ingest/index.js';
import type { Alert } from '../model/index.js';
import { policyJson, type ShareConfig } from './config.js';
import { Feeder } from './feeder.js';
import { Dialer } from './link-client.js';
import { acceptHandshake, Inbox } from './link-handshake.js';
import { listenForPartners, type LinkListener } from './link-server.js';
import { Links } from './links.js';
import { renderMessage, templatesJson } from './messages.js';
import { PartnerProximity, type PartnerUnit } from './proximity.js';
import type { AlertRecord, PositionRecord } from './records.js';
import { ShareDb, type MessageRow, type PartnerUnitRow, type Received } from './share-db.js';
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

export class ShareService {
  private readonly db: ShareDb;
  private readonly now: () => number;
  private readonly links: Links;
  private readonly feeder: Feeder;
  private readonly proximity: PartnerProximity;
  private readonly dialers: Dialer[] = [];
  private listener: LinkListener | null = null;
  private unsubscribe: (() => void) | null = null;
  private handshakes = 0;
  private log: ShareLog = { info: () => {}, warn: () => {} };

  private constructor(private readonly deps: ShareDeps, storeEndSeq: number) {
    this.now = deps.now ?? Date.now;
    this.db = new ShareDb(shareFileFor(deps.store.file), () => storeEndSeq);
    for (const p of deps.config.partners) this.db.link(p.name);
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
    });
    const encounters = new Set(this.db.encounters().map((e) => PartnerProximity.encounterKey(e.partner, e.home_unit, e.partner_unit)));
    this.proximity = new PartnerProximity(deps.config.proximity, encounters, (p, h, u, on) => this.db.setEncounter(p, h, u, on));
  }

  /** Opens the sharing tables in the store's file and restores what was known before a restart. */
  static async open(deps: ShareDeps): Promise<ShareService> {
    if (deps.store.kind !== 'sqlite') throw new LinderoError('share-store', 'sharing with partners needs the SQLite store');
    // A partner seen for the first time starts from here: sharing begins when the partner is configured.
    const service = new ShareService(deps, await deps.store.lastEventSeq());
    await service.recordPolicies();
    const home = (await deps.store.units()).map((u) => ({ fix: u.lastFix as Fix, determination: u.lastFix.determination }));
    const partners = service.db.partnerUnits().map((row) => service.partnerUnit(row.partner, JSON.parse(row.body_json) as PositionRecord));
    service.proximity.restore(home, partners);
    return service;
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

  /** Starts the link listener, the diallers and the feed; returns the link port. */
  async start(log?: ShareLog): Promise<number> {
    if (log) this.log = log;
    this.listener = await listenForPartners(this.deps.config, (socket) => void this.accept(socket));
    this.unsubscribe = this.deps.hub.subscribe((event) => {
      if (event.type === 'alert') this.feeder.wake();
      if (event.type !== 'fix' || !event.fix) return;
      this.feeder.wake();
      const alerts = this.proximity.observeHome(event.fix, event.fix.determination);
      if (alerts.length > 0) this.deps.raise(alerts);
    });
    for (const partner of this.deps.config.partners) {
      if (!partner.url) continue;
      this.dialers.push(new Dialer({
        config: this.deps.config, partner, links: this.links,
        receivedFrom: (p) => this.db.link(p).received_seq, log: (m) => this.log.info(m),
      }));
    }
    this.feeder.wake();
    this.log.info(`sharing as ${this.org}: partner link on port ${this.listener.port}`);
    return this.listener.port;
  }

  private async accept(socket: WebSocket): Promise<void> {
    if (this.handshakes >= MAX_HANDSHAKES) return socket.terminate();
    this.handshakes += 1;
    const inbox = new Inbox(socket);
    socket.on('error', () => socket.terminate());
    try {
      const find = (org: string) => this.deps.config.partners.find((p) => p.name === org);
      const auth = await acceptHandshake(socket, inbox, this.org, find, (p) => this.db.link(p).received_seq);
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
  }

  private received(partner: string, stored: Received[]): void {
    const alerts: Alert[] = [];
    for (const item of stored) {
      const r = item.record;
      if (!r) {
        this.log.warn(`record ${item.seq} from ${partner} refused: ${item.problem}`);
      } else if (r.kind === 'position') {
        const unit = this.partnerUnit(partner, r);
        alerts.push(...this.proximity.observePartner(unit));
        const row = this.db.partnerUnit(partner, r.unit);
        if (row && row.seq === item.seq) this.publish({ type: 'partner-unit', unit: this.unitJson(row, unit.determination) });
      } else if (r.kind === 'leave') {
        if (this.db.partnerUnit(partner, r.unit)?.gone === 1) {
          this.proximity.partnerGone(partner, r.unit);
          this.publish({ type: 'partner-unit-gone', partner, unit: r.unit, time_ms: r.time_ms });
        }
      } else if (r.kind === 'alert') {
        this.publish({ type: 'partner-alert', alert: partnerAlertJson(partner, item.seq, this.now(), r) });
      } else {
        const row = this.db.messageBySeq(partner, item.seq);
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
  unitsJson() {
    return this.db.partnerUnits().map((row) => this.unitJson(row));
  }

  /** The policies and the state of each link, for GET /api/v1/partners. */
  partnersJson() {
    const c = this.deps.config;
    const counts = new Map<string, number>();
    for (const row of this.db.partnerUnits()) counts.set(row.partner, (counts.get(row.partner) ?? 0) + 1);
    return {
      org: c.org, lang: c.lang,
      link: { port: this.listener?.port ?? null, tls: c.link.tls !== null },
      proximity: { distance_m: c.proximity.distanceM, boundary_m: c.proximity.boundaryM },
      templates: templatesJson(),
      partners: c.partners.map((p) => {
        const status = this.links.status(p.name);
        const row = this.db.link(p.name);
        const session = this.links.session(p.name);
        return {
          name: p.name, url: p.url, lang: p.lang, policy: policyJson(p.policy), units: counts.get(p.name) ?? 0,
          link: {
            state: status.state, since_ms: status.sinceMs, last_error: status.lastError, dialled_by: session?.dialledBy ?? null,
            queued_seq: row.next_seq - 1, sent_seq: session?.status.sentSeq ?? row.acked_seq, acked_seq: row.acked_seq,
            received_seq: row.received_seq, delayed: this.db.pendingCount(p.name),
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
    const row = this.db.sendMessage(partner.name, (id) => ({
      kind: 'message', id, template: m.template, params: m.params, text_en: m.textEn, text_es: m.textEs, time_ms: now,
    }), now);
    this.links.pumpAll([partner.name]);
    return messageJson(row);
  }

  messagesJson(name: string) {
    return this.db.messages(this.partnerNamed(name).name).map(messageJson);
  }

  alertsJson(name: string, limit = 100) {
    const partner = this.partnerNamed(name).name;
    return this.db.inbox(partner, 'alert', limit).map((row) => partnerAlertJson(partner, row.seq, row.received_ms, JSON.parse(row.body_json) as AlertRecord));
  }

  private closing: Promise<void> | null = null;

  async close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.unsubscribe?.();
    await Promise.all(this.dialers.map((d) => d.stop()));
    this.links.closeAll();
    await this.listener?.close();
    await this.feeder.close();
    this.db.close();
  }
}
