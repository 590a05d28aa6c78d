// Optional reporting: every fix goes into the outbox first, then to POST /api/v1/fixes in order, and leaves
// the outbox only once the server has answered for it. A fix whose answer was lost is sent again; the server
// stores a repeated (unit, device time, position) once, so a resend never makes a duplicate.
import type { DeviceFix } from '../position/device-fix.js';
import { enqueueFix, oldestFixes, queuedCount, removeFixes } from './outbox.js';
import { outboxFix } from './wire.js';
import type { OutboxEmergency, OutboxFix } from '../db.js';

export interface ReportTarget {
  serverUrl: string;
  unit: string;
  apiKey: string;
}

export type ReportStatus =
  | { state: 'off'; queued: number }
  | { state: 'sent'; queued: 0 }
  | { state: 'sending'; queued: number }
  | { state: 'unreachable'; queued: number }
  | { state: 'refused'; queued: number; status: number; message: string }
  | { state: 'no-storage'; queued: 0; message: string };

export interface RejectedReport {
  count: number;
  reason: string;
}

/** Fixes per request; the server takes up to 10,000 (MAX_JSON_BATCH). */
const BATCH = 500;
const FIRST_RETRY_MS = 5_000;
const LONGEST_RETRY_MS = 5 * 60_000;
const REQUEST_TIMEOUT_MS = 20_000;

export class Reporter {
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly target: () => ReportTarget | null,
    private readonly onStatus: (status: ReportStatus) => void,
    private readonly onRejected: (rejected: RejectedReport) => void,
    /** Whether the server answered an upload at all (a refusal or "busy" is an answer): the connection indicator's evidence. */
    private readonly onServerHeard: (answered: boolean) => void = () => {},
  ) {}

  /**
   * Queues the fix (when reporting is on) and tries to send; with `emergency`, the fix declares (or cancels)
   * an SOS. Resolves true once the fix is queued (it is sent as soon as the server answers).
   */
  async record(fix: DeviceFix, emergency?: OutboxEmergency): Promise<boolean> {
    return this.enqueue((unit) => outboxFix(fix, unit, emergency));
  }

  /** Queues an emergency without a position (the GPS gave none in time), at `timeMs`, and tries to send. */
  recordWithoutPosition(timeMs: number, emergency: OutboxEmergency): Promise<boolean> {
    return this.enqueue((unit) => ({ unit, time: new Date(timeMs).toISOString(), emergency }));
  }

  private async enqueue(item: (unit: string) => OutboxFix): Promise<boolean> {
    const target = this.target();
    if (!target) return false;
    try {
      await enqueueFix(item(target.unit));
    } catch (e) {
      // No IndexedDB (some private modes): nothing can be kept for later, and the person must know.
      this.storageFailed(e);
      return false;
    }
    void this.flush();
    return true;
  }

  /** The server answers again: retry at once, and from the shortest wait again. */
  networkReturned(): Promise<void> {
    this.retryMs = FIRST_RETRY_MS;
    return this.flush();
  }

  /** Sends what is queued; concurrent calls share one pass (and one pass at a time across tabs, by Web Locks). */
  flush(): Promise<void> {
    if (this.draining) {
      this.drainAgain = true;
      return this.draining;
    }
    clearTimeout(this.retryTimer);
    this.draining = (async () => {
      do {
        this.drainAgain = false;
        await withOutboxLock(() => this.drain()).catch((e) => this.storageFailed(e));
      } while (this.drainAgain);
    })().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async drain(): Promise<void> {
    const target = this.target();
    if (!target) {
      this.onStatus({ state: 'off', queued: await queuedCount().catch(() => 0) });
      return;
    }
    for (;;) {
      const batch = await oldestFixes(BATCH);
      if (batch.length === 0) {
        this.retryMs = FIRST_RETRY_MS;
        this.onStatus({ state: 'sent', queued: 0 });
        return;
      }
      this.onStatus({ state: 'sending', queued: await queuedCount() });
      const answer = await post(target, batch.map((q) => q.fix));
      this.onServerHeard(answer.kind === 'stored' || answer.fromLindero);
      if (answer.kind !== 'stored') {
        const queued = await queuedCount();
        this.onStatus(answer.kind === 'refused'
          ? { state: 'refused', queued, status: answer.status, message: answer.message }
          : { state: 'unreachable', queued });
        this.scheduleRetry();
        return;
      }
      await removeFixes(batch.map((q) => q.key));
      if (answer.rejected.length > 0) this.onRejected({ count: answer.rejected.length, reason: answer.rejected[0].reason });
    }
  }

  private storageFailed(e: unknown): void {
    this.onStatus({ state: 'no-storage', queued: 0, message: e instanceof Error ? e.message : String(e) });
  }

  /** Tries again later; each retry that fails again waits twice as long (new fixes and the server's return try sooner). */
  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryMs = Math.min(this.retryMs * 2, LONGEST_RETRY_MS);
      void this.flush();
    }, this.retryMs);
  }
}

type PostAnswer =
  | { kind: 'stored'; rejected: { index: number; reason: string }[] }
  | { kind: 'unreachable'; fromLindero: boolean }
  | { kind: 'refused'; status: number; message: string; fromLindero: boolean };

async function post(target: ReportTarget, fixes: unknown[]): Promise<PostAnswer> {
  const url = new URL('api/v1/fixes', target.serverUrl.endsWith('/') ? target.serverUrl : `${target.serverUrl}/`);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST', headers, body: JSON.stringify(fixes), cache: 'no-store', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch {
    return { kind: 'unreachable', fromLindero: false };
  }
  const body = await response.json().catch(() => null) as { accepted?: unknown; rejected?: unknown; error?: { code?: unknown; message?: unknown } } | null;
  // The server answers only after the fixes are durably stored; only that answer lets them leave the outbox.
  if (response.status === 200 && typeof body?.accepted === 'number' && Array.isArray(body.rejected)) {
    return { kind: 'stored', rejected: body.rejected as { index: number; reason: string }[] };
  }
  // lindero's own error object: the server answered, even if it said no (a proxy's error page is not that).
  const fromLindero = typeof body?.error?.code === 'string';
  if (response.status === 429 || response.status >= 500) return { kind: 'unreachable', fromLindero };
  const message = typeof body?.error?.message === 'string' ? body.error.message : response.statusText;
  return { kind: 'refused', status: response.status, message, fromLindero };
}

async function withOutboxLock(fn: () => Promise<void>): Promise<void> {
  // Two open tabs must not send the same fixes at once (harmless to the server, but wasteful).
  if (typeof navigator !== 'undefined' && navigator.locks) {
    await navigator.locks.request('lindero-field-outbox', fn);
  } else {
    await fn();
  }
}
