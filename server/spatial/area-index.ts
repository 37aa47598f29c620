/**
 * Point-in-area location for a partition: many points against a set of non-overlapping
 * (Multi)Polygons (DeSO, primärområden, …) in a projected CRS.
 *
 * ## Boundary rule
 *
 * Every point gets at most one area, and a point on the boundary of the partition's union gets one:
 *
 * 1. The half-open crossing-number rule decides first. A ring edge (xi, yi)–(xj, yj) is crossed by the
 *    rightward ray from (x, y) when `(yi > y) !== (yj > y)` and x < xi + (y − yi) · (xj − xi) / (yj − yi)
 *    (the point lies strictly left of the edge); an area contains the point when its edges are crossed an
 *    odd number of times. This treats a point as if nudged infinitesimally right and up, so a point
 *    exactly on an edge shared by two areas — or on a vertex shared by three or more — falls in exactly
 *    one of them: the one to its upper right. Each edge is stored with its lower endpoint first and the
 *    test evaluated as x0 + (y − y0) · (dx/dy) with dx/dy precomputed; where that lies within its
 *    rounding error of x, an exact orientation test on the edge's stored doubles decides instead. Both
 *    areas sharing an edge hold the same four doubles, so they cannot disagree.
 * 2. Nudged right and up, a point on the partition's outer right or top boundary (or on the rim of a
 *    hole no area fills) lands outside every area. When step 1 finds no area, the point is tested for
 *    lying exactly on an edge — collinear by an exact orientation test on the given doubles and within
 *    the segment's bounds — and then belongs to that edge's area (the lowest id if several).
 * 3. Otherwise the answer is -1, as it is for non-finite coordinates.
 *
 * Every point is decided exactly on the given doubles, as PostGIS decides ST_Covers: the area returned
 * covers the point, and a point that some area covers gets one, however close to an edge it lies. So the
 * coordinates must be the stored ones: rounded (say to millimetres), a vertex of the stored outline may
 * fall just outside the index's. Areas must not overlap; where they do, a point in the overlap gets one of
 * them, unspecified which.
 *
 * ## Layout
 *
 * A uniform grid covers the extent of all vertices. Each cell lists the edges touching it. A cell no
 * edge touches lies wholly in one area (or in none), found once at build time, so a point there costs
 * a few array reads. In a cell that edges touch, the ray from the point only has to be followed to the
 * next untouched cell to the right, whose area is known: the cell keeps that area and the (deduplicated)
 * edges of the cells in between, all in flat typed arrays. The ray's crossings past that cell add up to
 * the known area's membership, so only the listed edges are tested. Where the way to the left is
 * shorter, the cell keeps the leftward list instead; it gives the same answers (see resolveLeft).
 */

export interface IndexArea {
  id: number
  /** GeoJSON MultiPolygon coordinates in a projected CRS (metres) */
  coordinates: number[][][][]
}

export interface AreaIndexOptions {
  /** Grid cell side in the coordinates' unit; by default chosen from the number of edges and the extent. */
  cellSize?: number
}

const NO_AREA = -1
const MAX_ID = 0x7fffffff
// Upper bound on grid cells: ~16 bytes each, so at most ~270 MB of grid.
const MAX_CELLS = 1 << 24
// Default grid size, from measurements on Göteborg's DeSO, RegSO, primär- and stadsområden (30k–140k
// edges): speed levels off at about half a million cells (cells of 50–70 m, 3–6 % of them touched by
// an edge, 8–20 MiB), and smaller grids pay for it in longer edge lists. Small inputs get fewer cells.
const MIN_DEFAULT_CELLS = 1 << 19
const MAX_DEFAULT_CELLS = 1 << 22

export class AreaIndex {
  /** Number of areas. */
  readonly size: number
  /** Grid cell side used. */
  readonly cellSize: number

