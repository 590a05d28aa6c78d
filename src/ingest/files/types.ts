import type { Fix } from '../../model/index.js';

/**
 * One item read from a track file: a fix, or a record that could not be used and why. `line` is 1-based;
 * it is 0 where the format has no lines to point at (GeoJSON is parsed whole), and then `feature` (0-based)
 * says which feature. A fix's line (absent for GeoJSON) names it when the analysis refuses it later (a
 * repeated time, out of order). A record that is no position report at all (a GPX waypoint or route point beside
 * a track: a marked or planned place; an NMEA epoch in which the receiver says it has no fix) is listed with
 * `notAReport`: not read, and not an error in the input.
 */
export type TrackItem =
  | { kind: 'fix'; fix: Fix; line?: number }
  | { kind: 'rejected'; file: string; line: number; reason: string; feature?: number; notAReport?: true };

/** Readers hand items over in batches (one per chunk read): one await per batch, not per fix. */
export type TrackBatches = AsyncGenerator<TrackItem[]>;

/** Caps that keep a hostile file from exhausting memory; defaults suit real tracks. */
export interface TrackLimits {
  /** Largest GeoJSON file read whole (JSON.parse), bytes. */
  maxGeoJsonBytes: number;
  /** Largest KMZ archive (it is read whole to find its entries), bytes. */
  maxKmzBytes: number;
  /** Largest uncompressed KML inside a KMZ, bytes (zip bombs). */
  maxKmzUncompressedBytes: number;
  /** Longest text between two XML tags (e.g. one LineString's coordinates), characters. */
  maxXmlTextChars: number;
  /** Longest CSV/TSV record, characters. */
  maxCsvLineChars: number;
}

export const DEFAULT_LIMITS: TrackLimits = {
  maxGeoJsonBytes: 128 * 1024 * 1024,
  maxKmzBytes: 128 * 1024 * 1024,
  maxKmzUncompressedBytes: 512 * 1024 * 1024,
  maxXmlTextChars: 64 * 1024 * 1024,
  maxCsvLineChars: 4096,
};

export interface ReadTrackOptions {
  /** Unit id for fixes whose file names none (else the file's base name). */
  unit?: string;
  limits?: Partial<TrackLimits>;
}

/** What every format reader is given: where the text came from and how to name units. */
export interface ReaderContext {
  /** File name used in rejections and errors. */
  file: string;
  /** Unit for fixes the file does not name. */
  fallbackUnit: string;
  limits: TrackLimits;
}
