import { describe, expect, it } from 'vitest'
import { AreaIndex, collinear, type IndexArea } from '../../server/spatial/area-index'
import { mulberry32 } from '../helpers/random'

// --- helpers -------------------------------------------------------------------------------------

type Ring = number[][]
const square = (x0: number, y0: number, x1: number, y1: number): Ring => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
const area = (id: number, ...polygons: Ring[][]): IndexArea => ({ id, coordinates: polygons })

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

/** Textbook even-odd ray casting over every ring of every area: the ids whose interior holds (x, y). */
function bruteForce(areas: readonly IndexArea[], x: number, y: number): number[] {
  const hits: number[] = []
  for (const a of areas) {
    let inside = false
    for (const polygon of a.coordinates) {
      for (const ring of polygon) {
        for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
          const [xi, yi] = ring[i] as [number, number]
          const [xj, yj] = ring[j] as [number, number]
          if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
        }
      }
    }
    if (inside) hits.push(a.id)
  }
  return hits
}

/** Ids with an edge through (x, y); exact for the small dyadic coordinates used here. */
function onBoundaryOf(areas: readonly IndexArea[], x: number, y: number): number[] {
  const ids = new Set<number>()
  for (const a of areas) {
    for (const polygon of a.coordinates) {
      for (const ring of polygon) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const [x0, y0] = ring[i] as [number, number]
          const [x1, y1] = ring[i + 1] as [number, number]
          const cross = (x1 - x0) * (y - y0) - (y1 - y0) * (x - x0)
          if (cross === 0 && x >= Math.min(x0, x1) && x <= Math.max(x0, x1) && y >= Math.min(y0, y1) && y <= Math.max(y0, y1)) ids.add(a.id)
        }
      }
    }
  }
  return [...ids].sort((a, b) => a - b)
}

/** The documented rule, computed independently: nudge right and up; else lowest id of an edge through it. */
function expected(areas: readonly IndexArea[], x: number, y: number): number {
  const nudged = bruteForce(areas, x + 1e-7, y + 1e-12)
  expect(nudged.length, `overlap at (${x}, ${y})`).toBeLessThanOrEqual(1)
  return nudged[0] ?? onBoundaryOf(areas, x, y)[0] ?? -1
}

/** Every quarter-unit lattice point over the extent and one unit beyond. */
function lattice(areas: readonly IndexArea[], step = 0.25): Array<[number, number]> {
  const xs = areas.flatMap((a) => a.coordinates.flat(2).map((p) => p[0]!))
  const ys = areas.flatMap((a) => a.coordinates.flat(2).map((p) => p[1]!))
  const pts: Array<[number, number]> = []
  for (let x = Math.min(...xs) - 1; x <= Math.max(...xs) + 1; x += step) {
    for (let y = Math.min(...ys) - 1; y <= Math.max(...ys) + 1; y += step) pts.push([x, y])
  }
  return pts
}

// Cell sizes that put cell borders on edges, between them, and one cell over everything.
const CELL_SIZES = [undefined, 0.25, 0.5, 1, 1.5, 3, 100] as const

// --- partitions ----------------------------------------------------------------------------------

const TWO_SQUARES = [area(1, [square(0, 0, 1, 1)]), area(2, [square(1, 0, 2, 1)])]

const FOUR_AT_A_VERTEX = [
  area(10, [square(0, 0, 1, 1)]),
  area(11, [square(1, 0, 2, 1)]),
  area(12, [square(0, 1, 1, 2)]),
  area(13, [square(1, 1, 2, 2)]),
]

// Area 5 has a hole [2, 8]²; area 3 is an island [3, 7]² in it, leaving an empty moat (a lake).
const HOLE_AND_ISLAND = [
  area(5, [square(0, 0, 10, 10), square(2, 2, 8, 8).reverse()]),
  area(3, [square(3, 3, 7, 7)]),
]

// The island fills the hole exactly: its edges are the hole's.
const FILLED_HOLE = [area(5, [square(0, 0, 4, 4), square(1, 1, 3, 3).reverse()]), area(4, [square(1, 1, 3, 3)])]

// Area 7 has two parts, with area 8 between them and area 9 beside one part only.
const MULTI = [
  area(7, [square(0, 0, 1, 1)], [square(3, 0, 4, 1)]),
  area(8, [square(1, 0, 3, 1)]),
  area(9, [square(0, 1, 2, 2)]),
]

