/**
 * Display geometry for a layer of areas that tile the ground: simplified once per shared boundary, so
 * that neighbours keep sharing their edges exactly (no slivers, no gaps, the same corners), on a fixed
 * grid of degrees, with RFC 7946 winding.
 *
 * 1. Coordinates are rounded to 1e-7° (~1 cm), so vertices that differ only by rounding are one.
 * 2. Noding: a vertex lying on an edge it is not an end of (a T-junction, within ~1 cm) is inserted into
 *    that edge, so a shared stretch has the same vertices on both sides.
 * 3. topojson-server cuts the rings into arcs at every junction and keeps one copy of each shared arc;
 *    topojson-simplify ranks each arc's vertices by Visvalingam's effective area (here in m²) and drops
 *    those under `minAreaM2` — once per arc, for every area that uses it; arc ends (where three areas
 *    meet, or a corner is shared) are always kept.
 * 4. Dropped vertices come back where a ring would shrink below a triangle with an area, where a
 *    simplified segment would cross or run along another boundary, or where the ground it cuts off holds
 *    another boundary's vertex (an islet in a narrow bay).
 * 5. The quantisation of the topology: the simplified arcs are snap-rounded onto the output grid (1e-5°
 *    by default, ~0.6 × 1.1 m in Göteborg), each arc once, so rounding cannot pull neighbours apart or
 *    make boundaries cross, and `ST_AsGeoJSON(…, 5)` prints the result exactly.
 * 6. topojson-client rebuilds the areas; repeated points and spikes go (a sliver narrower than a cell
 *    folds into one); outer rings are wound counter-clockwise, holes clockwise.
 *
 * Left to the caller: a ring pinched where two of its stretches met in one grid cell (a neck narrower
 * than a cell) — valid once split there, which PostGIS's ST_Buffer(g, 0) does without moving a vertex.
 * `keep` lets the caller keep every vertex near given places, should PostGIS still find a problem.
 *
 * Pure: no database, no I/O; the input is not modified.
 */
import Flatbush from 'flatbush'
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson'
import { feature } from 'topojson-client'
import { topology } from 'topojson-server'
import { presimplify, simplify } from 'topojson-simplify'
import type { GeometryCollection, MultiPolygon as TopoMultiPolygon, Objects, Topology } from 'topojson-specification'

export interface DisplayFeature {
  id: number
  /** WGS84 [lon, lat]. */
  geometry: Polygon | MultiPolygon
}

export interface DisplayOptions {
  /** Vertices whose Visvalingam effective area is below this (m²) are dropped. */
  minAreaM2: number
  /** The grid the output lands on, in degrees; 1 / gridDegrees must be a whole number. Default 1e-5. */
  gridDegrees?: number
  /**
   * Places where every vertex within `metres` is kept (on whichever arc it lies): the caller's way out
   * where PostGIS still finds a simplified area invalid or overlapping a neighbour. Default none.
   */
  keep?: ReadonlyArray<KeepNear>
}

export interface KeepNear {
  lon: number
  lat: number
  metres: number
}

type Pt = [number, number]
type Ring = Pt[]
/** A vertex of a presimplified arc: x, y and its Visvalingam weight. */
type WeightedPt = [number, number, number]

/** The grid the topology is built on (units per degree): 1e-7° ≈ 1 cm, so vertices that differ by rounding are one. */
const FINE = 10_000_000
/** How far (in fine units, ~1 cm) a vertex may lie from an edge and still be a T-junction on it. */
const NODE_TOLERANCE = 1.5
const EARTH_RADIUS_M = 6_371_008.8

/**
 * The display geometry of each feature as GeoJSON MultiPolygon coordinates in degrees, on the grid.
 * Every feature gets a non-empty result, even one smaller than a grid cell.
 */
