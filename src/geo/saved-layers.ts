// The layers compiled ahead of time, as bytes: a JSON header, then the arrays of the line set, its index and
// the territory grids, each 8-byte aligned, so that restoring is viewing or unpacking the bytes, not building.
// Pure (no Node APIs): the CLI saves and restores the default layers with it (src/layers/saved-layers.ts),
// and field mode on the phone restores the set it ships instead of building the index there.
//
// The file is small because the phone reads it at every start, and quick to restore because the phone
// restores it there: float coordinates that are decimals of a few places (the shipped data has five) are
// kept as 32-bit whole numbers of a power of ten's fraction of a degree, integer arrays that are mostly runs
// of one step (a grid's cells are mostly empty) as those runs, the territory edges as the chains of vertices
// they are (each inner vertex once), and what is cheaply derived (the search's centred boxes) not at all.
// Every encoding is checked when saving to give back exactly the same numbers (bit for bit); an array no
// encoding gives back exactly, or that none makes much smaller, is kept as it is and viewed where it lies.
import Flatbush from 'flatbush';
import type { Layers } from './layers.js';
import { LineSet } from './line-set.js';
import type { SegmentGridParts } from './segment-grid.js';
import { TerritoryGrid, type TerritoryEdges, type TerritoryGridParts } from './territory-grid.js';

/** Changes whenever what is saved changes (a file of another format is not restored: its reader rebuilds). */
const FORMAT = 'lindero-layers-7';

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
  /** Where each array is in the file, after the header, and how it is written. */
  arrays: Record<string, Place>;
}

/**
 * Byte offset and length in the body, how the array is written, and how many numbers it holds: 'raw' the
 * array's own bytes; 'scaled' a float array's numbers times `scale`, as Int32 (each whole and giving back the
 * float exactly when divided by it); 'runs' an integer array as (step from the number before, how many
 * times in a row) pairs, zigzag LEB128.
 */
type Place = [offset: number, bytes: number, encoding: 'raw' | 'scaled' | 'runs', count: number, scale?: number];

type GridNumbers = { territories: string[]; minLon: number; minLat: number; cellDeg: number; cols: number; rows: number };
type SegmentGridNumbers = Pick<SegmentGridParts, 'cellDeg' | 'minLon' | 'minLat' | 'cols' | 'rows'>;
type IntArray = Uint32Array | Int32Array | Uint16Array | Int16Array;

