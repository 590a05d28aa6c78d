// A device reports only the units it was enrolled for: the fixes of other units are refused, logged
// (once per unit and request or connection) and never reach the store.
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Principal } from './auth.js';
import type { Fix } from '../ingest/index.js';
import type { Pipeline } from '../live/index.js';
import type { PositionlessEmergency } from '../model/index.js';
import { mayReport, type DeviceCredential, type TrustRegistry } from '../trust/index.js';

/**
 * What a request's rate limit counts it under: its enrolled device, when `token` is a valid device token, so
 * that each device has its own budget though a whole fleet reaches the server from one address (a VPN
 * gateway, a private APN, carrier NAT); else its address (no token, or one that is not valid).
 */
export function rateLimitKey(request: FastifyRequest, token: string | undefined, trust: TrustRegistry | undefined): string {
  const device = token === undefined ? null : trust?.deviceByToken(token) ?? null;
  return device ? `device ${device.name}` : request.ip;
}

export interface RefusalPlace {
  listener: string;
  address: string;
}

/** The fixes `device` may report; the others are logged as refused. */
export function ownedFixes<F extends Pick<Fix, 'unit'>>(fixes: F[], device: DeviceCredential, place: RefusalPlace, log: FastifyBaseLogger): F[] {
  const owned: F[] = [];
  let refused: Map<string, number> | null = null;
  for (const fix of fixes) {
    if (mayReport(device, fix.unit)) owned.push(fix);
    else {
      refused ??= new Map();
      refused.set(fix.unit, (refused.get(fix.unit) ?? 0) + 1);
    }
  }
  if (refused) {
    for (const [unit, count] of refused) {
      log.warn({ ...place, device: device.name, unit, fixes: count }, 'fixes for a unit this device is not enrolled for: refused, not stored');
    }
  }
  return owned;
}

/** The reason given to a client for a fix of a unit its credential does not own. */
export function notEnrolled(device: DeviceCredential, unit: string): string {
  return `device ${device.name} is not enrolled for unit ${JSON.stringify(unit)}; fix refused, not stored`;
}

/**
 * The fixes a request's principal may report, each with its place in the body (`indexOf[i]` for `fixes[i]`):
 * all of them for an operator; a device's own units only, the others pushed to `rejected` and logged.
 */
export function keepEnrolled<F extends Pick<Fix, 'unit'>>(
  request: FastifyRequest, fixes: F[], indexOf: number[], listener: string, rejected: { index: number; reason: string }[],
): { fixes: F[]; indexOf: number[] } {
  const principal: Principal | undefined = request.principal;
  if (principal?.kind !== 'device') return { fixes, indexOf };
  const owned: { fixes: F[]; indexOf: number[] } = { fixes: [], indexOf: [] };
  fixes.forEach((fix, i) => {
    if (mayReport(principal.device, fix.unit)) {
      owned.fixes.push(fix);
      owned.indexOf.push(indexOf[i]);
    } else {
      rejected.push({ index: indexOf[i], reason: notEnrolled(principal.device, fix.unit) });
      request.log.warn({ listener, address: request.ip, device: principal.name, unit: fix.unit }, 'fix for a unit this device is not enrolled for: refused, not stored');
    }
  });
  return owned;
}

/**
 * Emergencies without a position from a request's body (`index` their place in it): those the principal may
 * report are raised, in turn, after the fixes beside them were stored; the others go to `rejected`. Rejects
 * when the store fails (the request is answered 503 and may be sent again). Resolves with the places raised.
 */
export async function raiseEnrolledEmergencies(
  request: FastifyRequest, pipeline: Pipeline, items: { index: number; emergency: PositionlessEmergency }[], listener: string,
  rejected: { index: number; reason: string }[],
): Promise<number[]> {
  const owned = keepEnrolled(request, items.map((e) => e.emergency), items.map((e) => e.index), listener, rejected);
  for (const emergency of owned.fixes) {
    request.log.warn({ listener, unit: emergency.unit, emergency: emergency.emergency, reason: emergency.reason }, 'an emergency without a position');
    await pipeline.emergencyWithoutPosition(emergency);
  }
  return owned.indexOf;
}