export function displayGeometries(features: readonly DisplayFeature[], options: DisplayOptions): Map<number, number[][][][]> {
  if (!Array.isArray(features)) throw new TypeError('displayGeometries: features must be an array')
  const { minAreaM2, gridDegrees = 1e-5, keep = [] } = options ?? ({} as DisplayOptions)
  if (!Number.isFinite(minAreaM2) || minAreaM2 < 0) throw new RangeError(`displayGeometries: minAreaM2 must be a finite number ≥ 0, got ${minAreaM2}`)
  const scale = Math.round(1 / gridDegrees)
  if (!(gridDegrees > 0) || Math.abs(scale * gridDegrees - 1) > 1e-9 || scale > FINE) {
    throw new RangeError(`displayGeometries: 1 / gridDegrees must be a whole number up to ${FINE}, got gridDegrees=${gridDegrees}`)
  }
  for (const k of keep) {
    if (![k?.lon, k?.lat, k?.metres].every(Number.isFinite) || k.metres < 0) throw new RangeError(`displayGeometries: keep needs finite lon, lat and metres ≥ 0, got ${JSON.stringify(k)}`)
  }
  const seen = new Set<number>()
  for (const f of features) {
    if (!Number.isSafeInteger(f?.id) || seen.has(f.id)) throw new RangeError(`displayGeometries: ids must be distinct integers, got ${f?.id}`)
    seen.add(f.id)
    if (f.geometry?.type !== 'Polygon' && f.geometry?.type !== 'MultiPolygon') {
      throw new TypeError(`displayGeometries: feature ${f.id} is a ${f.geometry?.type}, expected Polygon or MultiPolygon`)
    }
  }
  if (features.length === 0) return new Map()

  const fine = features.map((f) => quantize(f.geometry, FINE))
  const collection: FeatureCollection<MultiPolygon> = {
    type: 'FeatureCollection',
    features: node(fine).map((coordinates, i) => ({ type: 'Feature', id: i, properties: {}, geometry: { type: 'MultiPolygon', coordinates } })),
  }
  const ranked = presimplify(topology({ areas: collection }) as Topology<Objects>, visvalingamM2(FINE))
  const objects = (ranked.objects.areas as GeometryCollection).geometries as TopoMultiPolygon[]
  const arcs = ranked.arcs as unknown as WeightedPt[][]
  const step = FINE / scale
  const toGrid = (v: number) => Math.round(v / step)

  for (const k of keep) keepVerticesNear(arcs, k)
  for (const g of objects) for (const poly of g.arcs) for (const ring of poly) keepRingAlive(ring, arcs, minAreaM2, toGrid)
  uncross(arcs, minAreaM2)

  // Each arc is simplified and put on the output grid once, for every area that uses it.
  const simplified = simplify(ranked, minAreaM2)
  simplified.arcs = snapRound(simplified.arcs as unknown as Pt[][], step)
  const rebuilt = feature(simplified, simplified.objects.areas as GeometryCollection) as FeatureCollection<Polygon | MultiPolygon>

  const out = new Map<number, number[][][][]>()
  for (const f of rebuilt.features) {
    const i = f.id as number
    const g = f.geometry
    const polys = (g ? (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) : []) as Ring[][]
    const cleaned = polys.map((poly) => poly.map(cleanRing)).filter((poly) => poly[0]!.length >= 4).map((poly) => poly.filter((r) => r.length >= 4))
    const result = cleaned.length ? cleaned : gridCell(fine[i]!.first, step)
    out.set(features[i]!.id, result.map((poly) => poly.map((ring, r) => toDegrees(wind(ring, r === 0), scale))))
  }
  return out
}

/** Rings on the fine grid, cleaned; `first` is the first vertex, where an area too small for any grid cell is drawn. */
function quantize(geometry: Polygon | MultiPolygon, scale: number): { polygons: Ring[][]; first: Pt } {
  const input = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as number[][][][]
  const polygons: Ring[][] = []
  let first: Pt | null = null
  for (const poly of input) {
    const rings = poly.map((ring) =>
      cleanRing(
        ring.map(([x, y]) => {
          if (!Number.isFinite(x) || !Number.isFinite(y)) throw new RangeError(`displayGeometries: non-finite coordinate ${x}, ${y}`)
          const p: Pt = [Math.round(x! * scale), Math.round(y! * scale)]
          first ??= p
          return p
        }),
      ),
    )
    if (rings[0]!.length >= 4) polygons.push([rings[0]!, ...rings.slice(1).filter((r) => r.length >= 4)])
  }
  if (!first) throw new RangeError('displayGeometries: a feature without coordinates')
  return { polygons, first }
}

