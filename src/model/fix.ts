/** Where a fix came from: the wire format or file that carried it. */
export type FixSource = 'cot' | 'osmand' | 'owntracks' | 'nmea' | 'json' | 'inreach' | 'file';

/** One position report, normalised. Everything downstream of ingest/ sees only this. */
export interface Fix {
  /** Stable unit id (CoT uid, Traccar device id, configured NMEA unit name, ...): the identity. */
  unit: string;
  /** What a person calls the unit (CoT callsign, a file's track or device name), when the source says. */
  name?: string;
  /** The team the unit belongs to (CoT <__group name>), when the source says. */
  group?: string;
  /** Device time of the fix, ms since epoch, UTC. */
  time: number;
  /** WGS84 latitude, degrees. */
  lat: number;
  /** WGS84 longitude, degrees. */
  lon: number;
  /** 1-sigma horizontal accuracy, metres; undefined when the device did not say. */
  accuracyM?: number;
  /** Altitude, metres (ellipsoidal for CoT hae; as reported otherwise). */
  altM?: number;
  /** Ground speed, metres per second. */
  speedMps?: number;
  /** Course over ground, degrees clockwise from true north. */
  courseDeg?: number;
  source: FixSource;
  /**
   * Auxiliary values left off or changed by the range rules (limits.ts), one sentence each naming the
   * field: the position was kept, these were not taken as sent.
   */
  notes?: string[];
  /**
   * The device declared an emergency with this report (an SOS: ATAK's 911 alert, a Garmin inReach SOS), or
   * cancelled one. `what` is the device's own name for it ("911 Alert", "Declare SOS").
   */
  emergency?: FixEmergency;
}

/** An emergency a report declared or cancelled. */
export interface FixEmergency {
  state: 'declared' | 'cancelled';
  what: string;
}

/**
 * An emergency declared or cancelled by a report that carried no position (an inReach SOS sent without a
 * GPS fix, ATAK's cancel sent at 0,0): not a fix, never stored as one; its alert gives the unit's last
 * known position, and says it is that.
 */
export interface PositionlessEmergency {
  unit: string;
  name?: string;
  /** Device time of the report, ms since epoch, UTC. */
  time: number;
  source: FixSource;
  emergency: FixEmergency;
  /** Why the report has no position, naming the field ("point.gpsFix is 0"). */
  reason: string;
}
