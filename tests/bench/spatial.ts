// Benchmarks point-in-area location on Göteborg's real boundaries: our AreaIndex against Turf, flatbush +
// Turf and a PostGIS GiST join. Run with `npx tsx tests/bench/spatial.ts`.
// BENCH_DATABASE_URL (optional): a PostgreSQL + PostGIS server where a scratch database is created and dropped.
// BENCH_SPATIAL_POINTS (default 1000000): the large point set; the small one is a tenth of it.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { booleanPointInPolygon } from '@turf/turf'
import Flatbush from 'flatbush'
import { sql, type Kysely } from 'kysely'
import pg from 'pg'
import { createDb, type Db } from '../../db/connect'
import { openDatabase } from '../../server/boot'
import { buildEpochs, dayNumber, PointTally } from '../../server/spatial/aggregate'
import { AreaIndex, type IndexArea } from '../../server/spatial/area-index'
import { DEFAULT_HEX_RESOLUTION } from '../../server/spatial/hexbin'
import { mulberry32 } from '../helpers/random'

const ROOT = resolve(import.meta.dirname, '../..')
const PG_URL = process.env.BENCH_DATABASE_URL || undefined
const LARGE = Number(process.env.BENCH_SPATIAL_POINTS ?? 1_000_000)
const SMALL = Math.round(LARGE / 10)
const TURF_NAIVE_POINTS = 20_000
const LAYERS = ['deso', 'regso', 'primaromrade', 'stadsomrade'] as const

interface Layer { id: string; areas: IndexArea[]; geojson: Array<{ id: number; g: string }> }
interface Row { method: string; layer: string; points: string; rate: number; note?: string }
const rows: Row[] = []

// Peak RSS, sampled; PGlite runs in this process, so it is included.
let peakRss = 0
const sampleRss = () => { peakRss = Math.max(peakRss, process.memoryUsage.rss()) }
const sampler = setInterval(sampleRss, 25)
sampler.unref()

interface Points { xs: Float64Array; ys: Float64Array }
function randomPoints(n: number, seed: number, box: [number, number, number, number]): Points {
  const rnd = mulberry32(seed)
  const xs = new Float64Array(n), ys = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    xs[i] = box[0] + rnd() * (box[2] - box[0])
    ys[i] = box[1] + rnd() * (box[3] - box[1])
  }
  return { xs, ys }
}

const slice = (p: Points, n: number): Points => ({ xs: p.xs.subarray(0, n), ys: p.ys.subarray(0, n) })

/** Median wall time of `runs` calls, after one warm-up call. */
function timeSync<T>(fn: () => T, runs: number): [T, number] {
  let result = fn()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    result = fn()
    times.push(performance.now() - t0)
    sampleRss()
  }
  return [result, times.sort((a, b) => a - b)[Math.floor(runs / 2)]!]
}

async function seededPglite(tmp: string): Promise<Db> {
  const dir = join(tmp, 'pglite')
  const TMP = join(ROOT, '.tmp')
  const templates = existsSync(TMP) ? (await readdir(TMP)).filter((d) => d.startsWith('pglite-template-') && existsSync(join(TMP, d, '.ready'))) : []
  if (templates[0]) {
    await cp(join(TMP, templates[0]), dir, { recursive: true })
    return createDb({ dataDir: dir })
  }
  console.log('No prepared PGlite template in .tmp (npm test builds one): migrating and seeding a fresh copy…')
  return openDatabase({ dataDir: dir, databaseUrl: undefined })
}

async function loadLayers(kysely: Kysely<any>): Promise<Layer[]> {
  const layers: Layer[] = []
  for (const id of LAYERS) {
    const { rows: r } = await sql<{ id: number; g: string }>`SELECT id, ST_AsGeoJSON(geom, 15) AS g FROM areas WHERE layer_id = ${id} ORDER BY id`.execute(kysely)
    layers.push({ id, geojson: r, areas: r.map((a) => ({ id: a.id, coordinates: (JSON.parse(a.g) as { coordinates: number[][][][] }).coordinates })) })
  }
  return layers
}