/** The output grid cell at a (fine) point: the drawing of an area smaller than a cell. */
function gridCell([x, y]: Pt, step: number): Ring[][] {
  const [fx, fy] = [Math.floor(x / step), Math.floor(y / step)]
  return [[[[fx, fy], [fx + 1, fy], [fx + 1, fy + 1], [fx, fy + 1], [fx, fy]]]]
}

/** Closed, without repeated points or spikes (A B A); no ring (empty) when fewer than three corners or no area remain. */
function cleanRing(ring: Ring): Ring {
  const out: Ring = []
  for (const p of ring) {
    if (out.length && same(out[out.length - 1]!, p)) continue
    out.push(p)
    // A spike: going to a point and straight back.
    while (out.length >= 3 && same(out[out.length - 3]!, out[out.length - 1]!)) out.splice(out.length - 2, 2)
  }
  if (out.length && !same(out[0]!, out[out.length - 1]!)) out.push(out[0]!)
  // Spikes across the closing point.
  while (out.length >= 4 && same(out[1]!, out[out.length - 2]!)) {
    out.pop()
    out.shift()
    out[out.length - 1] = out[0]!
  }
  return out.length >= 4 && signedArea2(out) !== 0 ? out : []
}

/** Inserts every vertex that lies on another edge (within NODE_TOLERANCE) into that edge. */
function node(areas: ReadonlyArray<{ polygons: Ring[][] }>): Ring[][][] {
  const rings: Ring[] = areas.flatMap((a) => a.polygons.flat())
  const segmentCount = rings.reduce((n, ring) => n + ring.length - 1, 0)
  if (segmentCount === 0) return areas.map((a) => a.polygons)
  const segRing = new Int32Array(segmentCount)
  const segStart = new Int32Array(segmentCount)
  const firstSegment = new Int32Array(rings.length)
  const index = new Flatbush(segmentCount)
  let s = 0
  rings.forEach((ring, r) => {
    firstSegment[r] = s
    for (let i = 0; i + 1 < ring.length; i++, s++) {
      const [a, b] = [ring[i]!, ring[i + 1]!]
      segRing[s] = r
      segStart[s] = i
      index.add(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]))
    }
  })
  index.finish()

  const vertexKeys = new Map<number, Set<string>>() // by ring, made only when needed
  const passesThrough = (r: number, p: Pt) => {
    let keys = vertexKeys.get(r)
    if (!keys) vertexKeys.set(r, (keys = new Set(rings[r]!.map(key))))
    return keys.has(key(p))
  }
  const inserts = new Map<number, Array<{ t: number; p: Pt }>>() // by segment
  rings.forEach((ring, source) => {
    for (const p of ring) {
      for (const seg of index.search(p[0] - NODE_TOLERANCE, p[1] - NODE_TOLERANCE, p[0] + NODE_TOLERANCE, p[1] + NODE_TOLERANCE)) {
        const target = segRing[seg]!
        const a = rings[target]![segStart[seg]!]!
        const b = rings[target]![segStart[seg]! + 1]!
        if (same(p, a) || same(p, b)) continue
        const dx = b[0] - a[0]
        const dy = b[1] - a[1]
        const t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)
        if (t <= 0 || t >= 1 || Math.hypot(a[0] + t * dx - p[0], a[1] + t * dy - p[1]) > NODE_TOLERANCE) continue
        // On its own ring, a vertex on a far edge is a spike back along that edge (cleaned away later);
        // another ring that already passes through the vertex must not touch it twice.
        if (target !== source && passesThrough(target, p)) continue
        const list = inserts.get(seg) ?? []
        if (!list.some((q) => same(q.p, p))) list.push({ t, p })
        inserts.set(seg, list)
      }
    }
  })
  if (inserts.size === 0) return areas.map((a) => a.polygons)

  let r = 0
  return areas.map((a) =>
    a.polygons.map((poly) =>
      poly.map((ring) => {
        const base = firstSegment[r++]!
        const out: Ring = []
        for (let i = 0; i + 1 < ring.length; i++) {
          out.push(ring[i]!)
          for (const q of (inserts.get(base + i) ?? []).sort((x, y) => x.t - y.t)) out.push(q.p)
        }
        out.push(ring[ring.length - 1]!)
        return cleanRing(out)
      }),
    ),
  )
}

