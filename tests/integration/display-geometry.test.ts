/**
 * The served boundaries (`/api/layers/:layer/areas`) on each engine, checked as a user of the download
 * would check them, never with our own geometry code: RFC 7946 winding by the shoelace formula; queen
 * neighbours by spdep::poly2nb's rule (a vertex of one polygon within `snap` of a vertex of the other),
 * written out here, against `/api/layers/:layer/neighbours`; and overlaps and gaps by PostGIS. When R
 * with spdep is installed, spdep::poly2nb itself reads the downloaded file too.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { openDatabase } from '../../server/boot'
import { testEngines } from '../helpers/engines'
import { post, send, startApp, type RunningApp } from '../helpers/http'

type Ring = number[][]
type Feature = { id: number; geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: any } }

const LAYERS = ['stadsomrade', 'lokalpolisomrade', 'utsatt_omrade', 'primaromrade', 'regso', 'deso']
/** spdep::poly2nb's snap, in the file's unit (degrees): ~1 cm. */
const SNAP = 1e-7

const polygonsOf = (f: Feature): Ring[][] => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates)

/** Twice the signed area (shoelace): positive for a counter-clockwise ring in lon/lat. */
function signedArea2(ring: Ring): number {
  let s = 0
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!
  return s
}

/** spdep::poly2nb(queen = TRUE, snap): two polygons are neighbours when a vertex of one lies within snap of a vertex of the other. */
function poly2nbQueen(features: Feature[], snap: number): Set<string> {
  const cell = (v: number) => Math.floor(v / snap)
  const byCell = new Map<string, Array<{ id: number; x: number; y: number }>>()
  for (const f of features) {
    for (const poly of polygonsOf(f)) {
      for (const ring of poly) {
        for (const [x, y] of ring) {
          const key = `${cell(x!)},${cell(y!)}`
          const list = byCell.get(key) ?? []
          list.push({ id: f.id, x: x!, y: y! })
          byCell.set(key, list)
        }
      }
    }
  }
  const pairs = new Set<string>()
  for (const [key, list] of byCell) {
    const [cx, cy] = key.split(',').map(Number) as [number, number]
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const q of byCell.get(`${cx + dx},${cy + dy}`) ?? []) {
          for (const p of list) {
            if (p.id !== q.id && Math.hypot(p.x - q.x, p.y - q.y) <= snap) pairs.add(p.id < q.id ? `${p.id}-${q.id}` : `${q.id}-${p.id}`)
          }
        }
      }
    }
  }
  return pairs
}

const pairsOf = (neighbours: Record<string, number[]>) => {
  const out = new Set<string>()
  for (const [a, list] of Object.entries(neighbours)) for (const b of list) out.add(Number(a) < b ? `${a}-${b}` : `${b}-${a}`)
  return out
}

const rAvailable = (() => {
  const r = spawnSync('Rscript', ['-e', 'suppressMessages({library(spdep); library(sf)})'], { encoding: 'utf8' })
  return r.status === 0 ? null : r.error ? 'Rscript is not installed' : `R lacks spdep or sf: ${(r.stderr ?? '').trim().split('\n').pop()}`
})()