/** A boundary-only layer set (no fences) as bytes: a JSON header, then its arrays, 8-byte aligned. */
export function saveLayerBytes(layers: Layers, sourceSha256: string): Uint8Array {
  if (layers.fences) throw new Error('only boundary layers are saved');
  const set = layers.boundary;
  const writer = new BodyWriter();
  writer.floats('lonDeg', set.lonDeg);
  writer.floats('latDeg', set.latDeg);
  writer.ints('segStart', set.segStart);
  writer.ints('segLine', set.segLine);
  writer.ints('junctionOf', set.junctionOf);
  // The index as its header, its boxes (each a segment's or a node's corners: vertices' coordinates, so they
  // scale to whole numbers as the vertices do) and its item numbers; put back together when restored.
  writer.raw('index_header', new Uint8Array(set.index.data, 0, 8));
  writer.floats('index_boxes', Float64Array.from(set.index._boxes));
  writer.ints('index_indices', set.index._indices);
  const gridParts = layers.territoryGrid?.parts() ?? null;
  const unionParts = layers.territoryGrid?.union.parts() ?? null;
  if (gridParts) writeGrid(writer, '', gridParts);
  if (unionParts) writeGrid(writer, 'union_', unionParts);
  // The segment grid too, built now if the set has not yet: whoever restores the set need not build it.
  const segmentGrid = set.builtGrid()?.parts() ?? null;
  if (segmentGrid) for (const name of SEGMENT_GRID_ARRAYS) writer.ints(`segmentGrid_${name}`, segmentGrid[name]);
  const numbers = (p: TerritoryGridParts): GridNumbers => ({ territories: p.territories, minLon: p.minLon, minLat: p.minLat, cellDeg: p.cellDeg, cols: p.cols, rows: p.rows });
  const header: Header = {
    format: FORMAT, sourceSha256, boundaryInfo: layers.boundaryInfo, territories: layers.territories, notes: layers.notes,
    lines: set.lines, junctions: set.junctions, minLon: set.minLon, maxLon: set.maxLon, coverageM: layers.coverageM,
    grid: gridParts && numbers(gridParts),
    union: unionParts && numbers(unionParts),
    segmentGrid: segmentGrid && { cellDeg: segmentGrid.cellDeg, minLon: segmentGrid.minLon, minLat: segmentGrid.minLat, cols: segmentGrid.cols, rows: segmentGrid.rows },
    arrays: writer.places,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil((headerBytes.byteLength + 8) / 8) * 8;
  const out = new Uint8Array(headerLength + writer.length);
  new DataView(out.buffer).setUint32(0, headerBytes.byteLength, true);
  out.set(headerBytes, 8);
  for (const [name, bytes] of writer.chunks) out.set(bytes, headerLength + writer.places[name][0]);
  return out;
}

const SEGMENT_GRID_ARRAYS = ['keys', 'starts', 'counts', 'items'] as const;

/**
 * A territory grid's arrays. Its edges are written as chains of vertices (an edge that starts where the one
 * before it ended adds one vertex) and the edges at which a chain starts.
 */
function writeGrid(writer: BodyWriter, prefix: '' | 'union_', p: TerritoryGridParts): void {
  const { x1, y1, x2, y2 } = p;
  const edges = x1.length;
  const chainStarts: number[] = [];
  const vx: number[] = [], vy: number[] = [];
  for (let e = 0; e < edges; e++) {
    if (e === 0 || !(Object.is(x1[e], x2[e - 1]) && Object.is(y1[e], y2[e - 1]))) {
      chainStarts.push(e);
      vx.push(x1[e]); vy.push(y1[e]);
    }
    vx.push(x2[e]); vy.push(y2[e]);
  }
  writer.floats(`${prefix}vx`, Float64Array.from(vx));
  writer.floats(`${prefix}vy`, Float64Array.from(vy));
  writer.ints(`${prefix}chainStarts`, Uint32Array.from(chainStarts));
  writer.ints(`${prefix}edgeTerritory`, p.edgeTerritory);
  writer.ints(`${prefix}cellStart`, p.cellStart);
  writer.ints(`${prefix}cellEdges`, p.cellEdges);
  writer.ints(`${prefix}centre`, p.centre);
}

function readGrid(body: BodyReader, prefix: '' | 'union_', numbers: GridNumbers): TerritoryGridParts {
  return { ...readCells(body, prefix, numbers), ...readEdges(body, prefix) };
}

function readCells(body: BodyReader, prefix: '' | 'union_', numbers: GridNumbers): Omit<TerritoryGridParts, keyof TerritoryEdges> {
  return { ...numbers, cellStart: body.ints(`${prefix}cellStart`, Uint32Array), centre: body.ints(`${prefix}centre`, Int16Array) };
}

/**
 * The index put back together in a buffer of its own: it keeps its buffer (and saves it whole), which must
 * not be the file's (the bytes may be a Node Buffer, whose slice() is a view).
 */
function readIndex(body: BodyReader): Flatbush {
  const header = body.bytes('index_header');
  const boxes = body.floats('index_boxes');
  // Flatbush's own rule for the item numbers' type.
  const numNodes = boxes.length / 4;
  const indices: Uint16Array | Uint32Array = numNodes < 16384 ? body.ints('index_indices', Uint16Array) : body.ints('index_indices', Uint32Array);
  const data = new ArrayBuffer(8 + boxes.byteLength + indices.byteLength);
  new Uint8Array(data).set(header);
  new Float64Array(data, 8, boxes.length).set(boxes);
  new Uint8Array(data, 8 + boxes.byteLength).set(bytesOf(indices));
  return Flatbush.from(data);
}

/** The edges, from the chains of vertices they were written as (see writeGrid), and the cells' lists of them. */
function readEdges(body: BodyReader, prefix: '' | 'union_'): TerritoryEdges {
  const vx = body.floats(`${prefix}vx`), vy = body.floats(`${prefix}vy`);
  const chainStarts = body.ints(`${prefix}chainStarts`, Uint32Array);
  const edges = vx.length - chainStarts.length;
  const x1 = new Float64Array(edges), y1 = new Float64Array(edges), x2 = new Float64Array(edges), y2 = new Float64Array(edges);
  // Chain by chain: its edges' starts are its vertices but the last, their ends all but the first.
  for (let chain = 0; chain < chainStarts.length; chain++) {
    const e0 = chainStarts[chain], e1 = chain + 1 < chainStarts.length ? chainStarts[chain + 1] : edges;
    const v0 = e0 + chain, v1 = e1 + chain;
    x1.set(vx.subarray(v0, v1), e0); y1.set(vy.subarray(v0, v1), e0);
    x2.set(vx.subarray(v0 + 1, v1 + 1), e0); y2.set(vy.subarray(v0 + 1, v1 + 1), e0);
  }
  return {
    x1, y1, x2, y2, edgeTerritory: body.ints(`${prefix}edgeTerritory`, Uint16Array), cellEdges: body.ints(`${prefix}cellEdges`, Uint32Array),
  };
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
    const headerLength = Math.ceil((length + 8) / 8) * 8;
    // The arrays kept as they are view the bytes where they lie when those are 8-byte aligned (a file read
    // whole is), else one aligned copy of them, which they then share.
    const aligned = (file.byteOffset + headerLength) % 8 === 0;
    const bodyBytes = aligned ? file.subarray(headerLength) : new Uint8Array(file.byteLength - headerLength);
    if (!aligned) bodyBytes.set(file.subarray(headerLength));
    const body = new BodyReader(bodyBytes, header.arrays);
    const sg = header.segmentGrid;
    const boundary = new LineSet({
      lines: header.lines,
      lonDeg: body.floats('lonDeg'),
      latDeg: body.floats('latDeg'),
      segStart: body.ints('segStart', Uint32Array),
      segLine: body.ints('segLine', Uint32Array),
      junctionOf: body.ints('junctionOf', Int32Array),
      junctions: header.junctions,
      index: readIndex(body),
      minLon: header.minLon,
      maxLon: header.maxLon,
      grid: sg ? {
        ...sg, keys: body.ints('segmentGrid_keys', Int32Array), starts: body.ints('segmentGrid_starts', Int32Array),
        counts: body.ints('segmentGrid_counts', Int32Array), items: body.ints('segmentGrid_items', Int32Array),
      } : undefined,
    });
    // The union's cells now (every position the line decides asks it), its edges when a position is in a
    // cell that has any; the territories' own grid on first use.
    const grid = header.grid, union = header.union;
    const territoryGrid = grid && TerritoryGrid.later(grid.territories, () => readGrid(body, '', grid));
    if (territoryGrid && union) territoryGrid.restoreUnion(TerritoryGrid.edgesLater(readCells(body, 'union_', union), () => readEdges(body, 'union_')));
    return {
      boundary, boundaryInfo: header.boundaryInfo, fences: null, fenceInfo: [], territories: header.territories,
      territoryGrid, coverageM: header.coverageM, notes: header.notes,
    };
  } catch {
    return null;
  }
}