  private readonly minX: number
  private readonly minY: number
  private readonly maxX: number
  private readonly maxY: number
  private readonly inv: number
  private readonly cols: number
  /**
   * Per cell, 4 ints side by side so a lookup touches one cache line: start of its edge list in
   * ownEdges (the next cell's start ends it; one extra record closes the last); the area of an untouched
   * cell, or for a touched one of the first untouched cell its ray reaches (-1: none); and the range
   * [from, to) of crossing entries its ray must test, `to` stored as ~to for a leftward ray.
   */
  private readonly cells: Int32Array
  /** Crossing entries, 4 doubles each: lower y, upper y, x at lower y, dx/dy; never horizontal. */
  private readonly cross: Float64Array
  private readonly crossArea: Int32Array
  /** Each crossing entry's edge, for the exact test. */
  private readonly crossEdge: Int32Array
  /** Bound on the rounding error of a crossing entry's x at the point's y; nearer than that, the exact test decides. */
  private readonly slack: number
  /** Edges touching each cell, cell after cell (for the exact on-edge test). */
  private readonly ownEdges: Int32Array
  /** Edges, 4 doubles each: x0, y0, x1, y1 with y0 < y1 or (y0 = y1 and x0 < x1). */
  private readonly edges: Float64Array
  private readonly edgeArea: Int32Array
  /** Collects the areas of crossed edges; as long as the longest list, so it never overflows. */
  private readonly scratch: Int32Array

  private constructor(f: {
    size: number; cellSize: number; minX: number; minY: number; maxX: number; maxY: number; cols: number
    cells: Int32Array; cross: Float64Array; crossArea: Int32Array; crossEdge: Int32Array; slack: number
    ownEdges: Int32Array; edges: Float64Array; edgeArea: Int32Array; scratch: Int32Array
  }) {
    this.size = f.size
    this.cellSize = f.cellSize
    this.minX = f.minX
    this.minY = f.minY
    this.maxX = f.maxX
    this.maxY = f.maxY
    this.inv = 1 / f.cellSize
    this.cols = f.cols
    this.cells = f.cells
    this.cross = f.cross
    this.crossArea = f.crossArea
    this.crossEdge = f.crossEdge
    this.slack = f.slack
    this.ownEdges = f.ownEdges
    this.edges = f.edges
    this.edgeArea = f.edgeArea
    this.scratch = f.scratch
  }

