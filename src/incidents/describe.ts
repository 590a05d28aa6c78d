// How a chained record is named in messages: by what it is, not only by its position.
import type { ChainKind, ChainRecord } from '../store/index.js';

function iso(ms: unknown): string {
  return typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}

/** E.g. "fix 12 (unit us-1 at 2019-04-13T15:00:00.000Z)", "incident record 3 (incident 1, opened)". */
export function describeRecord(kind: ChainKind, ref: number, record: ChainRecord | null | undefined): string {
  const r = record ?? {};
  switch (kind) {
    case 'fix':
      return record ? `fix ${ref} (unit ${String(r.unit)} at ${iso(r.time_ms)})` : `fix ${ref}`;
    case 'alert':
      return record ? `alert ${ref} (${String(r.kind)}, unit ${String(r.unit)} at ${iso(r.time_ms)})` : `alert ${ref}`;
    case 'incident':
      return record ? `incident record ${ref} (incident ${String(r.incident_id)}, ${String(r.action)})` : `incident record ${ref}`;
    case 'policy':
      return record ? `policy change ${ref} (${String(r.action)})` : `policy change ${ref}`;
  }
}

/** The table a kind of record is kept in, for messages. */
export function tableOf(kind: ChainKind): string {
  return { fix: 'fixes', alert: 'alerts', incident: 'incident_records', policy: 'policy_changes' }[kind];
}