/** The arrays as they are written: each in its smallest exact form, 8-byte aligned one after the other. */
class BodyWriter {
  readonly places: Record<string, Place> = {};
  readonly chunks: [string, Uint8Array][] = [];
  length = 0;

  private put(name: string, bytes: Uint8Array, encoding: Place[2], count: number, scale?: number): void {
    this.places[name] = scale === undefined ? [this.length, bytes.byteLength, encoding, count] : [this.length, bytes.byteLength, encoding, count, scale];
    this.chunks.push([name, bytes]);
    this.length += Math.ceil(bytes.byteLength / 8) * 8;
  }

  raw(name: string, bytes: Uint8Array): void {
    this.put(name, bytes, 'raw', bytes.byteLength);
  }

  /** Float64 numbers as Int32 multiples of the smallest power of ten's fraction that gives every one back exactly, if any does. */
  floats(name: string, a: Float64Array): void {
    for (let scale = 1; scale <= 1e9; scale *= 10) {
      const whole = scaledExactly(a, scale);
      if (whole) return this.put(name, bytesOf(whole), 'scaled', a.length, scale);
    }
    this.put(name, bytesOf(a), 'raw', a.length);
  }

  /**
   * Integers as runs of steps when that is a small fraction of the array (restoring a run of equal numbers is
   * one fill), else as they are.
   */
  ints(name: string, a: IntArray): void {
    const byRun = runs(a);
    if (byRun.byteLength * RUNS_AT_MOST < a.byteLength) this.put(name, byRun, 'runs', a.length);
    else this.put(name, bytesOf(a), 'raw', a.length);
  }
}

