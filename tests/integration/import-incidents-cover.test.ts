/**
 * Every layer counts what the city counts, and the hexagon grid is the city's cover whatever the incidents:
 * points just outside the city (inside a DeSO or RegSO that reaches beyond it) count nowhere, points just
 * inside it count everywhere, and no hexagon exists because an incident fell in it. Checked against PostGIS
 * on the stored polygons (ST_Covers against the city's outline).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { post, startApp, type RunningApp } from '../helpers/http'

describe.each(testEngines())('incident import: the city decides for every layer, on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let xs: number[]
  let ys: number[]
  let months: string[]
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    // Points 80 m off the city's outline on every side (every 200th vertex of the stadsområden, four ways):
    // outside ones in DeSO/RegSO that reach beyond the city, inside ones in boundary hexagons whose centre may
    // lie outside it. (One big ST_Union or ST_Buffer of the outline is too much for PGlite's stack.)
    const { rows } = await sql<{ x: number; y: number }>`
      WITH v AS (SELECT (ST_DumpPoints(geom)).geom AS g FROM areas WHERE layer_id = 'stadsomrade'),
           n AS (SELECT g, row_number() OVER () AS i FROM v)
      SELECT ST_X(g) + dx AS x, ST_Y(g) + dy AS y FROM n, (VALUES (70, 40), (-70, -40), (40, -70), (-40, 70)) AS d(dx, dy)
      WHERE i % 200 = 0`.execute(db.kysely)
    xs = rows.map((r) => r.x)
    ys = rows.map((r) => r.y)
    months = rows.map((_, i) => `2026-0${1 + (i % 3)}`)
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  it('counts in every layer, hexagons included, exactly the points the city covers, and lays the grid as the cover only', async () => {
    const csv = 'datum;kategori;x;y\n' + xs.map((x, i) => `${months[i]}-1${i % 9};demo_misshandel_utomhus;${x};${ys[i]}`).join('\n') + '\n'
    const res = await post(app, '/api/imports/incidents?crs=EPSG:3006', csv)
    expect(res.status, JSON.stringify(res.body)).toBe(201)

    // The city's verdict, by PostGIS: a stadsområde covers the point.
    const { rows: inCity } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM unnest(${xs}::float8[], ${ys}::float8[]) AS p(x, y)
      WHERE EXISTS (SELECT 1 FROM areas s WHERE s.layer_id = 'stadsomrade' AND ST_Covers(s.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 3006)))`.execute(db.kysely)
    const city = inCity[0]!.n
    expect(city).toBeGreaterThan(100)
    expect(xs.length - city, 'points outside the city in the file').toBeGreaterThan(40)
    expect(res.body).toMatchObject({ rowsAccepted: city, rowsOutsideCity: xs.length - city })

    for (const layer of ['deso', 'regso', 'stadsomrade', 'lokalpolisomrade', 'stadsdel', 'primaromrade', 'hex']) {
      const { rows: expected } = await sql<{ area_id: number; month: string; n: number }>`
        SELECT a.id AS area_id, p.month, count(*)::int AS n
        FROM unnest(${xs}::float8[], ${ys}::float8[], ${months}::text[]) AS p(x, y, month)
        JOIN areas a ON a.layer_id = ${layer} AND ST_Covers(a.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 3006))
        WHERE EXISTS (SELECT 1 FROM areas s WHERE s.layer_id = 'stadsomrade' AND ST_Covers(s.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 3006)))
        GROUP BY 1, 2`.execute(db.kysely)
      const { rows: stored } = await sql<{ area_id: number; period: string; value: number }>`
        SELECT o.area_id, o.period, o.value FROM observations o JOIN areas a ON a.id = o.area_id
        WHERE a.layer_id = ${layer} AND o.import_id = ${res.body.importId} AND o.period LIKE '2026-0_'`.execute(db.kysely)
      const got = new Map(stored.map((s) => [`${s.area_id}|${s.period}`, s.value]))
      for (const e of expected) expect(got.get(`${e.area_id}|${e.month}`) ?? 0, `${layer} ${e.area_id} ${e.month}`).toBe(e.n)
      expect(stored.reduce((s, r) => s + r.value, 0), `${layer} adds up to the city`).toBe(city)
    }

    // The grid is the city's cover: every cell reaches the city, and together they leave none of it out,
    // whether or not an incident fell there.
    // (Cells do not overlap, so the city's area inside cells is the sum of each cell's share.)
    const { rows: grid } = await sql<{ cells: number; apart: number; uncovered: number }>`
      WITH hex AS (SELECT geom FROM areas WHERE layer_id = 'hex'),
           city AS (SELECT geom FROM areas WHERE layer_id = 'stadsomrade')
      SELECT (SELECT count(*)::int FROM hex) AS cells,
             (SELECT count(*)::int FROM hex WHERE NOT EXISTS (SELECT 1 FROM city WHERE ST_DWithin(hex.geom, city.geom, 10))) AS apart,
             (SELECT sum(ST_Area(geom)) FROM city)
               - (SELECT sum(CASE WHEN ST_CoveredBy(hex.geom, city.geom) THEN ST_Area(hex.geom) ELSE ST_Area(ST_Intersection(hex.geom, city.geom)) END)
                  FROM hex JOIN city ON ST_Intersects(hex.geom, city.geom)) AS uncovered`.execute(db.kysely)
    expect(grid[0]!.apart, 'cells away from the city').toBe(0)
    expect(grid[0]!.uncovered, 'm² of the city outside every cell').toBeLessThan(10)

    // Another file, elsewhere in the city, lays no new cell.
    const again = 'datum;kategori;x;y\n' + xs.map((x, i) => `2025-0${1 + (i % 3)}-05;demo_misshandel_utomhus;${x + 150};${ys[i]! - 150}`).join('\n') + '\n'
    expect((await post(app, '/api/imports/incidents?crs=EPSG:3006', again)).status).toBe(201)
    const { rows: after } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM areas WHERE layer_id = 'hex'`.execute(db.kysely)
    expect(after[0]!.n).toBe(grid[0]!.cells)
  }, 180_000) // two imports and PostGIS over the whole outline, on a shared machine
})