  /** Builds the index. Ids must be distinct integers in 0…2³¹−1; the input is only read. */
  static build(areas: readonly IndexArea[], opts: AreaIndexOptions = {}): AreaIndex {
    const { edges, edgeArea, minX, minY, maxX, maxY } = readEdges(areas)
    const nEdges = edgeArea.length
    const slack = crossingSlack(edges, minX, maxX)
    const width = maxX - minX
    const height = maxY - minY

    let cellSize: number
    if (opts.cellSize !== undefined) {
      if (typeof opts.cellSize !== 'number' || !Number.isFinite(opts.cellSize) || opts.cellSize <= 0) {
        throw new RangeError(`AreaIndex.build: cellSize must be a finite number > 0, got ${String(opts.cellSize)}`)
      }
      cellSize = opts.cellSize
    } else {
      const target = Math.min(MAX_DEFAULT_CELLS, Math.max(MIN_DEFAULT_CELLS, 4 * nEdges), Math.max(1024, 64 * nEdges))
      cellSize = Math.sqrt((width * height) / target) || Math.max(width, height) / Math.sqrt(target) || 1
    }
    const inv = 1 / cellSize
    const cols = Math.floor(width * inv) + 1
    const rows = Math.floor(height * inv) + 1
    if (cols * rows > MAX_CELLS) {
      throw new RangeError(
        `AreaIndex.build: cellSize ${cellSize} gives a ${cols} × ${rows} grid over the ${width} × ${height} extent; at most ${MAX_CELLS} cells`,
      )
    }
    const nCells = cols * rows
    const cellX = (x: number) => Math.min(cols - 1, Math.max(0, Math.floor((x - minX) * inv)))
    const cellY = (y: number) => Math.min(rows - 1, Math.max(0, Math.floor((y - minY) * inv)))
    // Widens every edge's footprint well beyond rounding, so a cell's list is a superset of what it needs.
    const pad = Math.max(cellSize * 1e-6, 1e-12 * Math.max(Math.abs(minX), Math.abs(maxX), Math.abs(minY), Math.abs(maxY)))

    // Cells each edge touches, visited twice: once to count, once to fill (CSR).
    const visit = (e: number, emit: (cell: number) => void) => {
      const x0 = edges[4 * e]!, y0 = edges[4 * e + 1]!, x1 = edges[4 * e + 2]!, y1 = edges[4 * e + 3]!
      const r1 = cellY(y1 + pad)
      for (let r = cellY(y0 - pad); r <= r1; r++) {
        const lo = Math.max(y0, minY + r * cellSize - pad)
        const hi = Math.min(y1, minY + (r + 1) * cellSize + pad)
        if (lo > hi) continue
        let xa = x0, xb = x1
        if (y0 !== y1) {
          xa = x0 + ((lo - y0) * (x1 - x0)) / (y1 - y0)
          xb = x0 + ((hi - y0) * (x1 - x0)) / (y1 - y0)
          if (xa > xb) [xa, xb] = [xb, xa]
        }
        const c1 = cellX(xb + pad)
        for (let c = cellX(xa - pad); c <= c1; c++) emit(r * cols + c)
      }
    }
    const ownStart = new Int32Array(nCells + 1)
    for (let e = 0; e < nEdges; e++) visit(e, (cell) => { ownStart[cell + 1]!++ })
    for (let c = 0; c < nCells; c++) ownStart[c + 1]! += ownStart[c]!
    const ownEdges = new Int32Array(ownStart[nCells]!)
    const fill = ownStart.slice(0, nCells)
    for (let e = 0; e < nEdges; e++) visit(e, (cell) => { ownEdges[fill[cell]!++] = e })

    // Per row, first right to left: a touched cell's list for the rightward ray is the run of edges met
    // since the last untouched cell, whose area the same run decides. Then left to right for the
    // leftward ray; each cell keeps the shorter list. Both rays give identical answers (see resolve).
    const cellRef = new Int32Array(nCells)
    const cellFrom = new Int32Array(nCells)
    const cellTo = new Int32Array(nCells)
    let cross = new Float64Array(4 * Math.max(16, ownEdges.length))
    let crossArea = new Int32Array(Math.max(16, ownEdges.length))
    let crossEdge = new Int32Array(crossArea.length)
    let len = 0
    const push = (e: number) => {
      if (len === crossArea.length) {
        const grownCross = new Float64Array(cross.length * 2)
        grownCross.set(cross)
        cross = grownCross
        const grownArea = new Int32Array(crossArea.length * 2)
        grownArea.set(crossArea)
        crossArea = grownArea
        const grownEdge = new Int32Array(crossEdge.length * 2)
        grownEdge.set(crossEdge)
        crossEdge = grownEdge
      }
      const x0 = edges[4 * e]!, y0 = edges[4 * e + 1]!, x1 = edges[4 * e + 2]!, y1 = edges[4 * e + 3]!
      cross[4 * len] = y0
      cross[4 * len + 1] = y1
      cross[4 * len + 2] = x0
      cross[4 * len + 3] = (x1 - x0) / (y1 - y0)
      crossArea[len] = edgeArea[e]!
      crossEdge[len] = e
      len++
    }
    const stamp = new Int32Array(nEdges).fill(-1)
    let run = 0
    // Adds the cell's edges not yet in the run; horizontal edges are never crossed, only the on-edge test needs them.
    const collect = (cell: number, into: (e: number) => void) => {
      for (let k = ownStart[cell]!; k < ownStart[cell + 1]!; k++) {
        const e = ownEdges[k]!
        if (stamp[e] === run) continue
        stamp[e] = run
        if (edges[4 * e + 1] !== edges[4 * e + 3]) into(e)
      }
    }
    const scratch = new Int32Array(Math.max(1, nEdges))
    let longest = 0
    const leftRun: number[] = []
    const leftCells: number[] = []
    for (let r = 0; r < rows; r++) {
      let ref = NO_AREA
      let runStart = len
      run++
      const cy = minY + (r + 0.5) * cellSize
      for (let c = cols - 1; c >= 0; c--) {
        const cell = r * cols + c
        if (ownStart[cell] === ownStart[cell + 1]) {
          // No edge touches the cell, so its centre is far from every edge and step 1 alone decides it.
          ref = resolve(minX + (c + 0.5) * cellSize, cy, runStart, len, ref, cross, crossArea, crossEdge, edges, slack, scratch)
          cellRef[cell] = ref
          cellFrom[cell] = len
          cellTo[cell] = len
          longest = Math.max(longest, len - runStart)
          runStart = len
          run++
          continue
        }
        collect(cell, push)
        cellRef[cell] = ref
        cellFrom[cell] = runStart
        cellTo[cell] = len
      }
      longest = Math.max(longest, len - runStart)

      // Leftward runs are stored only as far as the cells preferring them need; ~to marks the direction.
      // Until flushed, such a cell's cellTo holds its prefix length of the current leftward run.
      const flush = (leftRef: number) => {
        if (leftCells.length === 0) return
        const from = len
        const needed = cellTo[leftCells[leftCells.length - 1]!]! // prefixes only grow along the run
        for (let i = 0; i < needed; i++) push(leftRun[i]!)
        for (const cell of leftCells) {
          cellRef[cell] = leftRef
          cellTo[cell] = ~(from + cellTo[cell]!)
          cellFrom[cell] = from
        }
        longest = Math.max(longest, needed)
        leftCells.length = 0
      }
      ref = NO_AREA
      leftRun.length = 0
      run++
      for (let c = 0; c < cols; c++) {
        const cell = r * cols + c
        if (ownStart[cell] === ownStart[cell + 1]) {
          flush(ref)
          ref = cellRef[cell]!
          leftRun.length = 0
          run++
          continue
        }
        collect(cell, (e) => leftRun.push(e))
        if (leftRun.length < cellTo[cell]! - cellFrom[cell]!) {
          cellTo[cell] = leftRun.length
          leftCells.push(cell)
        }
      }
      flush(ref)
    }

    const cells = new Int32Array(4 * nCells + 4)
    for (let c = 0; c < nCells; c++) {
      cells[4 * c] = ownStart[c]!
      cells[4 * c + 1] = cellRef[c]!
      cells[4 * c + 2] = cellFrom[c]!
      cells[4 * c + 3] = cellTo[c]!
    }
    cells[4 * nCells] = ownStart[nCells]!
    return new AreaIndex({
      size: areas.length, cellSize, minX, minY, maxX, maxY, cols, cells,
      cross: cross.slice(0, 4 * len), crossArea: crossArea.slice(0, len), crossEdge: crossEdge.slice(0, len), slack, ownEdges, edges, edgeArea,
      scratch: new Int32Array(Math.max(1, longest)),
    })
  }

