import { ALERT_KINDS, LinderoError, MAX_FIX_NOTES, MAX_NOTE_CHARS, MAX_TIME_MS, MAX_UNIT_CHARS } from '../model/index.js';
import type { Determination } from '../geo/index.js';
import type { Alert, AlertKind } from '../model/index.js';
import type { Checkpoint, FixToAppend, IncidentRecordToAppend } from './store.js';
import { fixParams, type FixParams } from './rows.js';

/** Longest unit id the store accepts, characters. */
export const MAX_UNIT_LENGTH = MAX_UNIT_CHARS;

function fail(code: string, what: string, index: number | undefined, field: string): never {
  const place = index === undefined ? { field } : { index, field };
  throw new LinderoError(code, what, place);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkNumber(v: unknown, min: number, max: number, code: string, index: number | undefined, field: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    fail(code, `${field} must be a number from ${min} to ${max}, got ${JSON.stringify(v) ?? String(v)}`, index, field);
  }
}

function checkOptionalNumber(v: unknown, code: string, index: number | undefined, field: string): void {
  if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) {
    fail(code, `${field} must be a finite number when present, got ${JSON.stringify(v) ?? String(v)}`, index, field);
  }
}

function checkUnit(v: unknown, code: string, index: number | undefined, field: string): void {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_UNIT_LENGTH) {
    fail(code, `${field} must be a unit id of 1 to ${MAX_UNIT_LENGTH} characters`, index, field);
  }
}

/** A name or group when present: 1 to MAX_UNIT_CHARS characters, as ingest's cleanName leaves it. */
function checkOptionalName(v: unknown, code: string, index: number | undefined, field: string): void {
  if (v !== undefined && (typeof v !== 'string' || v.length === 0 || v.length > MAX_UNIT_CHARS)) {
    fail(code, `${field} must be 1 to ${MAX_UNIT_CHARS} characters when present`, index, field);
  }
}

/** An emergency when present: { state: 'declared' | 'cancelled', what: 1 to MAX_UNIT_CHARS characters }. */
function checkOptionalEmergency(v: unknown, code: string, index: number | undefined): void {
  if (v === undefined) return;
  if (!isObject(v) || (v.state !== 'declared' && v.state !== 'cancelled')) fail(code, "emergency.state must be 'declared' or 'cancelled'", index, 'emergency.state');
  checkOptionalName(v.what, code, index, 'emergency.what');
  if (v.what === undefined) fail(code, 'emergency.what must name the emergency', index, 'emergency.what');
}

/** Notes when present: at most MAX_FIX_NOTES sentences, each 1 to MAX_NOTE_CHARS characters. */
function checkOptionalNotes(v: unknown, code: string, index: number | undefined): void {
  if (v === undefined) return;
  if (!Array.isArray(v) || v.length > MAX_FIX_NOTES) fail(code, `notes must be a list of at most ${MAX_FIX_NOTES} sentences`, index, 'notes');
  for (const note of v) {
    if (typeof note !== 'string' || note.length === 0 || note.length > MAX_NOTE_CHARS) {
      fail(code, `each note must be 1 to ${MAX_NOTE_CHARS} characters`, index, 'notes');
    }
  }
}

function checkDetermination(d: unknown, code: string, index: number | undefined, field: string): asserts d is Determination {
  if (!isObject(d)) fail(code, `${field} must be an object`, index, field);
  // Null exactly when the position is outside every territory the layers cover (`outside`).
  if (d.territory === null) {
    if (d.outside !== true) fail(code, `${field}.territory is null only for a position outside the layers' territories (outside: true)`, index, `${field}.territory`);
  } else if (typeof d.territory !== 'string' || d.territory === '') fail(code, `${field}.territory must be a territory code or null`, index, `${field}.territory`);
  if (!isObject(d.boundary)) fail(code, `${field}.boundary must be an object`, index, `${field}.boundary`);
  checkNumber(d.boundary.distanceM, 0, Infinity, code, index, `${field}.boundary.distanceM`);
  checkNumber(d.confidence, 0, 1, code, index, `${field}.confidence`);
  if (typeof d.certain !== 'boolean') fail(code, `${field}.certain must be true or false`, index, `${field}.certain`);
  if (d.zone !== 'strip' && d.zone !== 'inland') fail(code, `${field}.zone must be 'strip' or 'inland'`, index, `${field}.zone`);
  if (d.fence === null) return;
  if (!isObject(d.fence)) fail(code, `${field}.fence must be an object or null`, index, `${field}.fence`);
  if (typeof d.fence.name !== 'string') fail(code, `${field}.fence.name must be a string`, index, `${field}.fence.name`);
  if (d.fence.side !== 'boundary' && d.fence.side !== 'inland') {
    fail(code, `${field}.fence.side must be 'boundary' or 'inland'`, index, `${field}.fence.side`);
  }
  checkNumber(d.fence.distanceM, 0, Infinity, code, index, `${field}.fence.distanceM`);
}