/** Runs are written only when they take at most this fraction (inverse) of the array's own bytes. */
const RUNS_AT_MOST = 16;

class BodyReader {
  /** Checks that every array lies within the body (so an array unpacked later cannot run past it). */
  constructor(private readonly body: Uint8Array, private readonly places: Record<string, Place>) {
    for (const [name, [offset, bytes, encoding, count]] of Object.entries(places)) {
      const size = encoding === 'runs' ? bytes : encoding === 'scaled' ? count * 4 : bytes;
      if (!(offset >= 0 && offset % 8 === 0 && bytes === size && offset + bytes <= body.byteLength)) throw new RangeError(`${name}: not where the header says`);
    }
  }

  bytes(name: string): Uint8Array {
    const [offset, length] = this.places[name];
    return this.body.subarray(offset, offset + length);
  }

  floats(name: string): Float64Array {
    const [offset, , encoding, count, scale] = this.places[name];
    if (encoding === 'raw') return new Float64Array(this.body.buffer, this.body.byteOffset + offset, count);
    if (encoding !== 'scaled' || scale === undefined) throw new RangeError(`${name}: not a float array`);
    const whole = new Int32Array(this.body.buffer, this.body.byteOffset + offset, count);
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = whole[i] / scale;
    return out;
  }

  ints<T extends IntArray>(name: string, type: { new(buffer: ArrayBuffer, offset: number, length: number): T; new(length: number): T }): T {
    const [offset, , encoding, count] = this.places[name];
    if (encoding === 'raw') return new type(this.body.buffer as ArrayBuffer, this.body.byteOffset + offset, count);
    const out = new type(count);
    readRuns(this.bytes(name), out);
    return out;
  }
}

/** The numbers times `scale` as Int32 when each is a whole number that gives the number back exactly, else null. */
function scaledExactly(a: Float64Array, scale: number): Int32Array | null {
  const out = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const k = Math.round(a[i] * scale);
    if (!(Math.abs(k) <= 0x7fffffff) || !Object.is(k / scale, a[i])) return null;
    out[i] = k;
  }
  return out;
}

/** Zigzag LEB128 of whole numbers of up to 2^52 in size (arithmetic, not 32-bit bit operations): the runs' numbers. */
class VarintWriter {
  private bytes = new Uint8Array(1024);
  length = 0;

  write(value: number): void {
    let z = value >= 0 ? value * 2 : -value * 2 - 1;
    if (this.length + 8 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    while (z >= 128) {
      this.bytes[this.length++] = (z % 128) | 128;
      z = Math.floor(z / 128);
    }
    this.bytes[this.length++] = z;
  }

  done(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** The differences as (difference, how many times in a row) pairs. */
function runs(a: ArrayLike<number>): Uint8Array {
  const w = new VarintWriter();
  let previous = 0;
  for (let i = 0; i < a.length;) {
    const step = a[i] - previous;
    let j = i + 1;
    while (j < a.length && a[j] - a[j - 1] === step) j++;
    w.write(step);
    w.write(j - i);
    previous = a[j - 1];
    i = j;
  }
  return w.done();
}

function readRuns(bytes: Uint8Array, out: IntArray): void {
  // The zigzag LEB128 numbers (see VarintWriter) read inline: this runs once per start over hundreds of
  // thousands of numbers, before the engine has optimised it.
  let p = 0, value = 0;
  const n = bytes.length;
  for (let i = 0; i < out.length;) {
    let z = 0, scale = 1, b: number;
    do {
      b = bytes[p++];
      z += (b & 127) * scale;
      scale *= 128;
    } while (b >= 128);
    const step = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    let zc = 0;
    scale = 1;
    do {
      b = bytes[p++];
      zc += (b & 127) * scale;
      scale *= 128;
    } while (b >= 128);
    // A count is positive, so even in zigzag form.
    const count = zc / 2;
    if (!(count > 0 && Number.isInteger(count)) || i + count > out.length || p > n) throw new RangeError('saved array does not end where it should');
    const end = i + count;
    if (step === 0) {
      out.fill(value, i, end);
      i = end;
    } else if (count === 1) {
      out[i++] = value += step;
    } else {
      for (; i < end; i++) out[i] = value += step;
    }
  }
  if (p !== n) throw new RangeError('saved array does not end where it should');
}

function bytesOf(a: Float64Array | IntArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