  /** Area id containing (x, y), or -1. */
  locate(x: number, y: number): number {
    // Also false for NaN.
    if (!(x >= this.minX && x <= this.maxX && y >= this.minY && y <= this.maxY)) return NO_AREA
    // Truncation is floor here: both operands are ≥ 0. Monotone in x and y, like the build's cell mapping.
    const c = 4 * ((((y - this.minY) * this.inv) | 0) * this.cols + (((x - this.minX) * this.inv) | 0))
    const cells = this.cells
    const o0 = cells[c]!, o1 = cells[c + 4]!
    const ref = cells[c + 1]!
    if (o0 === o1) return ref
    const to = cells[c + 3]!
    const found = to >= 0
      ? resolve(x, y, cells[c + 2]!, to, ref, this.cross, this.crossArea, this.crossEdge, this.edges, this.slack, this.scratch)
      : resolveLeft(x, y, cells[c + 2]!, ~to, ref, this.cross, this.crossArea, this.crossEdge, this.edges, this.slack, this.scratch)
    return found !== NO_AREA ? found : onEdge(x, y, o0, o1, this.ownEdges, this.edges, this.edgeArea)
  }

  /** Batch: returns area ids (Int32Array, -1 for none). */
  locateAll(xs: Float64Array, ys: Float64Array): Int32Array {
    if (!(xs instanceof Float64Array) || !(ys instanceof Float64Array)) {
      throw new TypeError('AreaIndex.locateAll: xs and ys must be Float64Arrays')
    }
    if (xs.length !== ys.length) {
      throw new RangeError(`AreaIndex.locateAll: xs has ${xs.length} values but ys has ${ys.length}`)
    }
    const out = new Int32Array(xs.length)
    for (let i = 0; i < xs.length; i++) out[i] = this.locate(xs[i]!, ys[i]!)
    return out
  }

