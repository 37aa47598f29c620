/**
 * The pure point-in-area engine against PostGIS itself, on the real boundaries of each engine:
 * random points must land where ST_Contains puts them, and points exactly on shared edges and
 * vertices in exactly one of the areas ST_Covers finds.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { buildEpochs, dayNumber, PointTally } from '../../server/spatial/aggregate'
import { DEFAULT_HEX_RESOLUTION } from '../../server/spatial/hexbin'
import { AreaIndex, type IndexArea } from '../../server/spatial/area-index'
import { testEngines } from '../helpers/engines'
import { mulberry32 } from '../helpers/random'

/** Every k-th item, so a sample is spread over the whole list and the same on each run. */
const spread = <T>(items: T[], max: number): T[] => items.filter((_, i) => i % Math.max(1, Math.ceil(items.length / max)) === 0)

interface Boundary {
  /** Vertices of two or more areas. */
  sharedVertices: Array<[number, number]>
  /** Vertices of one area only: mostly the partition's outer boundary. */
  ownVertices: Array<[number, number]>
  /** Points exactly on a vertical or horizontal edge that two areas share. */
  onAxisEdges: Array<[number, number]>
  /** Floating-point midpoints of slanted shared edges: within rounding of the edge, not on it. */
  nearEdges: Array<[number, number]>
}

function boundaryPoints(areas: IndexArea[]): Boundary {
  const vertices = new Map<string, { p: [number, number]; ids: Set<number> }>()
  const edges = new Map<string, { a: number[]; b: number[]; ids: Set<number> }>()
  for (const area of areas) {
    for (const ring of area.coordinates.flat()) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const p = ring[i]!, q = ring[i + 1]!
        const v = vertices.get(`${p[0]},${p[1]}`) ?? { p: [p[0]!, p[1]!] as [number, number], ids: new Set<number>() }
        vertices.set(`${p[0]},${p[1]}`, v.ids.add(area.id) && v)
        const [a, b] = p[1]! < q[1]! || (p[1] === q[1] && p[0]! < q[0]!) ? [p, q] : [q, p]
        const key = `${a[0]},${a[1]},${b[0]},${b[1]}`
        const e = edges.get(key) ?? { a, b, ids: new Set<number>() }
        edges.set(key, e.ids.add(area.id) && e)
      }
    }
  }
  const shared = [...edges.values()].filter((e) => e.ids.size >= 2)
  const axis = shared.filter((e) => e.a[0] === e.b[0] || e.a[1] === e.b[1])
  return {
    sharedVertices: spread([...vertices.values()].filter((v) => v.ids.size >= 2).map((v) => v.p), 1500),
    ownVertices: spread([...vertices.values()].filter((v) => v.ids.size === 1).map((v) => v.p), 500),
    // On a vertical edge any point with its x lies on it, however the y was rounded; likewise horizontally.
    onAxisEdges: spread(axis, 500).map((e) =>
      e.a[0] === e.b[0] ? [e.a[0]!, e.a[1]! + (e.b[1]! - e.a[1]!) / 3] : [e.a[0]! + (e.b[0]! - e.a[0]!) / 3, e.a[1]!],
    ),
    nearEdges: spread(shared.filter((e) => !axis.includes(e)), 1000).map((e) => [(e.a[0]! + e.b[0]!) / 2, (e.a[1]! + e.b[1]!) / 2]),
  }
}

interface Match { contains: number[]; covers: number[]; near: number[] }

/**
 * Which areas of the layer contain and cover each point, per PostGIS, and — for points from `nearFrom`
 * on — come within a micrometre of it.
 */
async function postgis(db: Db, layer: string, pts: Array<[number, number]>, nearFrom: number): Promise<Match[]> {
  const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1])
  await sql`DROP TABLE IF EXISTS engine_points`.execute(db.kysely)
  await sql`CREATE TEMP TABLE engine_points AS
    SELECT (i - 1)::int AS i, ST_SetSRID(ST_MakePoint(x, y), 3006) AS geom
    FROM unnest(${xs}::float8[], ${ys}::float8[]) WITH ORDINALITY AS u(x, y, i)`.execute(db.kysely)
  await sql`CREATE INDEX ON engine_points USING gist (geom)`.execute(db.kysely)
  await sql`ANALYZE engine_points`.execute(db.kysely)
  // Areas drive the join, so PostGIS prepares each polygon once instead of once per point.
  const { rows } = await sql<{ i: number; id: number; contains: boolean }>`
    SELECT p.i, a.id, ST_Contains(a.geom, p.geom) AS contains
    FROM areas a JOIN engine_points p ON ST_Covers(a.geom, p.geom)
    WHERE a.layer_id = ${layer}`.execute(db.kysely)
  // Distance is not prepared: asked only for the few points that need it.
  const near = await sql<{ i: number; id: number }>`
    SELECT p.i, a.id FROM areas a JOIN engine_points p ON ST_DWithin(a.geom, p.geom, 1e-6)
    WHERE a.layer_id = ${layer} AND p.i >= ${nearFrom}`.execute(db.kysely)
  const out = pts.map(() => ({ contains: [] as number[], covers: [] as number[], near: [] as number[] }))
  for (const r of rows) {
    out[r.i]!.covers.push(r.id)
    if (r.contains) out[r.i]!.contains.push(r.id)
  }
  for (const r of near.rows) out[r.i]!.near.push(r.id)
  return out
}

