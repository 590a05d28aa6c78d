// Which territory polygon a position is in: point-in-polygon in constant time over a grid of cells.
//
// Edges are straight in longitude/latitude (RFC 7946), as the boundary's segments are, so the polygons and
// the line agree exactly along the edges they share. Each cell keeps the edges that touch it and the
// territory its centre is in (found once, row by row, by a sweep along the row's centre line). A position
// starts from its cell's centre and toggles the territory of every edge crossed on a two-leg path to it —
// across to the centre's longitude, then along that meridian to the centre — both legs inside the cell, so
// only the cell's own edges can be crossed. Each territory's parity is kept apart (an edge two territories
// share is crossed twice, once for each, in either order); territories never overlap (the layer loader checks
// their shared edges), so at most one parity is odd at the end.
//
// The crossing rule is the even-odd ray cast to the west: a point is inside when the ray from it towards
// −180° crosses the territory's rings an odd number of times, counting an edge when one end lies strictly
// above the ray's latitude and the other not. The legs use the same rule, so a position exactly on a
// vertex's latitude is answered as the ray cast would answer it.

export interface TerritoryRing {
  territory: string;
  /** [lon, lat] pairs; closed or not. Holes are rings too: the even-odd rule needs no orientation. */
  coordinates: [number, number][];
  /** A path, not a ring: no edge from its last point back to its first (for the union's edges, below). */
  open?: boolean;
}

/** Cells per edge the grid aims at: a few edges per occupied cell keeps a query to a few dozen tests. */
const CELLS_PER_EDGE = 2;
const MIN_CELLS = 1024;
const MAX_CELLS = 1 << 20;
/**
 * Cell centres sit off the cell's middle by this irrational-looking fraction of a degree, so no centre
 * meridian or centre latitude passes through a vertex of data given to 7 decimals or fewer (the legs then
 * never meet a vertex, where the crossing count would depend on the tie rule).
 */
const CENTRE_OFFSET_DEG = 1.2345678901e-8;

/** What a grid is made of: the arrays a saved layer set stores and restores (no rebuilding at start-up). */
export interface TerritoryGridParts {
  territories: string[];
  x1: Float64Array; y1: Float64Array; x2: Float64Array; y2: Float64Array;
  edgeTerritory: Uint16Array;
  minLon: number; minLat: number; cellDeg: number; cols: number; rows: number;
  cellStart: Uint32Array; cellEdges: Uint32Array; centre: Int16Array;
}

/** A grid's edges and the lists of each cell's edges, as a saved grid's loader gives them back. */
export type TerritoryEdges = Pick<TerritoryGridParts, 'x1' | 'y1' | 'x2' | 'y2' | 'edgeTerritory' | 'cellEdges'>;

export class TerritoryGrid {
  readonly territories: string[];
  private x1: Float64Array;
  private y1: Float64Array;
  private x2: Float64Array;
  private y2: Float64Array;
  private edgeTerritory: Uint16Array;
  private minLon: number;
  private minLat: number;
  private cellDeg: number;
  private cols: number;
  private rows: number;
  private cellStart: Uint32Array;
  private cellEdges: Uint32Array;
  /** Territory index of each cell's centre, −1 when in none. */
  private centre: Int16Array;
  /** Per-territory parity and the territories touched, for one query or one row (no allocation per query). */
  private parity: Uint8Array;
  private touched: Int32Array;
  private touchedCount = 0;