function benchOurs(layer: Layer, pts: Points[]): Int32Array[] {
  const t0 = performance.now()
  const index = AreaIndex.build(layer.areas)
  const buildMs = performance.now() - t0
  const s = index.stats
  console.log(
    `  ${layer.id}: ${layer.areas.length} areas, ${s.edges} edges; build ${buildMs.toFixed(0)} ms, ` +
      `grid ${s.cells} cells (${((100 * s.untouchedCells) / s.cells).toFixed(0)} % untouched), ${(s.bytes / 2 ** 20).toFixed(1)} MiB`,
  )
  // Worst case: every point within 20 m of a vertex, so nearly all fall in cells that edges touch.
  const near = nearVertices(layer, SMALL, 7)
  const [, nearMs] = timeSync(() => index.locateAll(near.xs, near.ys), 5)
  rows.push({ method: 'AreaIndex.locateAll, ≤ 20 m from a vertex', layer: layer.id, points: count(SMALL), rate: SMALL / (nearMs / 1000), note: 'worst case, not compared' })
  // The import's aggregation on top of the index: clip to the layer, count per (area, slot) and per H3 cell.
  const epochs = buildEpochs(layer.areas.map((a) => ({ id: a.id, layerId: layer.id, validFrom: '2000-01-01', validTo: null, geometry: { type: 'MultiPolygon', coordinates: a.coordinates } })))
  const largest = pts.reduce((a, b) => (b.xs.length > a.xs.length ? b : a))
  const day = dayNumber('2025-06-01')
  const [tally, tallyMs] = timeSync(() => {
    const t = new PointTally(epochs, layer.id, DEFAULT_HEX_RESOLUTION)
    for (let i = 0; i < largest.xs.length; i++) t.add(largest.xs[i]!, largest.ys[i]!, day, i % 12)
    t.flush()
    return t
  }, 3)
  rows.push({
    method: 'PointTally (import aggregation)', layer: layer.id, points: count(largest.xs.length), rate: largest.xs.length / (tallyMs / 1000),
    note: `clip, count per area and slot, and per H3 cell (${tally.cells.size} cells): vs. ours is its cost over locating alone`,
  })
  return pts.map((p) => {
    const [ids, ms] = timeSync(() => index.locateAll(p.xs, p.ys), 5)
    const inside = ids.reduce((n, id) => n + (id === -1 ? 0 : 1), 0) / ids.length
    rows.push({
      method: 'AreaIndex.locateAll', layer: layer.id, points: count(p.xs.length), rate: p.xs.length / (ms / 1000),
      note: `build ${buildMs.toFixed(0)} ms; ${(100 * inside).toFixed(0)} % of points in an area`,
    })
    return ids
  })
}

function nearVertices(layer: Layer, n: number, seed: number): Points {
  const vertices = layer.areas.flatMap((a) => a.coordinates.flat(2))
  const rnd = mulberry32(seed)
  const xs = new Float64Array(n), ys = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const v = vertices[Math.floor(rnd() * vertices.length)]!
    xs[i] = v[0]! + (rnd() - 0.5) * 40
    ys[i] = v[1]! + (rnd() - 0.5) * 40
  }
  return { xs, ys }
}

type Ring = number[][]
function benchTurfNaive(layer: Layer, p: Points, expected: Int32Array): void {
  const polys = layer.areas.map((a) => ({ id: a.id, geom: { type: 'MultiPolygon' as const, coordinates: a.coordinates } }))
  const [ids, ms] = timeSync(() => {
    const out = new Int32Array(p.xs.length).fill(-1)
    for (let i = 0; i < p.xs.length; i++) {
      const pt = [p.xs[i]!, p.ys[i]!]
      for (const poly of polys) if (booleanPointInPolygon(pt, poly.geom)) { out[i] = poly.id; break }
    }
    return out
  }, 1)
  check('Turf naive', layer, ids, expected)
  rows.push({
    method: 'Turf booleanPointInPolygon, every polygon', layer: layer.id, points: count(p.xs.length), rate: p.xs.length / (ms / 1000),
    note: `timed on ${count(p.xs.length)} points only; ${count(LARGE)} would take ~${((LARGE * ms) / p.xs.length / 1000).toFixed(0)} s`,
  })
}