describe.each(testEngines())('served boundaries on $name', (engine) => {
  let db: Db
  let app: RunningApp
  const downloads = new Map<string, { text: string; features: Feature[] }>() // by layer|at
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db, { as: 'public' })
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  async function download(layer: string, at?: string) {
    const key = `${layer}|${at ?? ''}`
    const cached = downloads.get(key)
    if (cached) return cached
    const res = await fetch(`${app.url}/api/layers/${layer}/areas${at ? `?at=${at}` : ''}`)
    expect(res.status).toBe(200)
    const text = await res.text()
    const got = { text, features: (JSON.parse(text) as { features: Feature[] }).features }
    downloads.set(key, got)
    return got
  }

  function expectRfc7946Winding(features: Feature[]) {
    const wrong: string[] = []
    for (const f of features) {
      polygonsOf(f).forEach((poly, p) =>
        poly.forEach((ring, r) => {
          const a = signedArea2(ring)
          if (a === 0 || (r === 0) !== a > 0) wrong.push(`${f.id} polygon ${p} ring ${r}`)
        }),
      )
      expect(polygonsOf(f).length, `${f.id} has a polygon`).toBeGreaterThan(0)
    }
    expect(wrong.slice(0, 10), `${wrong.length} rings wound the wrong way`).toEqual([])
  }

  async function expectPoly2nbNeighbours(layer: string, features: Feature[], at?: string) {
    const served = (await app.get(`/api/layers/${layer}/neighbours${at ? `?at=${at}` : ''}`)).body.neighbours as Record<string, number[]>
    expect(features.map((f) => f.id).sort((a, b) => a - b)).toEqual(Object.keys(served).map(Number).sort((a, b) => a - b))
    const fromFile = poly2nbQueen(features, SNAP)
    const api = pairsOf(served)
    expect([...fromFile].filter((p) => !api.has(p)), 'neighbours in the file only').toEqual([])
    expect([...api].filter((p) => !fromFile.has(p)), 'neighbours in the API only').toEqual([])
    return api.size
  }

  /** The served polygons, read by PostGIS and measured in EPSG:3006 beside the full geometry. */
  async function expectNoOverlapsOrGaps(features: Feature[]) {
    const { rows } = await sql<{ overlaps: string[]; holes_web: number; gaps: string[]; empty: number }>`
      WITH web AS (
        SELECT u.id, ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(u.g), 4326), 3006) AS g
        FROM unnest(${features.map((f) => f.id)}::int[], ${features.map((f) => JSON.stringify(f.geometry))}::text[]) AS u(id, g)),
      full_geom AS (SELECT id, geom AS g FROM areas WHERE id IN (SELECT id FROM web)),
      pairs AS (
        SELECT x.id AS a, y.id AS b, ST_Area(ST_Intersection(x.g, y.g)) AS web_area,
               (SELECT ST_Area(ST_Intersection(fx.g, fy.g)) FROM full_geom fx, full_geom fy WHERE fx.id = x.id AND fy.id = y.id) AS full_area
        FROM web x JOIN web y ON x.id < y.id AND x.g && y.g AND ST_Intersects(x.g, y.g)),
      holes AS (SELECT r.geom FROM (SELECT (ST_DumpRings((ST_Dump(ST_Union(g))).geom)).* FROM web) r WHERE r.path[1] > 0),
      full_union AS (SELECT ST_Union(g) AS u FROM full_geom)
      SELECT
        (SELECT coalesce(array_agg(a || '-' || b || ': ' || round(web_area::numeric, 2) || ' m²'), '{}') FROM pairs WHERE web_area > full_area + 0.5) AS overlaps,
        (SELECT count(*)::int FROM holes) AS holes_web,
        -- A gap: a hole in the served union over ground the full geometry covers (not a lake, nor a bay whose
        -- mouth is narrower than the 1e-5° grid).
        (SELECT coalesce(array_agg(round(ST_Area(h.geom)::numeric, 1) || ' m² at ' || ST_AsText(ST_Transform(ST_PointOnSurface(h.geom), 4326))), '{}')
           FROM holes h, full_union f WHERE ST_Area(ST_Intersection(h.geom, f.u)) > 0.5 * ST_Area(h.geom)) AS gaps,
        (SELECT count(*)::int FROM web WHERE ST_IsEmpty(g) OR ST_Area(g) = 0) AS empty`.execute(db.kysely)
    const r = rows[0]!
    expect(r.overlaps, 'neighbours overlapping (more than the full geometry does, + 0.5 m²)').toEqual([])
    expect(r.gaps, `gaps: holes in the served union (of ${r.holes_web}) over ground the full geometry covers`).toEqual([])
    expect(r.empty).toBe(0)
  }

  it.each(LAYERS)('winds %s per RFC 7946: outer rings counter-clockwise, holes clockwise, none empty', async (layer) => {
    expectRfc7946Winding((await download(layer)).features)
  })

  it.each(LAYERS)('gives %s the neighbours spdep::poly2nb finds in the download (queen, snap 1e-7°)', async (layer) => {
    await expectPoly2nbNeighbours(layer, (await download(layer)).features)
  })

  it.each(LAYERS)('draws %s without overlaps between neighbours, and without gaps the full geometry lacks', async (layer) => {
    await expectNoOverlapsOrGaps((await download(layer)).features)
  })

  it('makes imported boundaries’ display geometry the same way (RegSO again, in WGS84, from 2026-01-01)', async () => {
    const analyst = await app.as('analyst')
    const { rows } = await sql<{ code: string; g: string }>`
      SELECT code, ST_AsGeoJSON(ST_Transform(geom, 4326), 9) AS g FROM areas WHERE layer_id = 'regso' ORDER BY code`.execute(db.kysely)
    const file = { type: 'FeatureCollection', features: rows.map((r) => ({ type: 'Feature', geometry: JSON.parse(r.g), properties: { code: r.code } })) }
    const res = await post(analyst, '/api/imports/boundaries?layer=regso&validFrom=2026-01-01', JSON.stringify(file), 'application/geo+json')
    expect(res.status).toBe(201)
    const { features } = await download('regso', '2026-06-01')
    expect(features).toHaveLength(rows.length)
    expectRfc7946Winding(features)
    expect(await expectPoly2nbNeighbours('regso', features, '2026-06-01')).toBeGreaterThan(300)
    await expectNoOverlapsOrGaps(features)
  })

  it('winds drawn places and the hexagon grid per RFC 7946 too', async () => {
    const analyst = await app.as('analyst')
    // Drawn clockwise, around Brunnsparken.
    const clockwise = [[[11.966, 57.707], [11.966, 57.7085], [11.969, 57.7085], [11.969, 57.707], [11.966, 57.707]]]
    expect((await send(analyst, 'POST', '/api/places', { name: 'Medurs', geometry: { type: 'Polygon', coordinates: clockwise } })).status).toBe(201)
    expect((await post(analyst, '/api/imports/incidents?crs=EPSG:3006', 'datum,kategori,x,y\n2025-03-01,demo_ran,319500,6399500\n')).status).toBe(201)
    for (const layer of ['plats', 'hex']) {
      const { features } = (await app.get(`/api/layers/${layer}/areas`)).body as { features: Feature[] }
      expect(features.length, layer).toBeGreaterThan(0)
      for (const f of features) for (const poly of polygonsOf(f)) poly.forEach((ring, r) => expect(signedArea2(ring) > 0, `${layer} ${f.id} ring ${r}`).toBe(r === 0))
    }
  })

  it('makes the display geometry anew at start where an older version made it (an existing database)', async () => {
    const copy = await engine.copyForProcess()
    try {
      const current = async (d: Db) =>
        (await sql<{ id: number; g: string; v: number }>`
          SELECT id, ST_AsGeoJSON(geom_web, 9) AS g, geom_web_version AS v FROM areas WHERE layer_id IN ('primaromrade', 'regso') ORDER BY id`.execute(d.kysely)).rows
      const old = await copy.open()
      const fresh = await current(old)
      // The first version: each polygon simplified alone, clockwise.
      await sql`UPDATE areas SET geom_web_version = 1, geom_web = ST_Multi(ST_CollectionExtract(ST_MakeValid(
                  ST_ReducePrecision(ST_Transform(ST_SimplifyPreserveTopology(geom, 3), 4326), 0.00001)), 3))
                WHERE layer_id IN ('primaromrade', 'regso')`.execute(old.kysely)
      expect((await current(old)).filter((r, i) => r.g !== fresh[i]!.g).length).toBeGreaterThan(200)
      await old.close()
      const messages: string[] = []
      const booted = await openDatabase(
        copy.env.DATA_DIR ? { dataDir: copy.env.DATA_DIR, databaseUrl: undefined } : { databaseUrl: copy.env.DATABASE_URL!, dataDir: 'unused' },
        (m) => messages.push(m),
        { demoAccounts: false },
      )
      try {
        expect(await current(booted)).toEqual(fresh)
        expect(messages.join('\n')).toMatch(/Visningsgeometri omgjord.*96 primaromrade.*147 regso/)
      } finally {
        await booted.close()
      }
    } finally {
      await copy.remove()
    }
  })

  it.skipIf(rAvailable !== null)('gives the same neighbours as spdep::poly2nb itself in R', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lagesbild-poly2nb-'))
    try {
      for (const layer of ['primaromrade', 'deso']) {
        const { text, features } = await download(layer)
        const file = join(dir, `${layer}.geojson`)
        writeFileSync(file, text)
        const script = `suppressMessages({library(sf); library(spdep)})
          x <- st_read(${JSON.stringify(file)}, quiet = TRUE)
          nb <- poly2nb(x, queen = TRUE, snap = ${SNAP})
          for (i in seq_along(nb)) for (j in nb[[i]]) if (j > 0 && x$id[i] < x$id[j]) cat(x$id[i], "-", x$id[j], "\\n", sep = "")`
        const out = execFileSync('Rscript', ['-e', script], { encoding: 'utf8' })
        const fromR = new Set(out.split('\n').filter(Boolean))
        const api = pairsOf((await app.get(`/api/layers/${layer}/neighbours`)).body.neighbours)
        expect(features.length).toBeGreaterThan(0)
        expect([...fromR].sort(), layer).toEqual([...api].sort())
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

if (rAvailable) console.log(`[display-geometry] spdep::poly2nb in R skipped: ${rAvailable}`)
