// The layers compiled ahead of time, as bytes: a JSON header, then the flat arrays of the line set, its
// index and the territory grids, 8-byte aligned, so that restoring is viewing the bytes, not building.
// Pure (no Node APIs): the CLI saves and restores the default layers with it (src/layers/saved-layers.ts),
// and field mode on the phone restores the set it ships instead of building the index there.
import Flatbush from 'flatbush';
import type { Layers } from './layers.js';
import { LineSet } from './line-set.js';
import type { SegmentGridParts } from './segment-grid.js';
import { TerritoryGrid } from './territory-grid.js';

/** Changes whenever what is saved changes. */
const FORMAT = 'lindero-layers-5';

interface Header {
  format: string;
  sourceSha256: string;
  boundaryInfo: Layers['boundaryInfo'];
  territories: string[];
  notes: string[];
  lines: LineSet['lines'];
  junctions: number[][];
  minLon: number;
  maxLon: number;
  coverageM: number;
  /** The territory grid's numbers, when the layers have territory polygons (its arrays are among `arrays`). */
  grid: GridNumbers | null;
  union: GridNumbers | null;
  /** The line set's segment grid's numbers (its arrays are among `arrays`), when the set has a grid. */
  segmentGrid: SegmentGridNumbers | null;
  /** Byte offset and length of each array in the file, after the header. */
  arrays: Record<ArrayName, [number, number]>;
}

type GridNumbers = { territories: string[]; minLon: number; minLat: number; cellDeg: number; cols: number; rows: number };
type SegmentGridNumbers = Pick<SegmentGridParts, 'cellDeg' | 'minLon' | 'minLat' | 'cols' | 'rows'>;
type SegmentGridArrayName = 'segmentGrid_keys' | 'segmentGrid_starts' | 'segmentGrid_counts' | 'segmentGrid_items';
const SEGMENT_GRID_ARRAYS = ['keys', 'starts', 'counts', 'items'] as const;
type ArrayName = 'lonDeg' | 'latDeg' | 'segStart' | 'segLine' | 'junctionOf' | 'centredBoxes' | 'index' | GridArrayName | UnionArrayName | SegmentGridArrayName;
type GridArrayName = 'x1' | 'y1' | 'x2' | 'y2' | 'edgeTerritory' | 'cellStart' | 'cellEdges' | 'centre';
const GRID_ARRAYS: GridArrayName[] = ['x1', 'y1', 'x2', 'y2', 'edgeTerritory', 'cellStart', 'cellEdges', 'centre'];
/** The union's grid (territory-grid.ts insideAny) is saved beside the territories' under these names. */
type UnionArrayName = `union_${GridArrayName}`;