  /** Builds the grid from rings, or takes a grid's parts as they were saved. */
  constructor(source: TerritoryRing[] | TerritoryGridParts) {
    this.parity = new Uint8Array(0);
    this.touched = new Int32Array(16);
    if (!Array.isArray(source)) {
      const p = source;
      this.territories = p.territories;
      this.x1 = p.x1; this.y1 = p.y1; this.x2 = p.x2; this.y2 = p.y2; this.edgeTerritory = p.edgeTerritory;
      this.minLon = p.minLon; this.minLat = p.minLat; this.cellDeg = p.cellDeg; this.cols = p.cols; this.rows = p.rows;
      this.cellStart = p.cellStart; this.cellEdges = p.cellEdges; this.centre = p.centre;
      this.parity = new Uint8Array(this.territories.length);
      return;
    }
    const rings = source;
    this.territories = [...new Set(rings.map((r) => r.territory))];
    if (this.territories.length > 0x7fff) throw new RangeError('too many territories');
    const code = new Map(this.territories.map((t, i) => [t, i]));
    let edgeCount = 0;
    for (const r of rings) edgeCount += r.coordinates.length;
    this.x1 = new Float64Array(edgeCount); this.y1 = new Float64Array(edgeCount);
    this.x2 = new Float64Array(edgeCount); this.y2 = new Float64Array(edgeCount);
    this.edgeTerritory = new Uint16Array(edgeCount);
    let n = 0, minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
    for (const ring of rings) {
      const c = ring.coordinates, t = code.get(ring.territory)!;
      for (let i = 0; i < (ring.open ? c.length - 1 : c.length); i++) {
        const a = c[i], b = c[(i + 1) % c.length];
        if (a[0] === b[0] && a[1] === b[1]) continue;
        this.x1[n] = a[0]; this.y1[n] = a[1]; this.x2[n] = b[0]; this.y2[n] = b[1]; this.edgeTerritory[n++] = t;
        minLon = Math.min(minLon, a[0]); maxLon = Math.max(maxLon, a[0]);
        minLat = Math.min(minLat, a[1]); maxLat = Math.max(maxLat, a[1]);
      }
    }
    const edges = n;
    // Repeated points were left out: the arrays end at the last edge (a saved grid is as long as it needs).
    this.x1 = this.x1.subarray(0, edges); this.y1 = this.y1.subarray(0, edges);
    this.x2 = this.x2.subarray(0, edges); this.y2 = this.y2.subarray(0, edges);
    this.edgeTerritory = this.edgeTerritory.subarray(0, edges);
    const spanLon = Math.max(maxLon - minLon, 1e-6), spanLat = Math.max(maxLat - minLat, 1e-6);
    const cells = Math.min(MAX_CELLS, Math.max(MIN_CELLS, edges * CELLS_PER_EDGE));
    this.cellDeg = Math.sqrt((spanLon * spanLat) / cells);
    this.minLon = edges ? minLon : 0;
    this.minLat = edges ? minLat : 0;
    this.cols = edges ? Math.floor(spanLon / this.cellDeg) + 1 : 0;
    this.rows = edges ? Math.floor(spanLat / this.cellDeg) + 1 : 0;
    const total = this.cols * this.rows;
    // Two passes over each edge's cells: count, then fill (compressed rows, no per-cell arrays).
    const counts = new Uint32Array(total + 1);
    for (let e = 0; e < edges; e++) this.visitCells(e, (cell) => { counts[cell + 1]++; });
    for (let i = 0; i < total; i++) counts[i + 1] += counts[i];
    this.cellStart = counts.slice();
    this.cellEdges = new Uint32Array(counts[total]);
    const fill = counts.slice(0, total);
    for (let e = 0; e < edges; e++) this.visitCells(e, (cell) => { this.cellEdges[fill[cell]++] = e; });
    this.centre = new Int16Array(total).fill(-1);
    this.parity = new Uint8Array(this.territories.length);
    this.touched = new Int32Array(16);
    this.sweepCentres();
  }

  private unionGrid: TerritoryGrid | null = null;
  /** The saved parts not unpacked yet (see later()). */
  private pending: (() => TerritoryGridParts) | null = null;
  /** The saved edges not unpacked yet (see edgesLater()). */
  private pendingEdges: (() => TerritoryEdges) | null = null;

  /**
   * A saved grid whose cells are given now and whose edges are unpacked when a query first reaches a cell
   * that has any: a cell without edges is answered by its centre alone, and most positions a grid of the
   * union is asked about (along a land border, whose shared edges the union does not have) are in such cells.
   */
  static edgesLater(cells: Omit<TerritoryGridParts, keyof TerritoryEdges>, load: () => TerritoryEdges): TerritoryGrid {
    const none = new Float64Array(0);
    const grid = new TerritoryGrid({ ...cells, x1: none, y1: none, x2: none, y2: none, edgeTerritory: new Uint16Array(0), cellEdges: new Uint32Array(0) });
    grid.pendingEdges = load;
    return grid;
  }