  /** Grid figures, for tuning and benchmarks. */
  get stats(): { cells: number; untouchedCells: number; crossEntries: number; edges: number; bytes: number } {
    let untouched = 0
    const cells = (this.cells.length - 4) / 4
    for (let c = 0; c < cells; c++) if (this.cells[4 * c] === this.cells[4 * c + 4]) untouched++
    const arrays = [this.cells, this.cross, this.crossArea, this.crossEdge, this.ownEdges, this.edges, this.edgeArea, this.scratch]
    return {
      cells,
      untouchedCells: untouched,
      crossEntries: this.crossArea.length,
      edges: this.edgeArea.length,
      bytes: arrays.reduce((sum, a) => sum + a.byteLength, 0),
    }
  }
}

/**
 * Step 1 of the boundary rule over crossing entries [from, to): the area of (x, y) given that the
 * ray's crossings beyond the listed edges add up to membership in `ref`.
 */
function resolve(
  x: number, y: number, from: number, to: number, ref: number,
  cross: Float64Array, crossArea: Int32Array, crossEdge: Int32Array, edges: Float64Array, slack: number, scratch: Int32Array,
): number {
  let m = 0
  for (let i = from; i < to; i++) {
    const j = 4 * i
    const y0 = cross[j]!
    if (y0 <= y && y < cross[j + 1]!) {
      // Sure when beyond the rounding error; `!(d > slack)` also sends NaN (overflowed dx/dy) to the exact test.
      const d = x - (cross[j + 2]! + (y - y0) * cross[j + 3]!)
      if (d < -slack || (!(d > slack) && leftOfEdge(x, y, crossEdge[i]!, edges))) scratch[m++] = crossArea[i]!
    }
  }
  return m === 0 ? ref : oddOnes(m, ref, scratch)
}

/**
 * Step 1 with the leftward ray: an edge counts exactly when the rightward ray does not count it. A
 * closed ring meets the line y = const (half-open in y) an even number of times, so both rays see the
 * same parity per area: the answers are identical, boundary points included.
 */
function resolveLeft(
  x: number, y: number, from: number, to: number, ref: number,
  cross: Float64Array, crossArea: Int32Array, crossEdge: Int32Array, edges: Float64Array, slack: number, scratch: Int32Array,
): number {
  let m = 0
  for (let i = from; i < to; i++) {
    const j = 4 * i
    const y0 = cross[j]!
    if (y0 <= y && y < cross[j + 1]!) {
      const d = x - (cross[j + 2]! + (y - y0) * cross[j + 3]!)
      if (d > slack || (!(d < -slack) && !leftOfEdge(x, y, crossEdge[i]!, edges))) scratch[m++] = crossArea[i]!
    }
  }
  return m === 0 ? ref : oddOnes(m, ref, scratch)
}

/** Whether (x, y) lies strictly left of edge e, directed from its lower endpoint up: the crossing test, exactly. */
function leftOfEdge(x: number, y: number, e: number, edges: Float64Array): boolean {
  return orient(edges[4 * e]!, edges[4 * e + 1]!, edges[4 * e + 2]!, edges[4 * e + 3]!, x, y) > 0
}

/**
 * A bound on |computed − true| for x0 + (y − y0) · fl((x1 − x0) / (y1 − y0)) over every edge, for y0 ≤ y < y1.
 * With u = 2⁻⁵³ and T = (y − y0)(x1 − x0)/(y1 − y0), |T| < |x1 − x0|: five roundings in the product give at
 * most ~5u|T|, the sum u(|x0| + |T|); 8u(max |x1 − x0| + max |x|) covers both with room to spare, and the
 * smallest normal double covers underflow. Nearer than this the exact test decides, so too large only costs time.
 */
function crossingSlack(edges: Float64Array, minX: number, maxX: number): number {
  let widest = 0
  for (let j = 0; j < edges.length; j += 4) widest = Math.max(widest, Math.abs(edges[j + 2]! - edges[j]!))
  return 8 * 2 ** -53 * (widest + Math.max(Math.abs(minX), Math.abs(maxX))) + 2 ** -1022
}

