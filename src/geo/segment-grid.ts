// A uniform lon/lat grid over the segments of a line set: for each cell, every segment that passes through it.
//
// The tree search visits the boxes of every node that contains the position, and along a winding river a
// position near the line lies in several boxes at every level (some 130 box tests per query on the default
// line). Most positions asked about are near the line, and there the segments through the position's own
// cell already hold the answer: the search takes their nearest planar foot as its upper bound U, and when
// the bound's reach (r·U) stays inside the cell, no segment outside the cell can be nearer, so it is done
// with a handful of segments. Otherwise (far from the line, or near a cell's edge) the tree search runs,
// starting from that bound. Only for sets of lon/lat-straight segments, which are straight in this grid.
// The cells are kept in an open-addressing hash on the cell number: only cells the line passes through
// take memory, a few per kilometre of line.

/** Segments a cell may hold on average before the cells are made smaller (and the inverse). */
const TARGET_SEGMENTS_PER_CELL = 8;
/** Cells a segment may cover on average, so a few very long segments cannot blow the grid up. */
const MAX_CELLS_PER_SEGMENT = 8;
/** Cell membership is widened by this much (degrees, ~0.1 mm), far more than any rounding in the arithmetic. */
const PAD_DEG = 1e-9;

/** A grid's numbers and arrays, as saved beside its line set. */
export interface SegmentGridParts {
  cellDeg: number;
  minLon: number;
  minLat: number;
  cols: number;
  rows: number;
  keys: Int32Array;
  starts: Int32Array;
  counts: Int32Array;
  items: Int32Array;
}

export class SegmentGrid {
  readonly cellDeg: number;
  readonly invCellDeg: number;
  readonly minLon: number;
  readonly minLat: number;
  readonly cols: number;
  readonly rows: number;
  /** Hash table: cell number + 1 (0: empty slot), and where its segments start in `items` and how many. */
  private readonly keys: Int32Array;
  private readonly starts: Int32Array;
  private readonly counts: Int32Array;
  private readonly mask: number;
  /** Segment numbers, grouped by cell. */
  readonly items: Int32Array;

  /** Builds the grid of a set's segments, or takes one as it was saved (see parts()). */
  constructor(lon: Float64Array, lat: Float64Array, segStart: Uint32Array);
  constructor(parts: SegmentGridParts);
  constructor(lonOrParts: Float64Array | SegmentGridParts, latDeg?: Float64Array, segStartOf?: Uint32Array) {
    if (!(lonOrParts instanceof Float64Array)) {
      const p = lonOrParts;
      this.cellDeg = p.cellDeg;
      this.invCellDeg = 1 / p.cellDeg;
      this.minLon = p.minLon;
      this.minLat = p.minLat;
      this.cols = p.cols;
      this.rows = p.rows;
      this.keys = p.keys;
      this.starts = p.starts;
      this.counts = p.counts;
      this.mask = p.keys.length - 1;
      this.items = p.items;
      return;
    }
    const lon = lonOrParts, lat = latDeg!, segStart = segStartOf!;
    let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
    for (let i = 0; i < lon.length; i++) {
      if (lon[i] < minLon) minLon = lon[i];
      if (lon[i] > maxLon) maxLon = lon[i];
      if (lat[i] < minLat) minLat = lat[i];
      if (lat[i] > maxLat) maxLat = lat[i];
    }
    const n = segStart.length;
    // Cell numbers (row · cols + col) must stay well inside 32 bits.
    this.cellDeg = Math.max(chooseCellSize(lon, lat, segStart), (maxLon - minLon) / 30_000, (maxLat - minLat) / 30_000);
    this.invCellDeg = 1 / this.cellDeg;
    this.minLon = minLon - this.cellDeg;
    this.minLat = minLat - this.cellDeg;
    this.cols = Math.floor((maxLon - this.minLon) * this.invCellDeg) + 2;
    this.rows = Math.floor((maxLat - this.minLat) * this.invCellDeg) + 2;

    // Two passes over the segments' cells: count per cell, then place.
    const cellCounts = new Map<number, number>();
    let total = 0;
    for (let s = 0; s < n; s++) {
      total += this.forEachCell(lon, lat, segStart[s], (cell) => cellCounts.set(cell, (cellCounts.get(cell) ?? 0) + 1));
    }
    let size = 16;
    while (size < cellCounts.size * 2) size *= 2;
    this.mask = size - 1;
    this.keys = new Int32Array(size);
    this.starts = new Int32Array(size);
    this.counts = new Int32Array(size);
    this.items = new Int32Array(total);
    let offset = 0;
    for (const [cell, count] of cellCounts) {
      const slot = this.insertSlot(cell);
      this.keys[slot] = cell + 1;
      this.starts[slot] = offset;
      offset += count;
    }
    for (let s = 0; s < n; s++) {
      this.forEachCell(lon, lat, segStart[s], (cell) => {
        const slot = this.slotOf(cell);
        this.items[this.starts[slot] + this.counts[slot]++] = s;
      });
    }
  }