/** Visvalingam's weight, the triangle's area, in m² at the triangle's latitude (grid units in, m² out). */
function visvalingamM2(scale: number) {
  const metresPerUnitY = (Math.PI / 180) * EARTH_RADIUS_M / scale
  return (t: [[number, number], [number, number], [number, number]]) => {
    const [a, b, c] = t
    const area = Math.abs((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])) / 2
    const metresPerUnitX = metresPerUnitY * Math.cos(((b[1] / scale) * Math.PI) / 180)
    return area * metresPerUnitX * metresPerUnitY
  }
}

/** Every arc vertex within k.metres of (k.lon, k.lat) is kept (locally flat Earth: the places are small). */
function keepVerticesNear(arcs: WeightedPt[][], k: KeepNear): void {
  const metresPerUnitY = ((Math.PI / 180) * EARTH_RADIUS_M) / FINE
  const metresPerUnitX = metresPerUnitY * Math.cos((k.lat * Math.PI) / 180)
  const [x, y] = [k.lon * FINE, k.lat * FINE]
  const [rx, ry] = [k.metres / metresPerUnitX, k.metres / metresPerUnitY]
  for (const arc of arcs) {
    for (const p of arc) {
      const dx = (p[0] - x) / rx
      const dy = (p[1] - y) / ry
      if (dx * dx + dy * dy <= 1) p[2] = Infinity
    }
  }
}

/**
 * A ring keeps at least three corners and some area on the output grid: while its kept vertices (weight ≥
 * minWeight) do not make one, the highest-ranked dropped vertex of its arcs is kept too (for every area
 * sharing that arc).
 */
function keepRingAlive(ringArcs: number[], arcs: WeightedPt[][], minWeight: number, toGrid: (v: number) => number): void {
  const points = ringArcs.flatMap((a, k) => {
    const arc = a < 0 ? [...arcs[~a]!].reverse() : arcs[a]!
    return k === 0 ? arc : arc.slice(1)
  })
  for (;;) {
    const kept = cleanRing(points.filter((p) => p[2] >= minWeight).map((p) => [toGrid(p[0]), toGrid(p[1])] as Pt))
    if (kept.length >= 4) return
    let best: WeightedPt | null = null
    for (const p of points) if (p[2] < minWeight && (!best || p[2] > best[2])) best = p
    if (!best) return // nothing left to restore: the ring is smaller than the grid allows
    best[2] = Infinity
  }
}

/**
 * Simplification must not change how boundaries lie to each other: where two simplified segments cross,
 * touch away from their ends or run along each other, or where the ground a segment cut off (between it
 * and the vertices it skipped) holds another boundary's vertex (a small island in a narrow bay), the
 * vertices it skipped come back (on every area sharing the arc). Repeated until none do, or nothing is
 * left to restore there.
 */
