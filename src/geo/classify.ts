import type { Layers } from './layers.js';
import type { ClassifyOptions, Determination, Position } from './types.js';

/** Which side of the boundary, how far, how sure. Pure: no I/O, no clock. */
export function classify(position: Position, layers: Layers, options: ClassifyOptions = {}): Determination {
  void position; void layers; void options;
  throw new Error('classify: not implemented yet');
}