function benchFlatbushTurf(layer: Layer, pts: Points[], expected: Int32Array[]): void {
  // One box per polygon part, not per area: primärområden have hundreds of islands each.
  const parts: Array<{ id: number; geom: { type: 'Polygon'; coordinates: Ring[] } }> = []
  for (const a of layer.areas) for (const rings of a.coordinates) parts.push({ id: a.id, geom: { type: 'Polygon', coordinates: rings } })
  const fb = new Flatbush(parts.length)
  for (const part of parts) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity
    for (const [x, y] of part.geom.coordinates[0]!) {
      x0 = Math.min(x0, x!), y0 = Math.min(y0, y!), x1 = Math.max(x1, x!), y1 = Math.max(y1, y!)
    }
    fb.add(x0, y0, x1, y1)
  }
  fb.finish()
  pts.forEach((p, k) => {
    const [ids, ms] = timeSync(() => {
      const out = new Int32Array(p.xs.length).fill(-1)
      for (let i = 0; i < p.xs.length; i++) {
        const x = p.xs[i]!, y = p.ys[i]!
        const pt = [x, y]
        for (const j of fb.search(x, y, x, y)) if (booleanPointInPolygon(pt, parts[j]!.geom)) { out[i] = parts[j]!.id; break }
      }
      return out
    }, 1)
    check('flatbush + Turf', layer, ids, expected[k]!)
    rows.push({ method: 'flatbush + Turf', layer: layer.id, points: count(p.xs.length), rate: p.xs.length / (ms / 1000) })
  })
}