/** Checks one item of appendFixes; `index` is its place in the call. */
export function checkFixToAppend(item: unknown, index: number): asserts item is FixToAppend {
  const code = 'store-bad-fix';
  if (!isObject(item) || !isObject(item.fix)) fail(code, 'each item must be { fix, determination }', index, 'fix');
  const fix = item.fix;
  checkUnit(fix.unit, code, index, 'unit');
  checkNumber(fix.time, -MAX_TIME_MS, MAX_TIME_MS, code, index, 'time');
  checkNumber(fix.lat, -90, 90, code, index, 'lat');
  checkNumber(fix.lon, -180, 180, code, index, 'lon');
  checkOptionalNumber(fix.accuracyM, code, index, 'accuracyM');
  checkOptionalNumber(fix.altM, code, index, 'altM');
  checkOptionalNumber(fix.speedMps, code, index, 'speedMps');
  checkOptionalNumber(fix.courseDeg, code, index, 'courseDeg');
  if (typeof fix.source !== 'string' || fix.source === '') fail(code, 'source must name where the fix came from', index, 'source');
  checkOptionalName(fix.name, code, index, 'name');
  checkOptionalName(fix.group, code, index, 'group');
  checkOptionalNotes(fix.notes, code, index);
  checkOptionalEmergency(fix.emergency, code, index);
  checkDetermination(item.determination, code, index, 'determination');
}

/**
 * Checks the items of an appendFixes call and encodes each as the parameters of its row (received_ms
 * and late left for the writer). Throws the first item's error.
 */
export function checkedFixParams(items: unknown): FixParams[] {
  if (!Array.isArray(items)) throw new LinderoError('store-bad-fix', 'appendFixes takes an array of { fix, determination }', {});
  return items.map((item: unknown, index) => {
    checkFixToAppend(item, index);
    return fixParams(item.fix, item.determination, 0, false);
  });
}

/** Checks the alerts of an appendFixesAndAlerts call; throws the first one's error. */
export function checkedAlerts(alerts: unknown): Alert[] {
  if (!Array.isArray(alerts)) throw new LinderoError('store-bad-alert', 'appendFixesAndAlerts takes an array of alerts', { field: 'alerts' });
  for (const alert of alerts) checkAlert(alert);
  return alerts as Alert[];
}

/**
 * Runs `check`, and `then` with what it returns: a store call whose input is checked first, so bad input
 * rejects (with the check's error) without anything being queued.
 */
export function afterCheck<T, R>(check: () => T, then: (checked: T) => Promise<R>): Promise<R> {
  let checked: T;
  try {
    checked = check();
  } catch (e) {
    return Promise.reject(e);
  }
  return then(checked);
}

export function checkAlert(alert: unknown): asserts alert is Alert {
  const code = 'store-bad-alert';
  if (!isObject(alert)) fail(code, 'an alert must be an object', undefined, 'alert');
  if (!(ALERT_KINDS as readonly unknown[]).includes(alert.kind)) {
    fail(code, `kind must be one of ${ALERT_KINDS.join(', ')}, got ${JSON.stringify(alert.kind)}`, undefined, 'kind');
  }
  checkUnit(alert.unit, code, undefined, 'unit');
  checkNumber(alert.time, -MAX_TIME_MS, MAX_TIME_MS, code, undefined, 'time');
  if (alert.otherUnit !== undefined) checkUnit(alert.otherUnit, code, undefined, 'otherUnit');
  checkOptionalNumber(alert.unitDistanceM, code, undefined, 'unitDistanceM');
  checkOptionalName(alert.emergency, code, undefined, 'emergency');
  if (alert.lastKnownTime !== undefined) checkNumber(alert.lastKnownTime, -MAX_TIME_MS, MAX_TIME_MS, code, undefined, 'lastKnownTime');
  checkDetermination(alert.determination, code, undefined, 'determination');
}