function uncross(arcs: WeightedPt[][], minWeight: number): void {
  for (let round = 0; round < 50; round++) {
    const segs: Array<{ arc: number; from: number; to: number; a: Pt; b: Pt }> = []
    arcs.forEach((arc, k) => {
      let from = -1
      arc.forEach((p, i) => {
        if (p[2] < minWeight) return
        if (from >= 0) segs.push({ arc: k, from, to: i, a: [arc[from]![0], arc[from]![1]], b: [p[0], p[1]] })
        from = i
      })
    })
    if (segs.length === 0) return
    const index = new Flatbush(segs.length)
    for (const { a, b } of segs) index.add(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]))
    index.finish()
    const kept = segs.flatMap((s, i) => (i === 0 || segs[i - 1]!.arc !== s.arc ? [s.a, s.b] : [s.b]))
    const vertices = new Flatbush(kept.length)
    for (const [x, y] of kept) vertices.add(x, y, x, y)
    vertices.finish()
    const bad = new Set<number>()
    segs.forEach((s, i) => {
      for (const j of index.search(Math.min(s.a[0], s.b[0]), Math.min(s.a[1], s.b[1]), Math.max(s.a[0], s.b[0]), Math.max(s.a[1], s.b[1]))) {
        if (j > i && improper(s.a, s.b, segs[j]!.a, segs[j]!.b)) bad.add(i).add(j)
      }
      if (s.to - s.from < 2) return
      const cut = arcs[s.arc]!.slice(s.from, s.to + 1).map((p) => [p[0], p[1]] as Pt)
      let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity]
      for (const [x, y] of cut) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)]
      for (const v of vertices.search(x0, y0, x1, y1)) {
        const p = kept[v]!
        if (!same(p, s.a) && !same(p, s.b) && insideRing(p, cut)) {
          bad.add(i)
          break
        }
      }
    })
    let restored = 0
    for (const i of bad) {
      const { arc, from, to } = segs[i]!
      for (let k = from + 1; k < to; k++, restored++) arcs[arc]![k]![2] = Infinity
    }
    if (restored === 0) return
  }
}

/**
 * Snap rounding (Hobby; Guibas and Marimont) of the simplified arcs onto the output grid, `step` fine
 * units a cell: every vertex marks its cell as a hot pixel, and each segment becomes the hot pixels it
 * passes through, in order. Boundaries closer than a cell meet in the same pixels instead of crossing;
 * a sliver narrower than a cell folds into a there-and-back, which cleanRing removes.
 */
function snapRound(arcs: Pt[][], step: number): Pt[][] {
  const pixels = new Map<string, Pt>()
  for (const arc of arcs) {
    for (const [x, y] of arc) {
      const px: Pt = [Math.round(x / step), Math.round(y / step)]
      pixels.set(key(px), px)
    }
  }
  const hot = [...pixels.values()]
  if (hot.length === 0) return arcs.map(() => [])
  const index = new Flatbush(hot.length)
  for (const [x, y] of hot) index.add(x * step, y * step, x * step, y * step)
  index.finish()
  const half = step / 2
  return arcs.map((arc) => {
    const out: Pt[] = []
    const push = (p: Pt) => {
      if (!out.length || !same(out[out.length - 1]!, p)) out.push(p)
    }
    const pixel = (p: Pt): Pt => [Math.round(p[0] / step), Math.round(p[1] / step)]
    if (arc.length) push(pixel(arc[0]!))
    for (let i = 0; i + 1 < arc.length; i++) {
      const [a, b] = [arc[i]!, arc[i + 1]!]
      const [pa, pb] = [pixel(a), pixel(b)]
      const hits = index
        .search(Math.min(a[0], b[0]) - half, Math.min(a[1], b[1]) - half, Math.max(a[0], b[0]) + half, Math.max(a[1], b[1]) + half)
        .filter((k) => crossesCell(a, b, hot[k]![0] * step - half, hot[k]![1] * step - half, hot[k]![0] * step + half, hot[k]![1] * step + half))
        .filter((k) => !same(hot[k]!, pa) && !same(hot[k]!, pb))
        .map((k) => ({ p: hot[k]!, t: (hot[k]![0] * step - a[0]) * (b[0] - a[0]) + (hot[k]![1] * step - a[1]) * (b[1] - a[1]) }))
        .sort((u, v) => u.t - v.t)
      for (const h of hits) push(h.p)
      push(pb)
    }
    return out
  })
}