  /**
   * A saved grid whose arrays are unpacked on first use: a position the line decides needs only the union's
   * grid (restored beside it), so a far position pays for this one, not every start.
   */
  static later(territories: string[], load: () => TerritoryGridParts): TerritoryGrid {
    const none = new Float64Array(0);
    const grid = new TerritoryGrid({
      territories, x1: none, y1: none, x2: none, y2: none, edgeTerritory: new Uint16Array(0),
      minLon: 0, minLat: 0, cellDeg: 1, cols: 0, rows: 0, cellStart: new Uint32Array(1), cellEdges: new Uint32Array(0), centre: new Int16Array(0),
    });
    grid.pending = load;
    return grid;
  }

  private unpackEdges(): void {
    const load = this.pendingEdges;
    if (!load) return;
    this.pendingEdges = null;
    ({ x1: this.x1, y1: this.y1, x2: this.x2, y2: this.y2, edgeTerritory: this.edgeTerritory, cellEdges: this.cellEdges } = load());
  }

  /** Unpacks the saved parts, if they are not yet. */
  private unpack(): void {
    this.unpackEdges();
    if (!this.pending) return;
    const p = this.pending();
    this.pending = null;
    this.x1 = p.x1; this.y1 = p.y1; this.x2 = p.x2; this.y2 = p.y2; this.edgeTerritory = p.edgeTerritory;
    this.minLon = p.minLon; this.minLat = p.minLat; this.cellDeg = p.cellDeg; this.cols = p.cols; this.rows = p.rows;
    this.cellStart = p.cellStart; this.cellEdges = p.cellEdges; this.centre = p.centre;
  }

  /**
   * Whether (lon, lat) is in any territory. An edge two territories share is crossed once for each, which
   * leaves the parity of the union unchanged, so the union is decided by the other edges alone: along a land
   * border, where the shared edges crowd the cells, that is a handful (built on first use).
   */
  insideAny(lon: number, lat: number): boolean {
    return this.union.territoryAt(lon, lat) >= 0;
  }

  /** The grid of the union's edges (saved with the layers, so a one-shot query does not build it). */
  get union(): TerritoryGrid {
    if (this.unionGrid) return this.unionGrid;
    this.unpack();
    return (this.unionGrid = new TerritoryGrid(this.unionEdges()));
  }

  /** Takes the union's grid as it was saved (its parts, or the grid restored). */
  restoreUnion(parts: TerritoryGridParts | TerritoryGrid): void {
    this.unionGrid = parts instanceof TerritoryGrid ? parts : new TerritoryGrid(parts);
  }

  /** Every edge not shared (the same two points, either way round) with another territory's edge, as one-edge paths. */
  private unionEdges(): TerritoryRing[] {
    const key = (e: number, reverse: boolean) => reverse
      ? `${this.x2[e]},${this.y2[e]},${this.x1[e]},${this.y1[e]}`
      : `${this.x1[e]},${this.y1[e]},${this.x2[e]},${this.y2[e]}`;
    const owners = new Map<string, number>();
    for (let e = 0; e < this.x1.length; e++) owners.set(key(e, false), this.edgeTerritory[e]);
    const out: TerritoryRing[] = [];
    for (let e = 0; e < this.x1.length; e++) {
      const other = owners.get(key(e, true));
      if (other !== undefined && other !== this.edgeTerritory[e]) continue;
      out.push({ territory: 'any', open: true, coordinates: [[this.x1[e], this.y1[e]], [this.x2[e], this.y2[e]]] });
    }
    return out;
  }

  /**
   * The rings back, closed, each with its territory (for drawing them): the edges are stored ring after
   * ring, so a ring ends where the next edge does not start at the last one's end (a ring that passes
   * through its own first point, as OSM's pinched rings do, stays whole). Two rings of which the second
   * starts where the first does would come back as one, drawn the same. A ring's repeated points (left out
   * when built) stay out.
   */
  rings(): TerritoryRing[] {
    this.unpack();
    const out: TerritoryRing[] = [];
    const { x1, y1, x2, y2 } = this;
    // The arrays may end in unused room (zero-length edges, which the grid never stores otherwise).
    let edges = x1.length;
    while (edges > 0 && x1[edges - 1] === x2[edges - 1] && y1[edges - 1] === y2[edges - 1]) edges--;
    let start = 0;
    for (let e = 0; e < edges; e++) {
      if (e + 1 < edges && x2[e] === x1[e + 1] && y2[e] === y1[e + 1] && this.edgeTerritory[e + 1] === this.edgeTerritory[e]) continue;
      const coordinates: [number, number][] = [];
      for (let k = start; k <= e; k++) coordinates.push([x1[k], y1[k]]);
      coordinates.push([x2[e], y2[e]]);
      out.push({ territory: this.territories[this.edgeTerritory[start]], coordinates });
      start = e + 1;
    }
    return out;
  }

