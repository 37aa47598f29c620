/**
 * Incidents exactly on the city's outline are counted, once per layer, in an area that covers them: the
 * vertices where two stadsområden (or primärområden) meet the municipal border or the shore, other outline
 * vertices and points on outline edges, and vertices shared inside the city. The points come from the
 * stored full-precision geometry (EPSG:3006), PostGIS's ST_Covers says which areas hold each one, and they
 * go through the real incident import over HTTP.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { post, startApp, type RunningApp } from '../helpers/http'

type P = [number, number]

/** Every k-th item, so a sample is spread over the whole list and the same on each run. */
const spread = <T>(items: T[], max: number): T[] => items.filter((_, i) => i % Math.max(1, Math.ceil(items.length / max)) === 0)

/**
 * The layer's rings as PostGIS stores them. Fifteen decimals print every stored double exactly (the shortest
 * form that reads back as the same double); were they rounded, the ST_Covers checks below would fail.
 */
async function layerRings(db: Db, layer: string): Promise<Map<number, P[][]>> {
  const { rows } = await sql<{ id: number; g: string }>`SELECT id, ST_AsGeoJSON(geom, 15) AS g FROM areas WHERE layer_id = ${layer}`.execute(db.kysely)
  return new Map(rows.map((r) => {
    const g = JSON.parse(r.g) as { type: string; coordinates: unknown }
    return [r.id, (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as P[][][]] as const
  }).map(([id, polygons]) => [id, polygons.flat()]))
}

interface Outline {
  /** Vertices of two or more areas that end an edge of one area only: where areas meet the outline. */
  junctions: P[]
  /** Other vertices on the outline (an edge of one area only ends there). */
  outerVertices: P[]
  /** Edges of one area only: the outline, coast and islands included. */
  outerEdges: Array<[P, P]>
  /** Vertices of two or more areas with every edge shared: inside the city. */
  innerVertices: P[]
}

/** Classifies vertices and edges by exact coordinates; PostGIS then says what covers each point picked. */
function outline(rings: Map<number, P[][]>): Outline {
  const key = (p: P) => `${p[0]},${p[1]}`
  const edgeKey = (p: P, q: P) => (p[1] < q[1] || (p[1] === q[1] && p[0] < q[0]) ? `${key(p)}|${key(q)}` : `${key(q)}|${key(p)}`)
  const edgeAreas = new Map<string, Set<number>>()
  for (const [id, list] of rings) {
    for (const ring of list) for (let i = 0; i + 1 < ring.length; i++) {
      const k = edgeKey(ring[i]!, ring[i + 1]!)
      edgeAreas.set(k, (edgeAreas.get(k) ?? new Set()).add(id))
    }
  }
  const vertices = new Map<string, { p: P; ids: Set<number>; outer: boolean }>()
  const outerEdges: Array<[P, P]> = []
  for (const [id, list] of rings) {
    for (const ring of list) for (let i = 0; i + 1 < ring.length; i++) {
      const p = ring[i]!, q = ring[i + 1]!
      if (p[0] === q[0] && p[1] === q[1]) continue
      const outer = edgeAreas.get(edgeKey(p, q))!.size === 1
      if (outer) outerEdges.push([p, q])
      for (const v of [p, q]) {
        const entry = vertices.get(key(v)) ?? { p: v, ids: new Set<number>(), outer: false }
        entry.ids.add(id)
        entry.outer ||= outer
        vertices.set(key(v), entry)
      }
    }
  }
  const all = [...vertices.values()]
  return {
    junctions: all.filter((v) => v.outer && v.ids.size >= 2).map((v) => v.p),
    outerVertices: all.filter((v) => v.outer && v.ids.size === 1).map((v) => v.p),
    outerEdges,
    innerVertices: all.filter((v) => !v.outer && v.ids.size >= 2).map((v) => v.p),
  }
}

/** Per point, the ids of each layer's areas that ST_Covers it, on the stored geometry. */
async function coveredBy(db: Db, pts: P[]): Promise<Array<Map<string, number[]>>> {
  await sql`DROP TABLE IF EXISTS outline_points`.execute(db.kysely)
  await sql`CREATE TEMP TABLE outline_points AS
    SELECT (i - 1)::int AS i, ST_SetSRID(ST_MakePoint(x, y), 3006) AS geom
    FROM unnest(${pts.map((p) => p[0])}::float8[], ${pts.map((p) => p[1])}::float8[]) WITH ORDINALITY AS u(x, y, i)`.execute(db.kysely)
  await sql`CREATE INDEX ON outline_points USING gist (geom)`.execute(db.kysely)
  await sql`ANALYZE outline_points`.execute(db.kysely)
  const { rows } = await sql<{ i: number; id: number; layer_id: string }>`
    SELECT p.i, a.id, a.layer_id FROM areas a JOIN outline_points p ON ST_Covers(a.geom, p.geom)
    WHERE a.layer_id <> 'hex' ORDER BY a.id`.execute(db.kysely)
  const out = pts.map(() => new Map<string, number[]>())
  for (const r of rows) out[r.i]!.set(r.layer_id, [...(out[r.i]!.get(r.layer_id) ?? []), r.id])
  return out
}

/** The n-th month of 2025, as yyyy-mm. */
const monthNo = (n: number) => `2025-${String(1 + n).padStart(2, '0')}`
const csv3006 = (pts: Array<{ p: P; month: string }>) =>
  'Datum;Kategori;X;Y\r\n' + pts.map(({ p, month }) => `${month}-15;demo_misshandel_utomhus;${String(p[0]).replace('.', ',')};${String(p[1]).replace('.', ',')}`).join('\r\n') + '\r\n'

describe.each(testEngines())('incidents on the city outline on $name', (engine) => {
  let db: Db
  let app: RunningApp
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  it('counts every point on the outline, and on shared vertices inside, once per layer in an area that ST_Covers it', async () => {
    const stads = outline(await layerRings(db, 'stadsomrade'))
    const prim = outline(await layerRings(db, 'primaromrade'))
    expect(stads.junctions.length).toBeGreaterThanOrEqual(3)
    expect(prim.junctions.length).toBeGreaterThan(50)

    const axis = (e: [P, P]) => e[0][0] === e[1][0] || e[0][1] === e[1][1]
    const onAxis = stads.outerEdges.filter(axis)
    const groups: Record<string, P[]> = {
      stadsJunctions: stads.junctions,
      primJunctions: prim.junctions,
      outerVertices: spread(stads.outerVertices, 300),
      // On a vertical edge any point with its x lies on it, however its y was rounded; likewise horizontally.
      onAxisEdges: spread(onAxis, 100).map(([p, q]) => (p[0] === q[0] ? [p[0], p[1] + (q[1] - p[1]) / 3] : [p[0] + (q[0] - p[0]) / 3, p[1]])),
      // Floating-point midpoints of slanted edges: within rounding of the outline, on either side of it.
      outerMidpoints: spread(stads.outerEdges.filter((e) => !axis(e)), 300).map(([p, q]) => [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2]),
      stadsInner: stads.innerVertices,
      primInner: spread(prim.innerVertices, 100),
    }
    const all = Object.values(groups).flat()
    const cover = await coveredBy(db, all)
    const stadsCover = (i: number) => cover[i]!.get('stadsomrade') ?? []

    // PostGIS: the vertices are covered (junctions and inner vertices by two areas or more), so are the
    // points on axis-parallel edges; midpoints are covered or not as rounding put them.
    let k = 0
    const points: Array<{ p: P; i: number }> = []
    const outside: P[] = []
    for (const [group, list] of Object.entries(groups)) {
      for (const p of list) {
        const n = stadsCover(k).length
        if (group === 'stadsJunctions' || group === 'stadsInner') expect(n, `${group} (${p})`).toBeGreaterThanOrEqual(2)
        else if (group === 'outerVertices' || group === 'onAxisEdges') expect(n, `${group} (${p})`).toBeGreaterThanOrEqual(1)
        // The two layers' outlines differ by up to a tenth of a millimetre: a primärområde's vertex may lie just outside the stadsområden.
        else if (group !== 'outerMidpoints') expect((cover[k]!.get('primaromrade') ?? []).length, `${group} (${p})`).toBeGreaterThanOrEqual(2)
        if (n > 0) points.push({ p, i: k })
        else outside.push(p)
        k++
      }
    }
    expect(outside.length).toBeGreaterThan(20)

    // One month per set of covering stadsområden: a month's points are all covered by exactly the same
    // stadsområden, so its counts show that each point went to one of them.
    const monthOf = new Map<string, string>()
    const rows = points.map(({ p, i }) => {
      const id = `${stadsCover(i).sort((a, b) => a - b)}`
      if (!monthOf.has(id)) monthOf.set(id, monthNo(monthOf.size))
      return { p, i, month: monthOf.get(id)! }
    })
    expect(monthOf.size).toBeLessThanOrEqual(12)

    const res = await post(app, '/api/imports/incidents?crs=EPSG:3006&filename=kontur.csv', csv3006(rows))
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body).toMatchObject({ rowsRead: rows.length, rowsAccepted: rows.length, rowsOutsideCity: 0, rowsRejected: 0 })

    const { rows: stored } = await sql<{ layer_id: string; area_id: number; period: string; value: number }>`
      SELECT a.layer_id, o.area_id, o.period, o.value FROM observations o JOIN areas a ON a.id = o.area_id
      WHERE o.import_id = ${res.body.importId} AND o.value > 0`.execute(db.kysely)
    const layers = (await sql<{ id: string }>`SELECT DISTINCT layer_id AS id FROM areas WHERE layer_id <> 'hex'`.execute(db.kysely)).rows.map((r) => r.id)
    expect(layers).toEqual(expect.arrayContaining(['stadsomrade', 'primaromrade', 'deso', 'regso']))
    const failures: string[] = []
    for (const month of monthOf.values()) {
      const inMonth = rows.filter((r) => r.month === month)
      for (const layer of [...layers, 'hex']) {
        const counts = stored.filter((s) => s.layer_id === layer && s.period === month)
        const total = counts.reduce((s, c) => s + c.value, 0)
        // Counted exactly once in every layer where some area covers the point.
        const expected = layer === 'hex' ? inMonth.length : inMonth.filter((r) => cover[r.i]!.has(layer)).length
        if (total !== expected) failures.push(`${month} ${layer}: ${total} counted, ${expected} covered`)
        if (layer === 'hex') continue
        // Each area holds at least the points it alone covers and at most those it covers; for stadsområden,
        // which cover all the month's points alike, that puts each point in an area that covers it.
        const got = new Map(counts.map((c) => [c.area_id, c.value]))
        const areas = new Set([...got.keys(), ...inMonth.flatMap((r) => cover[r.i]!.get(layer) ?? [])])
        for (const id of areas) {
          const covering = inMonth.filter((r) => cover[r.i]!.get(layer)?.includes(id))
          const only = covering.filter((r) => cover[r.i]!.get(layer)!.length === 1).length
          const n = got.get(id) ?? 0
          if (n < only || n > covering.length) failures.push(`${month} ${layer} area ${id}: ${n} counted, ${only} covered by it alone, ${covering.length} by it`)
        }
      }
    }
    expect(failures).toEqual([])
    // Every point once a month (the weeks count the same points again).
    const citywide = stored.filter((s) => s.layer_id === 'stadsomrade' && !s.period.includes('W')).reduce((s, c) => s + c.value, 0)
    expect(citywide).toBe(rows.length)

    // Midpoints just outside the outline, and primärområde vertices just outside the stadsområden, are outside the city.
    const dry = await post(app, '/api/imports/incidents?crs=EPSG:3006&dryRun=true', csv3006(outside.map((p) => ({ p, month: '2025-01' }))))
    expect(dry.status).toBe(200)
    expect(dry.body).toMatchObject({ rowsRead: outside.length, rowsAccepted: 0, rowsOutsideCity: outside.length })
  })
})