// Six triangles fanning around (0, 0) (slanted edges, six areas at one vertex), ids out of order.
const FAN = (() => {
  const pts = [[2, 0], [1, 2], [-1, 2], [-2, 0], [-1, -2], [1, -2]] as const
  return pts.map((p, i) => {
    const q = pts[(i + 1) % pts.length]!
    return area([40, 20, 60, 30, 50, 10][i]!, [[[0, 0], [p[0], p[1]], [q[0], q[1]], [0, 0]]])
  })
})()

const PARTITIONS: Record<string, IndexArea[]> = { TWO_SQUARES, FOUR_AT_A_VERTEX, HOLE_AND_ISLAND, FILLED_HOLE, MULTI, FAN }

// --- tests ---------------------------------------------------------------------------------------

describe('AreaIndex boundary rule', () => {
  it('puts a point on an edge shared by two areas in the area to its upper right', () => {
    const index = AreaIndex.build(TWO_SQUARES)
    expect(index.size).toBe(2)
    expect(index.locate(1, 0.5)).toBe(2)
    expect(index.locate(1, 0)).toBe(2)
    expect(index.locate(0.5, 0.5)).toBe(1)
    expect(index.locate(1.5, 0.5)).toBe(2)
  })

  it('counts points on the outer boundary, the right and top sides too, in their area', () => {
    const index = AreaIndex.build(TWO_SQUARES)
    expect(index.locate(0, 0.5)).toBe(1) // left
    expect(index.locate(0.5, 0)).toBe(1) // bottom
    expect(index.locate(2, 0.5)).toBe(2) // right: nudged it leaves, the on-edge test brings it back
    expect(index.locate(0.5, 1)).toBe(1) // top
    expect(index.locate(2, 1)).toBe(2) // corner
    // The top end of the shared edge lies on both areas' top sides: the lowest id wins.
    expect(index.locate(1, 1)).toBe(1)
  })

  it('gives -1 outside every area, and for non-finite coordinates', () => {
    const index = AreaIndex.build(TWO_SQUARES)
    for (const [x, y] of [[-0.001, 0.5], [2.001, 0.5], [1, 1.001], [1, -0.001], [-5, -5], [50, 50]] as const) {
      expect(index.locate(x, y), `(${x}, ${y})`).toBe(-1)
    }
    expect(index.locate(Number.NaN, 0.5)).toBe(-1)
    expect(index.locate(0.5, Number.POSITIVE_INFINITY)).toBe(-1)
  })

  it('puts a vertex shared by four areas in exactly one: the upper right one', () => {
    const index = AreaIndex.build(FOUR_AT_A_VERTEX)
    expect(index.locate(1, 1)).toBe(13)
    expect(index.locate(1, 2)).toBe(12) // top end of the vertical shared edge: both top sides, lowest id
    expect(index.locate(2, 1)).toBe(11) // right end of the horizontal shared edge: on 11's and 13's right sides
  })

  it('handles a hole with an island of another area and an empty moat', () => {
    const index = AreaIndex.build(HOLE_AND_ISLAND)
    expect(index.locate(1, 5)).toBe(5)
    expect(index.locate(2.5, 5)).toBe(-1) // in the moat
    expect(index.locate(5, 5)).toBe(3)
    expect(index.locate(2, 5)).toBe(5) // left rim of the hole
    expect(index.locate(8, 5)).toBe(5) // right rim of the hole
    expect(index.locate(3, 5)).toBe(3) // island's left side
    expect(index.locate(7, 5)).toBe(3) // island's right side, facing the moat
  })

  it('assigns the shared ring of a filled hole to exactly one side', () => {
    const index = AreaIndex.build(FILLED_HOLE)
    expect(index.locate(1, 2)).toBe(4) // left side of the island: nudged right, into it
    expect(index.locate(3, 2)).toBe(5) // right side: nudged right, into the ring area
    expect(index.locate(2, 1)).toBe(4) // bottom: nudged up, into the island
    expect(index.locate(2, 3)).toBe(5) // top: nudged up, out of it
  })

  it('treats the parts of a MultiPolygon as one area', () => {
    const index = AreaIndex.build(MULTI)
    expect(index.locate(0.5, 0.5)).toBe(7)
    expect(index.locate(3.5, 0.5)).toBe(7)
    expect(index.locate(2, 0.5)).toBe(8)
    expect(index.locate(1, 0.5)).toBe(8)
    expect(index.locate(3, 0.5)).toBe(7)
    expect(index.locate(4, 0.5)).toBe(7)
    expect(index.locate(1, 1)).toBe(9)
    expect(index.locate(3, 1.5)).toBe(-1)
  })

  it('puts the centre of six slanted triangles in exactly one', () => {
    const index = AreaIndex.build(FAN)
    // Nudged right and up from (0, 0) lies the first triangle, (0,0)–(2,0)–(1,2), id 40.
    expect(index.locate(0, 0)).toBe(40)
    expect(index.locate(0.5, 1)).toBe(40) // on the edge (0,0)–(1,2) shared by 40 (right of it) and 20
    expect(index.locate(-0.5, 1)).toBe(20) // on the edge (0,0)–(−1,2) shared by 20 (right of it) and 60
  })

  describe.each(Object.entries(PARTITIONS))('%s', (_name, areas) => {
    it.each(CELL_SIZES.map((s) => [s ?? 'default', s] as const))(
      'follows the rule at every lattice point (cellSize %s)',
      (_label, cellSize) => {
        const index = AreaIndex.build(areas, cellSize === undefined ? {} : { cellSize })
        let counted = 0
        for (const [x, y] of lattice(areas)) {
          const got = index.locate(x, y)
          expect(got, `(${x}, ${y})`).toBe(expected(areas, x, y))
          const covering = onBoundaryOf(areas, x, y)
          if (covering.length > 0) expect(covering, `on a boundary at (${x}, ${y})`).toContain(got)
          if (got !== -1) counted++
        }
        // Cross-check through the batch path.
        const pts = lattice(areas)
        const ids = index.locateAll(Float64Array.from(pts, (p) => p[0]), Float64Array.from(pts, (p) => p[1]))
        expect(ids.filter((id) => id !== -1).length).toBe(counted)
      },
    )
  })
})