  parts(): TerritoryGridParts {
    this.unpack();
    const { territories, x1, y1, x2, y2, edgeTerritory, minLon, minLat, cellDeg, cols, rows, cellStart, cellEdges, centre } = this;
    return { territories, x1, y1, x2, y2, edgeTerritory, minLon, minLat, cellDeg, cols, rows, cellStart, cellEdges, centre };
  }

  get isEmpty(): boolean {
    this.unpack();
    return this.cols === 0;
  }

  /** Index into `territories` of the territory containing (lon, lat), or −1 when it is in none. */
  territoryAt(lon: number, lat: number): number {
    if (this.pending) this.unpack();
    const col = Math.floor((lon - this.minLon) / this.cellDeg), row = Math.floor((lat - this.minLat) / this.cellDeg);
    if (!(col >= 0 && col < this.cols && row >= 0 && row < this.rows)) return -1;
    const cell = row * this.cols + col;
    const xc = this.centreLon(col), yc = this.centreLat(row);
    const start = this.centre[cell];
    if (start >= 0) this.toggle(start);
    if (this.pendingEdges && this.cellStart[cell] < this.cellStart[cell + 1]) this.unpackEdges();
    const { x1, y1, x2, y2, edgeTerritory } = this;
    const west = Math.min(lon, xc), east = Math.max(lon, xc), south = Math.min(lat, yc), north = Math.max(lat, yc);
    for (let k = this.cellStart[cell], end = this.cellStart[cell + 1]; k < end; k++) {
      const e = this.cellEdges[k];
      const ax = x1[e], ay = y1[e], bx = x2[e], by = y2[e];
      let crossed = false;
      if ((ay > lat) !== (by > lat)) {
        const x = ax + ((lat - ay) / (by - ay)) * (bx - ax);
        if (x >= west && x < east) crossed = true;
      }
      if ((ax > xc) !== (bx > xc)) {
        const y = ay + ((xc - ax) / (bx - ax)) * (by - ay);
        if (y >= south && y < north) crossed = !crossed;
      }
      if (crossed) this.toggle(edgeTerritory[e]);
    }
    return this.settle();
  }

  /**
   * Distance in metres to the nearest edge within reachM of (lon, lat), or Infinity when none is that near.
   * Measured in the plane tangent at the position (sx, sy: metres per degree of longitude and latitude
   * there), in which the edges, straight in lon/lat, are straight: within a few kilometres that is the
   * geodesic distance to a part in 10^5 or better, far more than the confidence it feeds needs.
   */
  nearestEdgeM(lon: number, lat: number, reachM: number, sx: number, sy: number): number {
    if (this.pending) this.unpack();
    if (this.cols === 0 || !(reachM > 0)) return Infinity;
    const reachLon = reachM / sx, reachLat = reachM / sy;
    const c0 = Math.floor((lon - reachLon - this.minLon) / this.cellDeg), c1 = Math.floor((lon + reachLon - this.minLon) / this.cellDeg);
    const r0 = Math.floor((lat - reachLat - this.minLat) / this.cellDeg), r1 = Math.floor((lat + reachLat - this.minLat) / this.cellDeg);
    if (c1 < 0 || r1 < 0 || c0 >= this.cols || r0 >= this.rows) return Infinity;
    if (this.pendingEdges && this.anyEdgeIn(Math.max(0, r0), Math.min(this.rows - 1, r1), Math.max(0, c0), Math.min(this.cols - 1, c1))) this.unpackEdges();
    const { x1, y1, x2, y2 } = this;
    let best2 = reachM * reachM;
    for (let r = Math.max(0, r0); r <= Math.min(this.rows - 1, r1); r++) {
      for (let c = Math.max(0, c0); c <= Math.min(this.cols - 1, c1); c++) {
        const cell = r * this.cols + c;
        for (let k = this.cellStart[cell], end = this.cellStart[cell + 1]; k < end; k++) {
          const e = this.cellEdges[k];
          // The edge from A to B and the position P in metres from P: the foot of the perpendicular, clamped.
          const ax = (x1[e] - lon) * sx, ay = (y1[e] - lat) * sy, ux = (x2[e] - x1[e]) * sx, uy = (y2[e] - y1[e]) * sy;
          const len2 = ux * ux + uy * uy;
          const t = len2 > 0 ? Math.min(1, Math.max(0, -(ax * ux + ay * uy) / len2)) : 0;
          const fx = ax + t * ux, fy = ay + t * uy;
          const d2 = fx * fx + fy * fy;
          if (d2 < best2) best2 = d2;
        }
      }
    }
    return best2 < reachM * reachM ? Math.sqrt(best2) : Infinity;
  }

