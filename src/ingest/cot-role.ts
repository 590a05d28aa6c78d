// Which CoT events are units. A unit is a device reporting its own position: an atom (type a-*, a thing
// on the ground, in the air or at sea) whose position its own receiver measured. Everything else that
// carries a point is a marker: a map item someone placed (how="h-g-i-g-o"; or a human's estimate, how
// h-*, made on another device: <link relation="p-p"> to it), a drawing, a spot marker (b-m-p-*), and
// lindero's own alert markers when a TAK server or client sends them back. A machine position relayed
// for a device by its controller (UAS Tool's drone: how m-g or none, linked p-p to the pilot's phone) is
// the device's own GPS, so it is a unit under its own uid. Markers are shown as markers and never tracked, alerted on or put in incidents.
// CoT types and how values: MITRE CoT 2.0 (CoTtypes.xml); h-g-i-g-o is ATAK's "human, GPS, input, geo, other".

/**
 * 'positionless-emergency': an emergency alert (or its cancel) sent with the placeholder point a TAK client
 * uses when it has no position: the unit's emergency, but no fix (its point is not a place).
 */
export type CotRole = 'unit' | 'marker' | 'positionless-emergency';

/** Every event lindero sends starts its uid with this, so it is known again if it comes back. */
export const LINDERO_UID_PREFIX = 'lindero-';
/** The <detail> element lindero's own events carry (TAK clients and servers pass unknown details on). */
export const LINDERO_DETAIL = '__lindero';
/** ATAK's how for an item placed by hand on the map. */
export const HOW_PLACED_BY_HAND = 'h-g-i-g-o';

/** Atoms (`a-`) are things on the ground, in the air or at sea; the rest are map drawings, tasking and messages. */
export function isAtom(type: string): boolean {
  return type.startsWith('a-');
}

/** An event lindero made: its uid prefix, or its <__lindero> detail. */
export function isLinderoMarker(uid: string, detail: Record<string, unknown> | undefined): boolean {
  return uid.startsWith(LINDERO_UID_PREFIX) || (detail !== undefined && detail[LINDERO_DETAIL] !== undefined);
}

export interface RoleInput {
  type: string;
  how?: string;
  producerUids?: string[];
  fix: { unit: string };
}

/** Why the event is not a unit's own report, or undefined when it is one. */
export function unitRole(event: RoleInput, madeByLindero: boolean): string | undefined {
  if (madeByLindero) return "lindero's own marker";
  if (!isAtom(event.type)) return `type ${event.type} is not an atom (a-*): a map item, not a device`;
  if (event.how?.startsWith(HOW_PLACED_BY_HAND)) return `how ${event.how}: placed by hand on a map`;
  const producer = event.producerUids?.find((uid) => uid !== event.fix.unit);
  if (producer !== undefined && event.how?.startsWith('h-')) return `how ${event.how} by ${producer} (link relation p-p): a person's mark, not a device's report`;
  return undefined;
}

/**
 * ATAK's and WinTAK's emergency alerts (types b-a-o and b-a-o-*, with an <emergency> detail): the device's
 * user declared an emergency, or cancelled it (b-a-o-can). Geo-fence breaches (b-a-g) are the map's own
 * alerts, not a person's. Names as ATAK's emergency menu gives them (FreeTAKServer's RestEnumerations).
 */
const EMERGENCY_TYPE = 'b-a-o';
const EMERGENCY_PREFIX = 'b-a-o-';
const EMERGENCY_CANCEL = 'b-a-o-can';
const EMERGENCY_NAMES: Readonly<Record<string, string>> = {
  'b-a-o-tbl': '911 Alert', 'b-a-o-pan': 'Ring The Bell', 'b-a-o-opn': 'In Contact', 'b-a-o-c': 'Custom', [EMERGENCY_CANCEL]: 'Cancel',
};
/** ATAK names the emergency's event after the device: its uid and "-9-1-1". */
const EMERGENCY_UID_SUFFIX = '-9-1-1';

export interface EmergencyInput {
  type: string;
  uid: string;
  producerUids?: string[];
  /** The <emergency> element's type attribute ("911 Alert"), when sent. */
  emergencyType?: string;
}

/** Whether the CoT type is a TAK client's emergency alert or its cancellation. */
export function isEmergencyType(type: string): boolean {
  return type === EMERGENCY_TYPE || type.startsWith(EMERGENCY_PREFIX);
}

/**
 * An emergency alert as a report of the device that raised it: the unit its <link relation="p-p"> names
 * (else its uid without ATAK's "-9-1-1"), and what was declared. Its point is where the device was when
 * its user raised it (the client's own position, as in its reports). Undefined when no unit can be named.
 */
export function emergencyOf(event: EmergencyInput): { unit: string; state: 'declared' | 'cancelled'; what: string } | undefined {
  if (!isEmergencyType(event.type)) return undefined;
  const unit = event.producerUids?.[0]
    ?? (event.uid.endsWith(EMERGENCY_UID_SUFFIX) && event.uid.length > EMERGENCY_UID_SUFFIX.length ? event.uid.slice(0, -EMERGENCY_UID_SUFFIX.length) : undefined);
  if (unit === undefined) return undefined;
  const cancelled = event.type === EMERGENCY_CANCEL;
  const what = event.emergencyType ?? EMERGENCY_NAMES[event.type] ?? event.type;
  return { unit, state: cancelled ? 'cancelled' : 'declared', what };
}