/** The area left for a point whose ray crossed the m edges of areas scratch[0…m) beyond `ref`. */
function oddOnes(m: number, ref: number, scratch: Int32Array): number {
  // Areas crossed an odd number of times flip membership relative to `ref`; sort to count them.
  for (let i = 1; i < m; i++) {
    const a = scratch[i]!
    let k = i - 1
    while (k >= 0 && scratch[k]! > a) {
      scratch[k + 1] = scratch[k]!
      k--
    }
    scratch[k + 1] = a
  }
  let best = MAX_ID
  let refFlipped = false
  for (let i = 0; i < m; ) {
    const a = scratch[i]!
    let k = i + 1
    while (k < m && scratch[k] === a) k++
    if ((k - i) & 1) {
      if (a === ref) refFlipped = true
      else if (a < best) best = a
    }
    i = k
  }
  // In a true partition at most one area is left; the minimum only settles overlapping input.
  if (ref !== NO_AREA && !refFlipped && ref < best) best = ref
  return best === MAX_ID ? NO_AREA : best
}

/** Step 2 of the boundary rule: lowest id among the listed edges (x, y) lies exactly on, or -1. */
function onEdge(
  x: number, y: number, o0: number, o1: number,
  ownEdges: Int32Array, edges: Float64Array, edgeArea: Int32Array,
): number {
  let best = NO_AREA
  for (let k = o0; k < o1; k++) {
    const e = ownEdges[k]!
    const x0 = edges[4 * e]!, y0 = edges[4 * e + 1]!, x1 = edges[4 * e + 2]!, y1 = edges[4 * e + 3]!
    if (y < y0 || y > y1 || x < Math.min(x0, x1) || x > Math.max(x0, x1)) continue
    const a = edgeArea[e]!
    if ((best === NO_AREA || a < best) && collinear(x0, y0, x1, y1, x, y)) best = a
  }
  return best
}

// Shewchuk's error bound for the floating-point orient2d: beyond it the sign is certain.
const CCW_ERRBOUND = (3 + 16 * 2 ** -53) * 2 ** -53

/** Whether c lies on the line through a and b, decided exactly. */
export function collinear(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  return orient(ax, ay, bx, by, cx, cy) === 0
}

/** Sign of (a − c) × (b − c), exactly: 1 when c lies left of the line from a to b, −1 right, 0 on it. */
function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const left = (ax - cx) * (by - cy)
  const right = (ay - cy) * (bx - cx)
  const det = left - right
  const sum = Math.abs(left) + Math.abs(right)
  // The bound holds where nothing underflows; products that small go to the exact test.
  if (Math.abs(det) > CCW_ERRBOUND * sum && sum > 2 ** -960) return det > 0 ? 1 : -1
  const exact = exactOrient(ax, ay, bx, by, cx, cy)
  return exact > 0n ? 1 : exact < 0n ? -1 : 0
}

/** A double as m · 2^e with integer m. */
type Dyadic = readonly [m: bigint, e: number]
const view = new DataView(new ArrayBuffer(8))

function dyadic(v: number): Dyadic {
  view.setFloat64(0, v)
  const hi = view.getUint32(0)
  const lo = view.getUint32(4)
  const exp = (hi >>> 20) & 0x7ff
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  if (exp !== 0) m |= 1n << 52n
  return [hi >>> 31 ? -m : m, exp === 0 ? -1074 : exp - 1075]
}

function sub(p: Dyadic, q: Dyadic): Dyadic {
  const e = Math.min(p[1], q[1])
  return [(p[0] << BigInt(p[1] - e)) - (q[0] << BigInt(q[1] - e)), e]
}

function mul(p: Dyadic, q: Dyadic): Dyadic {
  return [p[0] * q[0], p[1] + q[1]]
}

/** Exact sign of (a − c) × (b − c), as −1n, 0n or 1n. */
function exactOrient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): bigint {
  const c0 = dyadic(cx), c1 = dyadic(cy)
  const d = sub(mul(sub(dyadic(ax), c0), sub(dyadic(by), c1)), mul(sub(dyadic(ay), c1), sub(dyadic(bx), c0)))[0]
  return d > 0n ? 1n : d < 0n ? -1n : 0n
}

