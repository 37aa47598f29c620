/**
 * The loaded boundaries, checked by PostGIS itself on each engine: areas, nesting, the utsatta
 * områden's places, and the display geometry's faithfulness to the original.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Db } from '../../db/connect'
import { insertArea } from '../../db/areas'
import { testEngines } from '../helpers/engines'

class Rollback extends Error {}

describe.each(testEngines())('boundaries on $name', (engine) => {
  let db: Db
  beforeAll(async () => {
    db = await engine.open()
  })
  afterAll(async () => {
    await db?.close()
  })

  const km2 = async (layer: string) => {
    const { rows } = await sql<{ a: number }>`SELECT sum(ST_Area(geom)) / 1e6 AS a FROM areas WHERE layer_id = ${layer}`.execute(db.kysely)
    return rows[0]!.a
  }

  it('covers the city’s 459 km² on every city layer, and SCB’s 1031 km² (with water) on DeSO and RegSO', async () => {
    for (const layer of ['stadsomrade', 'primaromrade', 'lokalpolisomrade']) expect(await km2(layer)).toBeCloseTo(459.3, 0)
    for (const layer of ['deso', 'regso']) expect(await km2(layer)).toBeCloseTo(1030.7, 0)
  })

  it('stores every area as a valid MultiPolygon in EPSG:3006, and the display copy in EPSG:4326', async () => {
    const { rows } = await sql<{ bad: number }>`
      SELECT count(*)::int AS bad FROM areas
      WHERE NOT ST_IsValid(geom) OR ST_SRID(geom) <> 3006 OR GeometryType(geom) <> 'MULTIPOLYGON'
         OR NOT ST_IsValid(geom_web) OR ST_SRID(geom_web) <> 4326`.execute(db.kysely)
    expect(rows[0]!.bad).toBe(0)
  })

  it('puts every primärområde in exactly one stadsområde — the one its source file names', async () => {
    const { rows } = await sql<{ code: string; named: string; inside: string[] }>`
      SELECT p.code, p.attributes->>'stadsomrade' AS named,
             array_agg(s.name ORDER BY s.name) FILTER (WHERE ST_Area(ST_Intersection(p.geom, s.geom)) > 0.99 * ST_Area(p.geom)) AS inside
      FROM areas p JOIN areas s ON s.layer_id = 'stadsomrade' AND ST_Intersects(p.geom, s.geom)
      WHERE p.layer_id = 'primaromrade' GROUP BY p.code, p.attributes`.execute(db.kysely)
    expect(rows).toHaveLength(96)
    for (const r of rows) expect(r.inside, r.code).toEqual([r.named])
  })

  it('records the same nesting that PostGIS finds', async () => {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM area_parents ap
      JOIN areas c ON c.id = ap.child_id JOIN areas p ON p.id = ap.parent_id
      WHERE c.layer_id = 'primaromrade' AND p.layer_id = 'stadsomrade'
        AND ST_Within(ST_PointOnSurface(c.geom), p.geom)`.execute(db.kysely)
    expect(rows[0]!.n).toBe(96)
  })

  it('places each utsatt område in the stadsområde and lokalpolisområde where it lies', async () => {
    const { rows } = await sql<{ name: string; stadsomrade: string; lpo: string }>`
      SELECT u.name,
        (SELECT s.name FROM areas s WHERE s.layer_id = 'stadsomrade' AND ST_Intersects(u.geom, s.geom)
          ORDER BY ST_Area(ST_Intersection(u.geom, s.geom)) DESC LIMIT 1) AS stadsomrade,
        (SELECT l.name FROM areas l WHERE l.layer_id = 'lokalpolisomrade' AND ST_Intersects(u.geom, l.geom)
          ORDER BY ST_Area(ST_Intersection(u.geom, l.geom)) DESC LIMIT 1) AS lpo
      FROM areas u WHERE u.layer_id = 'utsatt_omrade'`.execute(db.kysely)
    const got = Object.fromEntries(rows.map((r) => [r.name, `${r.stadsomrade}/${r.lpo}`]))
    expect(got).toEqual({
      Bergsjön: 'Nordost/Nordost',
      Hammarkullen: 'Nordost/Nordost',
      Hjällbo: 'Nordost/Nordost',
      Lövgärdet: 'Nordost/Nordost',
      Gårdsten: 'Nordost/Nordost',
      Biskopsgården: 'Hisingen/Hisingen',
      'Hisings Backa': 'Hisingen/Hisingen',
      'Tynnered / Grevegården / Opaltorget': 'Sydväst/Syd',
    })
  })

  it('keeps the police’s own area measure for the utsatta områden (Shape_Area) within 0.01 %', async () => {
    const { rows } = await sql<{ name: string; a: number }>`
      SELECT name, ST_Area(geom) AS a FROM areas WHERE layer_id = 'utsatt_omrade'`.execute(db.kysely)
    const shapeArea: Record<string, number> = { Bergsjön: 2680096.411660872, Hjällbo: 1194317.2174748755, Biskopsgården: 2643650.3163215374 }
    for (const r of rows.filter((r) => r.name in shapeArea)) expect(r.a / shapeArea[r.name]!).toBeCloseTo(1, 4)
  })

  it('draws the display geometry within 2 % of each original area (symmetric difference; the archipelago’s small islands are the worst case)', async () => {
    const { rows } = await sql<{ worst: number }>`
      SELECT max(ST_Area(ST_SymDifference(geom, ST_Transform(geom_web, 3006))) / ST_Area(geom)) AS worst FROM areas
      WHERE layer_id IN ('primaromrade', 'utsatt_omrade', 'regso')`.execute(db.kysely)
    expect(rows[0]!.worst).toBeGreaterThan(0) // it is simplified …
    expect(rows[0]!.worst).toBeLessThan(0.02) // … but faithfully
  })

  it('repairs invalid input with ST_MakeValid and reports why it was invalid', async () => {
    const bowtie = JSON.stringify({
      type: 'Polygon',
      coordinates: [[[320000, 6400000], [320100, 6400100], [320100, 6400000], [320000, 6400100], [320000, 6400000]]],
    })
    await expect(
      db.kysely.transaction().execute(async (trx) => {
        const r = await insertArea(trx, { layerId: 'stadsomrade', code: 'test', name: 'Test', validFrom: '2030-01-01', geometry: bowtie, importId: null })
        expect(r.repairedReason).toMatch(/Self-intersection/)
        const { rows } = await sql<{ ok: boolean; type: string; a: number }>`
          SELECT ST_IsValid(geom) AS ok, GeometryType(geom) AS type, ST_Area(geom) AS a FROM areas WHERE id = ${r.id}`.execute(trx)
        expect(rows[0]).toEqual({ ok: true, type: 'MULTIPOLYGON', a: 5000 })
        throw new Rollback()
      }),
    ).rejects.toBeInstanceOf(Rollback)
  })

  it('refuses geometry that cannot be an area, and leaves the data as it was', async () => {
    const line = JSON.stringify({ type: 'LineString', coordinates: [[320000, 6400000], [320100, 6400100]] })
    const before = await db.kysely.selectFrom('areas').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    await expect(
      db.kysely.transaction().execute((trx) =>
        insertArea(trx, { layerId: 'stadsomrade', code: 'line', name: 'Linje', validFrom: '2030-01-01', geometry: line, importId: null }),
      ),
    ).rejects.toThrow()
    const after = await db.kysely.selectFrom('areas').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('enforces versioned validity ranges', async () => {
    await expect(
      db.kysely.transaction().execute((trx) =>
        insertArea(trx, {
          layerId: 'stadsomrade',
          code: 'x',
          name: 'X',
          validFrom: '2030-01-01',
          validTo: '2029-01-01',
          geometry: JSON.stringify({ type: 'Polygon', coordinates: [[[0, 0], [10, 0], [10, 10], [0, 0]]] }),
          importId: null,
        }),
      ),
    ).rejects.toThrow(/areas_valid_range/)
  })
})