/** Whether segment a–b meets the cell [x0, x1) × [y0, y1) (Liang–Barsky clipping; the cell's far sides are open, as Math.round's are). */
function crossesCell(a: Pt, b: Pt, x0: number, y0: number, x1: number, y1: number): boolean {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const t = [0, 1]
  if (!clip(-dx, a[0] - x0, t) || !clip(dx, x1 - a[0], t) || !clip(-dy, a[1] - y0, t) || !clip(dy, y1 - a[1], t)) return false
  const [t0, t1] = t as [number, number]
  // Touching only the open far side, or only at a point of it, is not in the cell.
  const mx = a[0] + ((t0 + t1) / 2) * dx
  const my = a[1] + ((t0 + t1) / 2) * dy
  return t0 <= t1 && mx < x1 && my < y1
}

/** One Liang–Barsky step: narrows t = [t0, t1] to where p·t ≤ q holds; false when nothing is left. */
function clip(p: number, q: number, t: number[]): boolean {
  if (p === 0) return q >= 0
  const r = q / p
  if (p < 0) {
    if (r > t[1]!) return false
    if (r > t[0]!) t[0] = r
  } else {
    if (r < t[0]!) return false
    if (r < t[1]!) t[1] = r
  }
  return true
}

/** Crossing-number test of p against the ring (closed implicitly from its last point to its first). */
function insideRing(p: Pt, ring: readonly Pt[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!
    const [xj, yj] = ring[j]!
    if (yi > p[1] !== yj > p[1] && p[0] < xi + ((p[1] - yi) * (xj - xi)) / (yj - yi)) inside = !inside
  }
  return inside
}

/** Whether two boundary segments meet other than end to end: crossing, touching inside, or overlapping. */
function improper(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const o1 = orient(a, b, c)
  const o2 = orient(a, b, d)
  if (o1 === 0 && o2 === 0) {
    // Collinear: improper when they share more than an end point.
    const ax = a[0] !== b[0] ? 0 : 1
    const [s0, s1] = [Math.min(a[ax], b[ax]), Math.max(a[ax], b[ax])]
    const [t0, t1] = [Math.min(c[ax], d[ax]), Math.max(c[ax], d[ax])]
    return Math.min(s1, t1) > Math.max(s0, t0)
  }
  if (same(a, c) || same(a, d) || same(b, c) || same(b, d)) return false
  const o3 = orient(c, d, a)
  const o4 = orient(c, d, b)
  return o1 * o2 <= 0 && o3 * o4 <= 0
}

/** Sign of the turn a → b → c (exact on grid integers while the segments span less than 2^26 units, ~6° on the fine grid). */
function orient(a: Pt, b: Pt, c: Pt): number {
  return Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))
}

function wind(ring: Ring, outer: boolean): Ring {
  return signedArea2(ring) > 0 === outer ? ring : [...ring].reverse()
}

function toDegrees(ring: Ring, scale: number): number[][] {
  // Division by the whole number 1e5 gives the double nearest the 5-decimal value.
  return ring.map(([x, y]) => [x / scale, y / scale])
}

/** Twice the signed area (shoelace, taken about the first vertex to keep the products small); positive when counter-clockwise. */
function signedArea2(ring: ReadonlyArray<readonly [number, number] | number[]>): number {
  if (ring.length === 0) return 0
  const [x0, y0] = ring[0]! as [number, number]
  let s = 0
  for (let i = 1; i + 1 < ring.length; i++) s += (ring[i]![0]! - x0) * (ring[i + 1]![1]! - y0) - (ring[i + 1]![0]! - x0) * (ring[i]![1]! - y0)
  return s
}

const same = (a: Pt, b: Pt) => a[0] === b[0] && a[1] === b[1]
const key = (p: Pt) => `${p[0]},${p[1]}`