/** Validates the areas and flattens their ring edges, each with its lower endpoint first. */
function readEdges(areas: readonly IndexArea[]): {
  edges: Float64Array; edgeArea: Int32Array; minX: number; minY: number; maxX: number; maxY: number
} {
  if (!Array.isArray(areas)) throw new TypeError('AreaIndex.build: areas must be an array')
  if (areas.length === 0) throw new RangeError('AreaIndex.build: no areas given')
  const seen = new Map<number, number>()
  let count = 0
  for (let a = 0; a < areas.length; a++) {
    const area = areas[a]
    if (typeof area !== 'object' || area === null) throw new TypeError(`AreaIndex.build: areas[${a}] must be an object with id and coordinates`)
    const id = area.id
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > MAX_ID) {
      throw new RangeError(`AreaIndex.build: areas[${a}].id must be an integer in 0…${MAX_ID}, got ${String(id)}`)
    }
    const before = seen.get(id)
    if (before !== undefined) throw new RangeError(`AreaIndex.build: duplicate area id ${id} (areas[${before}] and areas[${a}])`)
    seen.set(id, a)
    const polygons = area.coordinates
    if (!Array.isArray(polygons)) {
      throw new TypeError(`AreaIndex.build: area id ${id}: coordinates must be MultiPolygon coordinates (polygons → rings → positions)`)
    }
    if (polygons.length === 0) throw new RangeError(`AreaIndex.build: area id ${id}: no polygons`)
    for (let p = 0; p < polygons.length; p++) {
      const rings = polygons[p]
      if (!Array.isArray(rings) || rings.length === 0) throw new RangeError(`AreaIndex.build: area id ${id}, polygon ${p}: no rings`)
      for (let r = 0; r < rings.length; r++) {
        const ring = rings[r]
        const where = `AreaIndex.build: area id ${id}, polygon ${p}, ring ${r}`
        if (!Array.isArray(ring) || ring.length < 4) {
          throw new RangeError(`${where}: a ring needs at least 4 positions, got ${Array.isArray(ring) ? ring.length : String(ring)}`)
        }
        for (let i = 0; i < ring.length; i++) {
          const pos = ring[i]
          if (!Array.isArray(pos) || pos.length < 2) throw new TypeError(`${where}, position ${i}: expected [x, y], got ${JSON.stringify(pos)}`)
          if (typeof pos[0] !== 'number' || typeof pos[1] !== 'number' || !Number.isFinite(pos[0]) || !Number.isFinite(pos[1])) {
            throw new RangeError(`${where}, position ${i}: non-finite coordinate [${String(pos[0])}, ${String(pos[1])}]`)
          }
        }
        const first = ring[0]!, last = ring[ring.length - 1]!
        if (first[0] !== last[0] || first[1] !== last[1]) {
          throw new RangeError(`${where} is not closed: first position [${first[0]}, ${first[1]}] differs from last [${last[0]}, ${last[1]}]`)
        }
        count += ring.length - 1
      }
    }
  }

  const edges = new Float64Array(4 * count)
  const edgeArea = new Int32Array(count)
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity
  let n = 0
  for (const area of areas) {
    for (const rings of area.coordinates) {
      for (const ring of rings) {
        for (let i = 0; i + 1 < ring.length; i++) {
          let x0 = ring[i]![0]!, y0 = ring[i]![1]!, x1 = ring[i + 1]![0]!, y1 = ring[i + 1]![1]!
          if (x0 < minX) minX = x0
          if (x0 > maxX) maxX = x0
          if (y0 < minY) minY = y0
          if (y0 > maxY) maxY = y0
          if (x0 === x1 && y0 === y1) continue // repeated vertex: no edge
          // Lower endpoint first, so an edge shared by two areas is the same four doubles in both.
          if (y0 > y1 || (y0 === y1 && x0 > x1)) [x0, y0, x1, y1] = [x1, y1, x0, y0]
          edges[4 * n] = x0
          edges[4 * n + 1] = y0
          edges[4 * n + 2] = x1
          edges[4 * n + 3] = y1
          edgeArea[n] = area.id
          n++
        }
      }
    }
  }
  return { edges: edges.slice(0, 4 * n), edgeArea: edgeArea.slice(0, n), minX, minY, maxX, maxY }
}