/** Checks an API key label: what a person reads in `lindero key list`. */
export function checkLabel(label: unknown): asserts label is string {
  if (typeof label !== 'string' || label.trim() === '' || label.length > 200 || /[\u0000-\u001f\u007f]/.test(label)) {
    fail('store-bad-label', 'a key label must be 1 to 200 printable characters', undefined, 'label');
  }
}

const INCIDENT_ACTIONS = ['opened', 'extended', 'noted'];
/** Largest incident record or policy change, as JSON. */
export const MAX_EVIDENCE_RECORD_BYTES = 64 * 1024;

function checkRecordObject(record: unknown, code: string, field: string): void {
  if (!isObject(record)) fail(code, `${field} must be a JSON object`, undefined, field);
  let json: string;
  try {
    json = JSON.stringify(record);
  } catch (e) {
    fail(code, `${field} cannot be written as JSON: ${e instanceof Error ? e.message : String(e)}`, undefined, field);
  }
  if (Buffer.byteLength(json) > MAX_EVIDENCE_RECORD_BYTES) {
    fail(code, `${field} is ${Buffer.byteLength(json)} bytes as JSON; at most ${MAX_EVIDENCE_RECORD_BYTES} are kept`, undefined, field);
  }
}

export function checkIncidentRecord(item: unknown): asserts item is IncidentRecordToAppend {
  const code = 'store-bad-incident';
  if (!isObject(item)) fail(code, 'an incident record must be { incidentId, action, record }', undefined, 'record');
  const id = item.incidentId;
  if (id !== null && (typeof id !== 'number' || !Number.isInteger(id) || id < 1)) {
    fail(code, `incidentId must be an incident id or null for a new incident, got ${JSON.stringify(id) ?? String(id)}`, undefined, 'incidentId');
  }
  if (!INCIDENT_ACTIONS.includes(item.action as string)) {
    fail(code, `action must be one of ${INCIDENT_ACTIONS.join(', ')}, got ${JSON.stringify(item.action)}`, undefined, 'action');
  }
  if ((id === null) !== (item.action === 'opened')) {
    fail(code, id === null ? 'a new incident starts with an "opened" record' : 'an incident is opened only once', undefined, 'action');
  }
  checkRecordObject(item.record, code, 'record');
}

export function checkPolicyChange(action: unknown, record: unknown): void {
  const code = 'store-bad-policy';
  if (typeof action !== 'string' || !/^[a-z][a-z0-9-]{0,63}$/.test(action)) {
    fail(code, 'a policy action is a lower-case name of up to 64 letters, digits and hyphens', undefined, 'action');
  }
  checkRecordObject(record, code, 'record');
}

export function checkCheckpoint(cp: unknown): asserts cp is Checkpoint {
  const code = 'store-bad-checkpoint';
  if (!isObject(cp)) fail(code, 'a checkpoint must be an object', undefined, 'checkpoint');
  if (typeof cp.n !== 'number' || !Number.isInteger(cp.n) || cp.n < 1) fail(code, 'n must be a chain position', undefined, 'n');
  if (!Buffer.isBuffer(cp.hash) || cp.hash.length !== 32) fail(code, 'hash must be 32 bytes', undefined, 'hash');
  checkNumber(cp.signedMs, -MAX_TIME_MS, MAX_TIME_MS, code, undefined, 'signedMs');
  if (typeof cp.publicKey !== 'string' || !cp.publicKey.includes('PUBLIC KEY')) fail(code, 'publicKey must be a PEM public key', undefined, 'publicKey');
  if (!Buffer.isBuffer(cp.signature) || cp.signature.length === 0) fail(code, 'signature must be bytes', undefined, 'signature');
  if (cp.treeRoot !== null && (!Buffer.isBuffer(cp.treeRoot) || cp.treeRoot.length !== 32)) fail(code, 'treeRoot must be 32 bytes or null', undefined, 'treeRoot');
}
