// Errors are values with a code and a place; the edge (CLI, HTTP) turns them into messages.
// This file is the one leaf every module may import.

export interface Place {
  /** File the input came from. */
  file?: string;
  /** 1-based line number in that file or stream. */
  line?: number;
  /** 1-based column, where known. */
  column?: number;
  /** 0-based index of a feature in a FeatureCollection. */
  feature?: number;
  /** 0-based index of an item in a batch (e.g. a JSON array of fixes). */
  index?: number;
  /** Byte offset in a stream. */
  byte?: number;
  /** Name of the field or argument that was wrong. */
  field?: string;
}

export class LinderoError extends Error {
  readonly code: string;
  readonly place: Place;
  constructor(code: string, message: string, place: Place = {}) {
    super(message);
    this.name = 'LinderoError';
    this.code = code;
    this.place = place;
  }

  /** The message prefixed with where the problem is, e.g. "fences.kml, line 12, field 'name': ...". */
  describe(): string {
    const where = describePlace(this.place);
    return where ? `${where}: ${this.message}` : this.message;
  }
}

export function describePlace(place: Place): string {
  const parts: string[] = [];
  if (place.file) parts.push(place.file);
  if (place.line !== undefined) parts.push(`line ${place.line}` + (place.column !== undefined ? `, column ${place.column}` : ''));
  if (place.feature !== undefined) parts.push(`feature ${place.feature}`);
  if (place.index !== undefined) parts.push(`item ${place.index}`);
  if (place.byte !== undefined) parts.push(`byte ${place.byte}`);
  if (place.field) parts.push(`field '${place.field}'`);
  return parts.join(', ');
}

export function isLinderoError(e: unknown): e is LinderoError {
  return e instanceof LinderoError;
}

/** Whether the store itself failed (closed, unreachable, cut off, full, corrupt), not what was asked of it. */
export function isStoreFailure(e: unknown): e is LinderoError {
  return e instanceof LinderoError && e.code.startsWith('store-') && !e.code.startsWith('store-bad');
}

/** An error as plain data, to cross to or from a worker thread (a structured clone keeps no LinderoError class). */
export type WireError =
  | { lindero: true; code: string; message: string; place: Place }
  | { lindero: false; name: string; message: string; stack?: string };

export function errorToWire(e: unknown): WireError {
  if (e instanceof LinderoError) return { lindero: true, code: e.code, message: e.message, place: e.place };
  const error = e instanceof Error ? e : new Error(String(e));
  return { lindero: false, name: error.name, message: error.message, stack: error.stack };
}

export function errorFromWire(wire: WireError): Error {
  if (wire.lindero) return new LinderoError(wire.code, wire.message, wire.place);
  const error = new Error(wire.message);
  error.name = wire.name;
  if (wire.stack) error.stack = wire.stack;
  return error;
}