  /** What the grid is made of, for saving it with its set (restored by the constructor). */
  parts(): SegmentGridParts {
    const { cellDeg, minLon, minLat, cols, rows, keys, starts, counts, items } = this;
    return { cellDeg, minLon, minLat, cols, rows, keys, starts, counts, items };
  }

  /** Column and row of a position (which may be outside the grid: then there is no cell). */
  cellOf(lonDeg: number, latDeg: number): number {
    const col = Math.floor((lonDeg - this.minLon) * this.invCellDeg);
    const row = Math.floor((latDeg - this.minLat) * this.invCellDeg);
    if (!(col >= 0 && col < this.cols && row >= 0 && row < this.rows)) return -1;
    return row * this.cols + col;
  }

  /** Hash slot of a cell that holds segments, or -1. */
  slotOf(cell: number): number {
    let slot = Math.imul(cell, 0x9e3779b1) >>> 0 & this.mask;
    for (;;) {
      const key = this.keys[slot];
      if (key === cell + 1) return slot;
      if (key === 0) return -1;
      slot = (slot + 1) & this.mask;
    }
  }

  start(slot: number): number {
    return this.starts[slot];
  }

  count(slot: number): number {
    return this.counts[slot];
  }

  /** Bytes held (for the heap report). */
  get byteLength(): number {
    return this.keys.byteLength * 3 + this.items.byteLength;
  }

  private insertSlot(cell: number): number {
    let slot = Math.imul(cell, 0x9e3779b1) >>> 0 & this.mask;
    while (this.keys[slot] !== 0) slot = (slot + 1) & this.mask;
    return slot;
  }

  /**
   * Calls `visit` for every cell the segment from vertex a to a + 1 passes through (a straight line in lon/lat),
   * widened by PAD_DEG on every side; returns how many. Column by column: the segment's latitudes over the
   * column's longitudes give the rows.
   */
  private forEachCell(lon: Float64Array, lat: Float64Array, a: number, visit: (cell: number) => void): number {
    const x0 = lon[a], y0 = lat[a], x1 = lon[a + 1], y1 = lat[a + 1];
    const loX = Math.min(x0, x1), hiX = Math.max(x0, x1);
    const c0 = Math.floor((loX - PAD_DEG - this.minLon) * this.invCellDeg);
    const c1 = Math.floor((hiX + PAD_DEG - this.minLon) * this.invCellDeg);
    let visited = 0;
    for (let c = c0; c <= c1; c++) {
      // Longitudes of the segment inside this (widened) column, and its latitudes there.
      const xa = Math.max(loX, this.minLon + c * this.cellDeg - PAD_DEG);
      const xb = Math.min(hiX, this.minLon + (c + 1) * this.cellDeg + PAD_DEG);
      let ya: number, yb: number;
      if (x1 === x0) {
        ya = y0; yb = y1;
      } else {
        const k = (y1 - y0) / (x1 - x0);
        ya = y0 + (xa - x0) * k;
        yb = y0 + (xb - x0) * k;
      }
      const r0 = Math.floor((Math.min(ya, yb) - PAD_DEG - this.minLat) * this.invCellDeg);
      const r1 = Math.floor((Math.max(ya, yb) + PAD_DEG - this.minLat) * this.invCellDeg);
      for (let r = r0; r <= r1; r++) {
        visit(r * this.cols + c);
        visited++;
      }
    }
    return visited;
  }
}

/**
 * A cell side of about TARGET_SEGMENTS_PER_CELL median segments, made larger while the segments would cover
 * more than MAX_CELLS_PER_SEGMENT cells each on average.
 */
function chooseCellSize(lon: Float64Array, lat: Float64Array, segStart: Uint32Array): number {
  const n = segStart.length;
  const lengths = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const a = segStart[s];
    lengths[s] = Math.abs(lon[a + 1] - lon[a]) + Math.abs(lat[a + 1] - lat[a]);
  }
  const sorted = lengths.slice().sort();
  let cell = Math.max(sorted[n >> 1] * TARGET_SEGMENTS_PER_CELL, 1e-6);
  for (;;) {
    let cells = 0;
    for (let s = 0; s < n; s++) cells += lengths[s] / cell + 4;
    if (cells <= n * MAX_CELLS_PER_SEGMENT || cell >= 360) return cell;
    cell *= 2;
  }
}