  private anyEdgeIn(r0: number, r1: number, c0: number, c1: number): boolean {
    for (let r = r0; r <= r1; r++) if (this.cellStart[r * this.cols + c0] < this.cellStart[r * this.cols + c1 + 1]) return true;
    return false;
  }

  private toggle(t: number): void {
    if (this.parity[t] === 0 && !this.wasTouched(t)) {
      if (this.touchedCount === this.touched.length) {
        const grown = new Int32Array(this.touched.length * 2);
        grown.set(this.touched);
        this.touched = grown;
      }
      this.touched[this.touchedCount++] = t;
    }
    this.parity[t] ^= 1;
  }

  private wasTouched(t: number): boolean {
    for (let i = 0; i < this.touchedCount; i++) if (this.touched[i] === t) return true;
    return false;
  }

  /** The territory whose parity is odd (the last one, should data overlap), and resets the parities. */
  private settle(): number {
    let inside = -1;
    for (let i = 0; i < this.touchedCount; i++) {
      const t = this.touched[i];
      if (this.parity[t]) inside = t;
      this.parity[t] = 0;
    }
    this.touchedCount = 0;
    return inside;
  }

  /** The territory whose parity is odd, leaving the parities as they are (for the sweep along a row). */
  private current(): number {
    for (let i = 0; i < this.touchedCount; i++) if (this.parity[this.touched[i]]) return this.touched[i];
    return -1;
  }

  private centreLon(col: number): number {
    return this.minLon + (col + 0.5) * this.cellDeg + CENTRE_OFFSET_DEG;
  }

  private centreLat(row: number): number {
    return this.minLat + (row + 0.5) * this.cellDeg + CENTRE_OFFSET_DEG;
  }

  /** Every cell the edge's bounding box touches (a superset of the cells the edge passes through). */
  private visitCells(e: number, visit: (cell: number) => void): void {
    const c0 = this.clampCol(Math.min(this.x1[e], this.x2[e])), c1 = this.clampCol(Math.max(this.x1[e], this.x2[e]));
    const r0 = this.clampRow(Math.min(this.y1[e], this.y2[e])), r1 = this.clampRow(Math.max(this.y1[e], this.y2[e]));
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) visit(r * this.cols + c);
  }

  private clampCol(lon: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((lon - this.minLon) / this.cellDeg)));
  }

  private clampRow(lat: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((lat - this.minLat) / this.cellDeg)));
  }

  /** Territory of every cell centre: along each row's centre latitude, the ray cast's crossings in order of longitude. */
  private sweepCentres(): void {
    const seenInRow = new Int32Array(this.x1.length).fill(-1);
    const xs: number[] = [], ts: number[] = [], order: number[] = [];
    for (let row = 0; row < this.rows; row++) {
      const y = this.centreLat(row);
      xs.length = 0; ts.length = 0;
      for (let col = 0; col < this.cols; col++) {
        const cell = row * this.cols + col;
        for (let k = this.cellStart[cell], end = this.cellStart[cell + 1]; k < end; k++) {
          const e = this.cellEdges[k];
          if (seenInRow[e] === row) continue;
          seenInRow[e] = row;
          const ay = this.y1[e], by = this.y2[e];
          if ((ay > y) === (by > y)) continue;
          xs.push(this.x1[e] + ((y - ay) / (by - ay)) * (this.x2[e] - this.x1[e]));
          ts.push(this.edgeTerritory[e]);
        }
      }
      order.length = 0;
      for (let i = 0; i < xs.length; i++) order.push(i);
      order.sort((a, b) => xs[a] - xs[b]);
      let next = 0;
      for (let col = 0; col < this.cols; col++) {
        const x = this.centreLon(col);
        while (next < order.length && xs[order[next]] < x) this.toggle(ts[order[next++]]);
        this.centre[row * this.cols + col] = this.current();
      }
      this.settle();
    }
  }
}