/** Loads the points into an indexed table (untimed), then times the GiST join alone. */
async function benchPostgis(label: string, kysely: Kysely<any>, layers: Layer[], pts: Points[], expected: Map<string, Int32Array[]>): Promise<void> {
  for (const [k, p] of pts.entries()) {
    await sql`DROP TABLE IF EXISTS bench_points`.execute(kysely)
    await sql`CREATE TABLE bench_points (x float8, y float8, geom geometry(Point, 3006))`.execute(kysely)
    const chunk = 100_000
    for (let i = 0; i < p.xs.length; i += chunk) {
      const xs = Array.from(p.xs.subarray(i, i + chunk)), ys = Array.from(p.ys.subarray(i, i + chunk))
      await sql`INSERT INTO bench_points SELECT x, y, ST_SetSRID(ST_MakePoint(x, y), 3006) FROM unnest(${xs}::float8[], ${ys}::float8[]) AS t(x, y)`.execute(kysely)
    }
    // With the points indexed too, the planner loops over the areas and PostGIS prepares each polygon
    // once; probing the areas' index per point instead is 10–50× slower on these large polygons.
    await sql`CREATE INDEX bench_points_geom ON bench_points USING gist (geom)`.execute(kysely)
    await sql`ANALYZE bench_points`.execute(kysely)
    for (const layer of layers) {
      const t0 = performance.now()
      const { rows: r } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM bench_points p JOIN areas a ON a.layer_id = ${layer.id} AND ST_Contains(a.geom, p.geom)`.execute(kysely)
      const ms = performance.now() - t0
      sampleRss()
      const ours = expected.get(layer.id)![k]!.reduce((n, id) => n + (id === -1 ? 0 : 1), 0)
      if (r[0]!.n !== ours) console.warn(`  ${label} ${layer.id}: PostGIS counted ${r[0]!.n} points inside, we ${ours}`)
      rows.push({ method: `PostGIS GiST join (${label})`, layer: layer.id, points: count(p.xs.length), rate: p.xs.length / (ms / 1000), note: 'query only' })
      console.log(`  ${label} ${layer.id} ${count(p.xs.length)}: ${(ms / 1000).toFixed(2)} s`)
    }
  }
  await sql`DROP TABLE IF EXISTS bench_points`.execute(kysely)
}

async function serverDatabase(url: string, layers: Layer[]): Promise<{ db: Db; drop(): Promise<void> }> {
  const name = `lagesbild_bench_spatial_${Math.random().toString(36).slice(2, 10)}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  const dbUrl = new URL(url)
  dbUrl.pathname = `/${name}`
  const db = await createDb({ databaseUrl: dbUrl.href, dataDir: 'unused' })
  const drop = async () => {
    await db.close()
    // No FORCE, as in run.ts: pg's pool.end() resolves before its sockets close, and DROP waits for them.
    await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch((e) => console.error(`could not drop ${name}:`, e))
    await admin.end()
  }
  try {
    // Only what the join needs, copied exactly (15 decimals round-trip every double) from PGlite.
    await sql`CREATE EXTENSION postgis`.execute(db.kysely)
    await sql`CREATE TABLE areas (id int PRIMARY KEY, layer_id text NOT NULL, geom geometry(MultiPolygon, 3006) NOT NULL)`.execute(db.kysely)
    for (const layer of layers) {
      for (const a of layer.geojson) {
        await sql`INSERT INTO areas VALUES (${a.id}, ${layer.id}, ST_SetSRID(ST_GeomFromGeoJSON(${a.g}), 3006))`.execute(db.kysely)
      }
    }
    await sql`CREATE INDEX areas_geom_gist ON areas USING gist (geom)`.execute(db.kysely)
    await sql`ANALYZE areas`.execute(db.kysely)
    return { db, drop }
  } catch (err) {
    await drop()
    throw err
  }
}

function check(method: string, layer: Layer, ids: Int32Array, expected: Int32Array): void {
  let diff = 0
  for (let i = 0; i < ids.length; i++) if (ids[i] !== expected[i]) diff++
  if (diff) console.warn(`  ${method} ${layer.id}: ${diff} of ${ids.length} points differ from AreaIndex`)
}

const count = (n: number) => (n >= 1e6 ? `${n / 1e6} M` : `${n / 1e3} k`)
const rate = (r: number) => (r >= 1e6 ? `${(r / 1e6).toFixed(2)} M/s` : `${(r / 1e3).toFixed(1)} k/s`)

function table(): string {
  const ours = new Map(rows.filter((r) => r.method === 'AreaIndex.locateAll').map((r) => [`${r.layer}|${r.points}`, r.rate]))
  const head = ['Method', 'Layer', 'Points', 'Points/s', 'vs. ours', 'Note']
  const cells = rows.map((r) => {
    // The naive sample is compared with ours on the small set.
    const base = r.note?.startsWith('worst') ? undefined : ours.get(`${r.layer}|${r.points}`) ?? ours.get(`${r.layer}|${count(SMALL)}`)
    return [r.method, r.layer, r.points, rate(r.rate), base ? `${(r.rate / base).toPrecision(2)}×` : '', r.note ?? '']
  })
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'lagesbild-bench-spatial-'))
  try {
    const db = await seededPglite(tmp)
    try {
      const layers = await loadLayers(db.kysely)
      const { rows: ext } = await sql<{ x0: number; y0: number; x1: number; y1: number }>`
        SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1
        FROM (SELECT ST_Extent(geom)::geometry AS e FROM areas WHERE layer_id = 'stadsomrade') s`.execute(db.kysely)
      const box = [ext[0]!.x0, ext[0]!.y0, ext[0]!.x1, ext[0]!.y1] as [number, number, number, number]
      const large = randomPoints(LARGE, 20261125, box)
      const sets = [large, slice(large, SMALL)]
      console.log(`${layers.map((l) => `${l.areas.length} ${l.id}`).join(', ')}; points uniformly random in the city's bounding box ${box.map((v) => v.toFixed(0)).join(', ')} (EPSG:3006)`)

      console.log('AreaIndex…')
      const expected = new Map(layers.map((l) => [l.id, benchOurs(l, sets)]))
      console.log(`Turf, every polygon, ${count(TURF_NAIVE_POINTS)} points…`)
      for (const l of layers) benchTurfNaive(l, slice(large, TURF_NAIVE_POINTS), expected.get(l.id)![0]!.subarray(0, TURF_NAIVE_POINTS))
      console.log('flatbush + Turf…')
      for (const l of layers) benchFlatbushTurf(l, sets, expected.get(l.id)!)
      console.log('PostGIS (PGlite)…')
      await benchPostgis('PGlite', db.kysely, layers, sets, expected)
      if (PG_URL) {
        console.log('PostGIS (server)…')
        const server = await serverDatabase(PG_URL, layers)
        try {
          await benchPostgis('server', server.db.kysely, layers, sets, expected)
        } finally {
          await server.drop()
        }
      } else {
        console.log('PostGIS server skipped: BENCH_DATABASE_URL is not set')
      }
    } finally {
      await db.close()
    }
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
  sampleRss()
  console.log(`\nNode ${process.version}, single thread; median of 5 runs for AreaIndex, one run otherwise\n`)
  console.log(table())
  console.log(`\nPeak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB (sampled every 25 ms; includes PGlite)`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