describe('AreaIndex purity', () => {
  it('does not mutate frozen input, and leaves it equal to its copy', () => {
    const before = JSON.stringify(HOLE_AND_ISLAND)
    const frozen = deepFreeze(structuredClone(HOLE_AND_ISLAND))
    const index = AreaIndex.build(frozen)
    const xs = Float64Array.of(1, 5, 2.5)
    const ys = Float64Array.of(5, 5, 5)
    expect([...index.locateAll(xs, ys)]).toEqual([5, 3, -1])
    expect(JSON.stringify(frozen)).toBe(before)
    expect([...xs]).toEqual([1, 5, 2.5])
    expect([...ys]).toEqual([5, 5, 5])
  })
})

describe('AreaIndex input checks', () => {
  it('rejects an empty list', () => {
    expect(() => AreaIndex.build([])).toThrow('AreaIndex.build: no areas given')
  })

  it('names the area, polygon, ring and position of a non-finite coordinate', () => {
    const bad = [area(1, [square(0, 0, 1, 1)]), area(2, [square(1, 0, 2, 1)])]
    bad[1]!.coordinates[0]![0]![2] = [2, Number.NaN]
    expect(() => AreaIndex.build(bad)).toThrow('AreaIndex.build: area id 2, polygon 0, ring 0, position 2: non-finite coordinate [2, NaN]')
  })

  it('names an unclosed ring', () => {
    const ring = square(0, 0, 1, 1).slice(0, 4).concat([[0, 0.5]])
    expect(() => AreaIndex.build([area(1, [square(5, 5, 6, 6), ring])])).toThrow(
      'AreaIndex.build: area id 1, polygon 0, ring 1 is not closed: first position [0, 0] differs from last [0, 0.5]',
    )
  })

  it('rejects short rings, empty polygons, bad and duplicate ids, and a bad cell size', () => {
    expect(() => AreaIndex.build([area(1, [[[0, 0], [1, 0], [0, 0]]])])).toThrow(
      'AreaIndex.build: area id 1, polygon 0, ring 0: a ring needs at least 4 positions, got 3',
    )
    expect(() => AreaIndex.build([area(1)])).toThrow('AreaIndex.build: area id 1: no polygons')
    expect(() => AreaIndex.build([area(1, [])])).toThrow('AreaIndex.build: area id 1, polygon 0: no rings')
    expect(() => AreaIndex.build([area(-1, [square(0, 0, 1, 1)])])).toThrow('AreaIndex.build: areas[0].id must be an integer in 0…2147483647, got -1')
    expect(() => AreaIndex.build([area(1.5, [square(0, 0, 1, 1)])])).toThrow('got 1.5')
    expect(() => AreaIndex.build([area(3, [square(0, 0, 1, 1)]), area(3, [square(1, 0, 2, 1)])])).toThrow(
      'AreaIndex.build: duplicate area id 3 (areas[0] and areas[1])',
    )
    expect(() => AreaIndex.build(TWO_SQUARES, { cellSize: 0 })).toThrow('AreaIndex.build: cellSize must be a finite number > 0, got 0')
    expect(() => AreaIndex.build(TWO_SQUARES, { cellSize: 1e-6 })).toThrow(/at most 16777216 cells/)
  })

  it('rejects batches of unequal length', () => {
    const index = AreaIndex.build(TWO_SQUARES)
    expect(() => index.locateAll(new Float64Array(3), new Float64Array(2))).toThrow('AreaIndex.locateAll: xs has 3 values but ys has 2')
  })
})

