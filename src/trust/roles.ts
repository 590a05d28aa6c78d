// Operator roles, from least to most: a viewer sees; an operator also acknowledges alerts, writes
// incident notes and sends partner messages; an admin also manages devices, keys, users and policies.
import { LinderoError } from '../model/index.js';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether `role` may do what `needed` may. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** A role from an option, or a usage error naming it. */
export function parseRole(value: string | undefined, field = 'role'): Role {
  if (isRole(value)) return value;
  throw new LinderoError('usage', `--${field} must be one of ${ROLES.join(', ')}, not ${JSON.stringify(value ?? '')}`, { field });
}