/** A boundary-only layer set (no fences) as bytes: a JSON header, then its arrays, 8-byte aligned. */
export function saveLayerBytes(layers: Layers, sourceSha256: string): Uint8Array {
  if (layers.fences) throw new Error('only boundary layers are saved');
  const set = layers.boundary;
  const arrays: [ArrayName, Uint8Array][] = [
    ['lonDeg', bytesOf(set.lonDeg)], ['latDeg', bytesOf(set.latDeg)], ['segStart', bytesOf(set.segStart)],
    ['segLine', bytesOf(set.segLine)], ['junctionOf', bytesOf(set.junctionOf)],
    ['centredBoxes', bytesOf(set.centredBoxes)], ['index', new Uint8Array(set.index.data)],
  ];
  const gridParts = layers.territoryGrid?.parts() ?? null;
  const unionParts = layers.territoryGrid?.union.parts() ?? null;
  if (gridParts) for (const name of GRID_ARRAYS) arrays.push([name, bytesOf(gridParts[name])]);
  if (unionParts) for (const name of GRID_ARRAYS) arrays.push([`union_${name}`, bytesOf(unionParts[name])]);
  // The segment grid too, built now if the set has not yet: whoever restores the set need not build it.
  const segmentGrid = set.builtGrid()?.parts() ?? null;
  if (segmentGrid) for (const name of SEGMENT_GRID_ARRAYS) arrays.push([`segmentGrid_${name}`, bytesOf(segmentGrid[name])]);
  const places = {} as Header['arrays'];
  let offset = 0;
  for (const [name, bytes] of arrays) {
    places[name] = [offset, bytes.byteLength];
    offset += Math.ceil(bytes.byteLength / 8) * 8;
  }
  const header: Header = {
    format: FORMAT, sourceSha256, boundaryInfo: layers.boundaryInfo, territories: layers.territories, notes: layers.notes,
    lines: set.lines, junctions: set.junctions, minLon: set.minLon, maxLon: set.maxLon, coverageM: layers.coverageM,
    grid: gridParts && { territories: gridParts.territories, minLon: gridParts.minLon, minLat: gridParts.minLat, cellDeg: gridParts.cellDeg, cols: gridParts.cols, rows: gridParts.rows },
    union: unionParts && { territories: unionParts.territories, minLon: unionParts.minLon, minLat: unionParts.minLat, cellDeg: unionParts.cellDeg, cols: unionParts.cols, rows: unionParts.rows },
    segmentGrid: segmentGrid && { cellDeg: segmentGrid.cellDeg, minLon: segmentGrid.minLon, minLat: segmentGrid.minLat, cols: segmentGrid.cols, rows: segmentGrid.rows },
    arrays: places,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil((headerBytes.byteLength + 8) / 8) * 8;
  const out = new Uint8Array(headerLength + offset);
  new DataView(out.buffer).setUint32(0, headerBytes.byteLength, true);
  out.set(headerBytes, 8);
  for (const [name, bytes] of arrays) out.set(bytes, headerLength + places[name][0]);
  return out;
}

/**
 * The saved layers, or null when the bytes are not a saved set of this format built from `sourceSha256`
 * (null: from whatever source they say, for a file shipped together with the code that reads it).
 */
export function restoreLayerBytes(file: Uint8Array, sourceSha256: string | null): Layers | null {
  try {
    const length = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(0, true);
    const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + length))) as Header;
    if (header.format !== FORMAT || (sourceSha256 !== null && header.sourceSha256 !== sourceSha256)) return null;
    // One aligned copy of the arrays, which the typed arrays then share.
    const headerLength = Math.ceil((length + 8) / 8) * 8;
    // The typed arrays view the bytes where they lie when those are 8-byte aligned (a file read whole is),
    // else one aligned copy of them, which the typed arrays then share.
    const aligned = (file.byteOffset + headerLength) % 8 === 0;
    const body = aligned ? file.subarray(headerLength) : new Uint8Array(file.byteLength - headerLength);
    if (!aligned) body.set(file.subarray(headerLength));
    const at = (name: ArrayName): [ArrayBuffer, number, number] => [body.buffer as ArrayBuffer, body.byteOffset + header.arrays[name][0], header.arrays[name][1]];
    const f64 = (name: ArrayName) => { const [b, o, n] = at(name); return new Float64Array(b, o, n / 8); };
    const u32 = (name: ArrayName) => { const [b, o, n] = at(name); return new Uint32Array(b, o, n / 4); };
    const i32 = (name: ArrayName) => { const [b, o, n] = at(name); return new Int32Array(b, o, n / 4); };
    const [indexBuffer, indexOffset, indexLength] = at('index');
    const sg = header.segmentGrid;
    const { [1]: junctionBytes } = header.arrays.junctionOf;
    const boundary = new LineSet({
      lines: header.lines,
      lonDeg: f64('lonDeg'),
      latDeg: f64('latDeg'),
      segStart: u32('segStart'),
      segLine: u32('segLine'),
      junctionOf: new Int32Array(body.buffer as ArrayBuffer, body.byteOffset + header.arrays.junctionOf[0], junctionBytes / 4),
      junctions: header.junctions,
      index: Flatbush.from(indexBuffer.slice(indexOffset, indexOffset + indexLength)),
      centredBoxes: f64('centredBoxes'),
      minLon: header.minLon,
      maxLon: header.maxLon,
      grid: sg ? { ...sg, keys: i32('segmentGrid_keys'), starts: i32('segmentGrid_starts'), counts: i32('segmentGrid_counts'), items: i32('segmentGrid_items') } : undefined,
    });
    const g = header.grid;
    const typed = <T>(make: (b: ArrayBuffer, o: number, n: number) => T, name: ArrayName) => { const [b, o, n] = at(name); return make(b, o, n); };
    const gridParts = (numbers: GridNumbers, prefix: '' | 'union_') => {
      const name = (n: GridArrayName) => `${prefix}${n}` as ArrayName;
      return {
        ...numbers,
        x1: f64(name('x1')), y1: f64(name('y1')), x2: f64(name('x2')), y2: f64(name('y2')),
        edgeTerritory: typed((b, o, n) => new Uint16Array(b, o, n / 2), name('edgeTerritory')),
        cellStart: u32(name('cellStart')), cellEdges: u32(name('cellEdges')),
        centre: typed((b, o, n) => new Int16Array(b, o, n / 2), name('centre')),
      };
    };
    const territoryGrid = g && new TerritoryGrid(gridParts(g, ''));
    if (territoryGrid && header.union) territoryGrid.restoreUnion(gridParts(header.union, 'union_'));
    return {
      boundary, boundaryInfo: header.boundaryInfo, fences: null, fenceInfo: [], territories: header.territories,
      territoryGrid, coverageM: header.coverageM, notes: header.notes,
    };
  } catch {
    return null;
  }
}

function bytesOf(a: Float64Array | Uint32Array | Int32Array | Uint16Array | Int16Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