describe('AreaIndex against brute force', () => {
  // A jittered n × n grid of quadrilaterals at SWEREF99 TM magnitudes: slanted shared edges, four areas
  // at most vertices, some areas merged into MultiPolygons of non-adjacent quads.
  function jitteredPartition(seed: number, n: number): IndexArea[] {
    const rnd = mulberry32(seed)
    const size = 250
    const ox = 319_000.123, oy = 6_399_000.456
    const vx: number[][] = [], vy: number[][] = []
    for (let i = 0; i <= n; i++) {
      vx.push([]), vy.push([])
      for (let j = 0; j <= n; j++) {
        const inner = i > 0 && i < n && j > 0 && j < n
        vx[i]!.push(ox + i * size + (inner ? (rnd() - 0.5) * 0.6 * size : 0))
        vy[i]!.push(oy + j * size + (inner ? (rnd() - 0.5) * 0.6 * size : 0))
      }
    }
    const byId = new Map<number, Ring[][]>()
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const corner = (a: number, b: number) => [vx[i + a]![j + b]!, vy[i + a]![j + b]!]
        const ring = [corner(0, 0), corner(1, 0), corner(1, 1), corner(0, 1), corner(0, 0)]
        // Quads on the same diagonal stripe two apart share an id: parts that never touch.
        const id = (i + j) % 2 === 0 && (i + j) % 4 === 0 ? 1000 + ((i - j + n) % 3) : i * n + j
        byId.set(id, [...(byId.get(id) ?? []), [ring]])
      }
    }
    return [...byId].map(([id, polygons]) => ({ id, coordinates: polygons }))
  }

  it.each([1, 2, 3])('matches ray casting at random interior points and at every vertex (seed %i)', (seed) => {
    const areas = jitteredPartition(seed, 12)
    const index = AreaIndex.build(areas, seed === 3 ? { cellSize: 37 } : {})
    const rnd = mulberry32(seed * 7919)
    const n = 4000
    const xs = new Float64Array(n), ys = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      xs[i] = 319_000 - 100 + rnd() * 3200
      ys[i] = 6_399_000 - 100 + rnd() * 3200
    }
    const ids = index.locateAll(xs, ys)
    for (let i = 0; i < n; i++) {
      const hits = bruteForce(areas, xs[i]!, ys[i]!)
      expect(hits.length).toBeLessThanOrEqual(1)
      expect(ids[i], `(${xs[i]}, ${ys[i]})`).toBe(hits[0] ?? -1)
    }
    // Vertices: each in exactly one of the areas around it, the one nudged up and right if any.
    for (const a of areas) {
      for (const [x, y] of a.coordinates.flat(2) as Array<[number, number]>) {
        const got = index.locate(x, y)
        const nudged = bruteForce(areas, x + 1e-6, y + 1e-9)
        if (nudged.length === 1) expect(got, `vertex (${x}, ${y})`).toBe(nudged[0])
        else expect(onBoundaryOf(areas, x, y), `vertex (${x}, ${y})`).toContain(got)
      }
    }
  })
})