describe.each(testEngines())('spatial engine against PostGIS on $name', (engine) => {
  let db: Db
  beforeAll(async () => {
    db = await engine.open()
  })
  afterAll(async () => {
    await db?.close()
  })

  it.each([
    ['deso', 320],
    ['primaromrade', 96],
    ['stadsomrade', 4],
  ])('%s: agrees with ST_Contains and ST_Covers', async (layer, n) => {
    const { rows } = await sql<{ id: number; g: string }>`SELECT id, ST_AsGeoJSON(geom, 15) AS g FROM areas WHERE layer_id = ${layer}`.execute(db.kysely)
    expect(rows).toHaveLength(n)
    const areas: IndexArea[] = rows.map((r) => ({ id: r.id, coordinates: (JSON.parse(r.g) as { coordinates: number[][][][] }).coordinates }))
    const before = JSON.stringify(areas)
    const index = AreaIndex.build(areas)
    expect(JSON.stringify(areas)).toBe(before)

    // Random points over the layer's bounding box and a little beyond.
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity]
    for (const [x, y] of areas.flatMap((a) => a.coordinates.flat(2))) {
      ;[x0, y0, x1, y1] = [Math.min(x0, x! - 500), Math.min(y0, y! - 500), Math.max(x1, x! + 500), Math.max(y1, y! + 500)]
    }
    const rnd = mulberry32(n)
    const random = Array.from({ length: 20_000 }, () => [x0 + rnd() * (x1 - x0), y0 + rnd() * (y1 - y0)] as [number, number])
    const b = boundaryPoints(areas)
    expect(b.sharedVertices.length).toBeGreaterThan(100)
    const groups = { random, ...b }
    const pts = Object.values(groups).flat()
    const ids = index.locateAll(Float64Array.from(pts, (p) => p[0]), Float64Array.from(pts, (p) => p[1]))
    const matches = await postgis(db, layer, pts, pts.length - b.nearEdges.length)

    let k = 0
    const failures: string[] = []
    const fail = (group: string, i: number, why: string) => {
      if (failures.length < 10) failures.push(`${group} (${pts[i]![0]}, ${pts[i]![1]}): ours ${ids[i]}, ${why}`)
    }
    const tally: Record<string, { inside: number; boundary: number; outside: number }> = {}
    for (const [group, list] of Object.entries(groups)) {
      const t = (tally[group] = { inside: 0, boundary: 0, outside: 0 })
      for (let j = 0; j < list.length; j++, k++) {
        const m = matches[k]!
        const id = ids[k]!
        if (group === 'nearEdges') {
          // Within rounding of a shared edge: in one of the areas there, never lost.
          if (id === -1 || !m.near.includes(id)) fail(group, k, `PostGIS near ${m.near}`)
          t.boundary++
        } else if (m.contains.length === 1 && m.covers.length === 1) {
          if (id !== m.contains[0]) fail(group, k, `ST_Contains ${m.contains[0]}`)
          t.inside++
        } else if (m.covers.length > 0) {
          if (!m.covers.includes(id)) fail(group, k, `ST_Covers ${m.covers}`)
          t.boundary++
        } else {
          if (id !== -1) fail(group, k, 'PostGIS: in no area')
          t.outside++
        }
      }
    }
    expect(failures).toEqual([])
    // The random sample reaches inside and outside; boundary points really are on boundaries.
    expect(tally.random!.inside).toBeGreaterThan(5000)
    expect(tally.random!.outside).toBeGreaterThan(1000)
    expect(tally.sharedVertices!.boundary).toBe(b.sharedVertices.length)
    expect(tally.ownVertices!.boundary).toBe(b.ownVertices.length)
    expect(tally.onAxisEdges!.boundary).toBe(b.onAxisEdges.length)

    // Counted exactly once: per-area totals from the import's PointTally equal PostGIS's ST_Contains counts
    // on the random points, and every shared vertex is counted, once, in some area.
    const [epoch] = buildEpochs(rows.map((r) => ({ id: r.id, layerId: layer, validFrom: '2000-01-01', validTo: null, geometry: JSON.parse(r.g) })))
    const perArea = (from: number, to: number) => {
      const t = new PointTally([epoch!], layer, DEFAULT_HEX_RESOLUTION)
      for (const [x, y] of pts.slice(from, to)) t.add(x, y, dayNumber('2024-06-01'), 0)
      t.flush()
      const totals = new Map(epoch!.areaIds.map((id, pos) => [id, t.count(epoch!, pos, 0)] as const).filter(([, c]) => c > 0))
      return { totals, outside: t.outside }
    }
    const expected = new Map<number, number>()
    for (const m of matches.slice(0, random.length)) if (m.contains[0] !== undefined) expected.set(m.contains[0], (expected.get(m.contains[0]) ?? 0) + 1)
    const randomCounts = perArea(0, random.length)
    expect(randomCounts.totals).toEqual(expected)
    expect(randomCounts.outside).toBe(tally.random!.outside)
    const shared = perArea(random.length, random.length + b.sharedVertices.length)
    expect(shared.outside).toBe(0)
    expect([...shared.totals.values()].reduce((s, c) => s + c, 0)).toBe(b.sharedVertices.length)
  })
})