describe('AreaIndex on the outer boundary, decided exactly', () => {
  // Scaled by 2^40, every double ≥ 2^12 in magnitude is an integer: exact arithmetic without our own code.
  const big = (v: number): bigint => {
    const scaled = v * 2 ** 40
    if (!Number.isInteger(scaled)) throw new Error(`${v} is not a multiple of 2^-40`)
    return BigInt(scaled)
  }
  /** Sign of (b − a) × (c − a), exactly. */
  const orient = (a: number[], b: number[], c: number[]): number => {
    const d = (big(b[0]!) - big(a[0]!)) * (big(c[1]!) - big(a[1]!)) - (big(b[1]!) - big(a[1]!)) * (big(c[0]!) - big(a[0]!))
    return d > 0n ? 1 : d < 0n ? -1 : 0
  }
  const edgesOf = (a: IndexArea) => a.coordinates.flat().flatMap((ring) => ring.slice(1).map((q, i) => [ring[i]!, q] as const))
  const onSegment = (p: number[], q: number[], c: number[]) =>
    orient(p, q, c) === 0 && c[0]! >= Math.min(p[0]!, q[0]!) && c[0]! <= Math.max(p[0]!, q[0]!) && c[1]! >= Math.min(p[1]!, q[1]!) && c[1]! <= Math.max(p[1]!, q[1]!)
  /** Half-open crossing parity, exactly: odd when the point nudged right and (less) up lies inside. */
  const nudgedInside = (a: IndexArea, c: number[]) => {
    let inside = false
    for (const [p, q] of edgesOf(a)) {
      const [lo, hi] = p[1]! < q[1]! ? [p, q] : [q, p]
      if (lo[1]! <= c[1]! && c[1]! < hi[1]! && orient(lo, hi, c) > 0) inside = !inside
    }
    return inside
  }
  /** ST_Covers, exactly: inside or on an edge. */
  const covers = (areas: readonly IndexArea[], c: number[]) =>
    areas.filter((a) => nudgedInside(a, c) || edgesOf(a).some(([p, q]) => onSegment(p, q, c))).map((a) => a.id)
  /** The documented rule, exactly: the area nudged into, else the lowest id with an edge through the point, else -1. */
  const rule = (areas: readonly IndexArea[], c: number[]) => {
    const nudged = areas.filter((a) => nudgedInside(a, c)).map((a) => a.id)
    expect(nudged.length, `overlap at (${c[0]}, ${c[1]})`).toBeLessThanOrEqual(1)
    const onEdge = areas.filter((a) => edgesOf(a).some(([p, q]) => onSegment(p, q, c))).map((a) => a.id)
    return nudged[0] ?? (onEdge.length ? Math.min(...onEdge) : -1)
  }

  // A small city at SWEREF99 TM magnitudes, with slanted edges only: an outline of corners facing every
  // way (south-west O0, south-east O2, north-east O4, north-west O6, a dent at O5), three areas meeting it
  // at O1, O3 and O5 and each other at M, an empty lake in area 1 and an island (area 4) filling a hole in area 2.
  const at = (dx: number, dy: number) => [319_000.37 + dx, 6_399_000.61 + dy]
  const O = [at(0.13, 0.29), at(47.71, -6.83), at(101.37, 3.17), at(106.91, 49.43), at(97.53, 103.89), at(51.29, 96.07), at(-3.41, 101.77), at(-7.97, 53.11)]
  const M = at(55.57, 47.93)
  const LAKE = [at(15.3, 40.7), at(30.9, 45.1), at(20.7, 60.3)]
  const ISLAND = [at(70.1, 15.3), at(85.7, 18.9), at(83.3, 33.7), at(68.9, 30.1)]
  const close = (pts: number[][]) => [...pts, pts[0]!]
  const CITY: IndexArea[] = [
    area(1, [close([O[0]!, O[1]!, M, O[5]!, O[6]!, O[7]!]), close(LAKE)]),
    area(2, [close([O[1]!, O[2]!, O[3]!, M]), close([...ISLAND].reverse())]),
    area(3, [close([M, O[3]!, O[4]!, O[5]!])]),
    area(4, [close(ISLAND)]),
  ]

  // Points on and within a few units in the last place of every edge: floating-point points at fractions
  // of an edge, each moved 0–2 ulps in x and in y, so some lie just inside, some just outside, a few on it.
  /** v moved k units in the last place (v is not near a power of two here). */
  const ulpStep = (v: number, k: number) => v + k * 2 ** (Math.floor(Math.log2(Math.abs(v))) - 52)
  const nearEdges = (areas: readonly IndexArea[]) => {
    const pts: number[][] = []
    for (const a of areas) {
      for (const [p, q] of edgesOf(a)) {
        for (const t of [0.5, 1 / 3, 0.9]) {
          const x = p[0]! + t * (q[0]! - p[0]!), y = p[1]! + t * (q[1]! - p[1]!)
          for (const kx of [-2, -1, 0, 1, 2]) for (const ky of [-1, 0, 1]) pts.push([ulpStep(x, kx), ulpStep(y, ky)])
        }
      }
    }
    return pts
  }
  const vertices = CITY.flatMap((a) => a.coordinates.flat(2))

  it('counts every vertex of the outline in exactly one area that covers it, junctions and corners of every facing included', () => {
    const index = AreaIndex.build(CITY)
    for (const [i, v] of O.entries()) {
      const got = index.locate(v[0]!, v[1]!)
      expect(covers(CITY, v), `O${i}`).toContain(got)
    }
    // Junctions: where two areas meet the outline, the point belongs to one of the two.
    expect([1, 2]).toContain(index.locate(O[1]![0]!, O[1]![1]!))
    expect([2, 3]).toContain(index.locate(O[3]![0]!, O[3]![1]!))
    expect([1, 3]).toContain(index.locate(O[5]![0]!, O[5]![1]!))
    // Lake rim (area 1, nothing inside) and island rim (areas 2 and 4): covered, counted once.
    for (const v of [...LAKE, ...ISLAND]) expect(covers(CITY, v)).toContain(index.locate(v[0]!, v[1]!))
  })

  it.each(CELL_SIZES.map((s) => [s === undefined ? 'default' : s * 10, s && s * 10] as const))(
    'returns an area that covers the point exactly when one does, at vertices and on and within ulps of every edge (cellSize %s)',
    (_label, cellSize) => {
      const index = AreaIndex.build(CITY, cellSize === undefined ? {} : { cellSize })
      const corners = new Set(vertices.map((v) => `${v}`))
      const failures: string[] = []
      const seen = { covered: 0, uncovered: 0, onEdge: 0 }
      for (const c of [...vertices, ...nearEdges(CITY)]) {
        const got = index.locate(c[0]!, c[1]!)
        const want = covers(CITY, c)
        const expectedId = rule(CITY, c)
        seen[want.length > 0 ? 'covered' : 'uncovered']++
        if (!corners.has(`${c}`) && CITY.some((a) => edgesOf(a).some(([p, q]) => onSegment(p, q, c)))) seen.onEdge++
        if (want.length > 0 ? !want.includes(got) || got !== expectedId : got !== -1) {
          if (failures.length < 10) failures.push(`(${c[0]}, ${c[1]}): ours ${got}, covered by [${want}], rule ${expectedId}`)
        }
      }
      expect(failures).toEqual([])
      // The sample really straddles the edges, and some of its points lie exactly on one.
      expect(seen.covered).toBeGreaterThan(800)
      expect(seen.uncovered).toBeGreaterThan(200)
      expect(seen.onEdge).toBeGreaterThan(5)
    },
  )
})

describe('collinear', () => {
  it('is exact where the floating-point cross product is not', () => {
    // c is a rounded point of segment ab: the naive cross product is exactly 0, the true one is not.
    const [ax, ay, bx, by, cx, cy] = [319508.97999907215, 6400240.553504626, 319513.77711780847, 6400247.504657851, 319513.01663237426, 6400246.402694137]
    expect((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)).toBe(0)
    expect(collinear(ax, ay, bx, by, cx, cy)).toBe(false)
    // A point truly on the line, a dyadic fraction of the way along.
    expect(collinear(319000.5, 6400000.25, 319003.5, 6400007.25, 319001.25, 6400002)).toBe(true)
    expect(collinear(0, 0, 1, 1, 2, 2)).toBe(true)
    expect(collinear(0, 0, 1, 1, 2, 2.000000000000001)).toBe(false)
    // Products so small they underflow to 0 in floating point.
    expect(collinear(0, 0, 1e-200, 1e-200, 2e-200, 3e-200)).toBe(false)
  })
})
