import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { post, startApp, type RunningApp } from '../helpers/http'

const FIXTURES = join(import.meta.dirname, '../fixtures/official')
const DESO_FILE = readFileSync(join(FIXTURES, 'scb_deso_befolkning.csv'))
const PRIM_FILE = readFileSync(join(FIXTURES, 'goteborg_primaromraden_befolkning_2023_2024.csv'))

/** The fixture's figures read back independently: code → year → population (".." left out). */
function desoFigures(): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>()
  for (const line of new TextDecoder('windows-1252').decode(DESO_FILE).split(/\r\n/).slice(3)) {
    const cells = line.split('","').map((c) => c.replaceAll('"', ''))
    if (cells.length < 3 || cells[2]!.split(',')[0] !== 'totalt') continue
    const [, y24, y25] = cells[2]!.split(',')
    const m = new Map<number, number>()
    if (y24 !== '..') m.set(2024, Number(y24))
    m.set(2025, Number(y25))
    out.set(cells[0]!.split(' ')[0]!, m)
  }
  return out
}

describe.each(testEngines())('population per area and year on $name', (engine) => {
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

  const stored = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM area_population`.execute(db.kysely)).rows[0]!.n)

  it('refuses bad input by row and field and writes nothing', async () => {
    const before = await stored()
    const bad = 'kod;år;antal\n101;2024;10\n999;2024;5\n102;20x4;5\n103;2024;tio\n'
    const res = await post(app, '/api/imports/population?layer=primaromrade', bad)
    expect(res.status).toBe(422)
    expect(res.body.error.details.map((d: any) => `${d.row}:${d.field}`)).toEqual(['3:kod', '4:år', '5:antal'])
    expect(res.body.error.details[0].message).toMatch(/okänd områdeskod "999"/)
    expect((await post(app, '/api/imports/population?layer=nope', bad)).body.error.details[0].field).toBe('layer')
    expect((await post(app, '/api/imports/population', bad)).status).toBe(400)
    expect(await stored()).toBe(before)
  })

  it('imports SCB’s DeSO table (title line, wide years, "..", windows-1252) and the city’s primärområde table (BOM)', async () => {
    const deso = await post(app, '/api/imports/population?layer=deso&filename=scb.csv', DESO_FILE)
    expect(deso.status, JSON.stringify(deso.body)).toBe(201)
    expect(deso.body).toMatchObject({ layer: 'deso', areas: 320, years: [2024, 2025], rows: 639 })
    const prim = await post(app, '/api/imports/population?layer=primaromrade', PRIM_FILE)
    expect(prim.status, JSON.stringify(prim.body)).toBe(201)
    expect(prim.body).toMatchObject({ layer: 'primaromrade', areas: 96, years: [2023, 2024], rows: 192 })
    const log = (await app.get('/api/imports')).body
    expect(log[0]).toMatchObject({ kind: 'population', fileName: 'befolkning.csv', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'import' AND entity_id = ${String(deso.body.importId)}`.execute(db.kysely)
    expect(audit.rows[0]!.n).toBe(1)
  })

  it('refuses figures that exist unless told to replace them', async () => {
    const again = await post(app, '/api/imports/population?layer=primaromrade', PRIM_FILE)
    expect(again.status).toBe(409)
    expect(again.body.error.message).toMatch(/finns redan/)
    const replaced = await post(app, '/api/imports/population?layer=primaromrade&replace=true', PRIM_FILE)
    expect(replaced.status).toBe(201)
    expect(replaced.body.replaced).toBe(192)
  })

  it('gives each count the population of its period’s year, stadsområden the exact sums', async () => {
    const { rows } = await sql<{ id: number; year: number; population: number; so: number }>`
      SELECT p.area_id AS id, p.year, p.population, ap.parent_id AS so FROM area_population p
      JOIN areas a ON a.id = p.area_id AND a.layer_id = 'primaromrade'
      JOIN area_parents ap ON ap.child_id = a.id JOIN areas s ON s.id = ap.parent_id AND s.layer_id = 'stadsomrade'`.execute(db.kysely)
    for (const year of [2024, 2025]) {
      const v = (await app.get(`/api/indicators/demo_ran/values?layer=primaromrade&period=${year}`)).body
      expect(v.population).toMatchObject({ year, nearest: false, estimated: false, note: `Befolkning ${year}` })
      for (const x of v.values) expect(x.denominator).toBe(rows.find((r) => r.id === x.areaId && r.year === year)!.population)
      const so = (await app.get(`/api/indicators/demo_ran/values?layer=stadsomrade&period=${year}`)).body
      for (const x of so.values) {
        expect(x.denominator).toBe(rows.filter((r) => r.so === x.areaId && r.year === year).reduce((s, r) => s + r.population, 0))
      }
      expect(so.city.denominator).toBe(rows.filter((r) => r.year === year).reduce((s, r) => s + r.population, 0))
    }
  })

  it('uses the nearest earlier year where the period’s has no population, and says so', async () => {
    const imported = await post(app, '/api/imports/observations', 'indicator;layer;area_code;period;value\ndemo_ran;primaromrade;101;2027-Q2;4\n')
    expect(imported.status, JSON.stringify(imported.body)).toBe(201)
    const v = (await app.get('/api/indicators/demo_ran/values?layer=primaromrade&period=2027-Q2')).body
    expect(v.population).toMatchObject({ year: 2025, nearest: true, note: 'Befolkning 2025 (närmaste år med befolkningsuppgift)' })
    const own = await sql<{ population: number }>`SELECT p.population FROM area_population p JOIN areas a ON a.id = p.area_id WHERE a.layer_id = 'primaromrade' AND a.code = '101' AND p.year = 2025`.execute(db.kysely)
    expect(v.values.find((x: any) => x.code === '101').denominator).toBe(own.rows[0]!.population)
    // A count can no longer bring its own denominator: population has one source.
    const refused = await post(app, '/api/imports/observations', 'indicator;layer;area_code;period;value;numerator;denominator\ndemo_ran;primaromrade;101;2027-Q3;4;4;1000\n')
    expect(refused.status).toBe(422)
    expect(refused.body.error.details[0]).toMatchObject({ row: 2, field: 'denominator' })
  })

  it('interpolates an utsatt område from DeSO by land area, as PostGIS computes it independently', async () => {
    const figures = desoFigures()
    // Independent: each DeSO's land is its part inside the union of primärområden; Σ pop · share of that land in the area.
    const { rows } = await sql<{ id: number; code: string; deso: string; share: number }>`
      WITH land AS (SELECT ST_Union(geom) AS g FROM areas WHERE layer_id = 'primaromrade' AND valid_to IS NULL),
      d AS (SELECT a.code, ST_Intersection(a.geom, land.g) AS g FROM areas a, land WHERE a.layer_id = 'deso' AND a.valid_to IS NULL)
      SELECT u.id, u.code, d.code AS deso, (ST_Area(ST_Intersection(d.g, u.geom)) / ST_Area(d.g))::float8 AS share
      FROM areas u JOIN d ON ST_Intersects(d.g, u.geom)
      WHERE u.layer_id = 'utsatt_omrade' AND u.valid_to IS NULL`.execute(db.kysely)
    const expected = new Map<number, number>()
    for (const r of rows) expected.set(r.id, (expected.get(r.id) ?? 0) + figures.get(r.deso)!.get(2024)! * r.share)
    const got = (await app.as('public').then((c) => c.get('/api/layers/utsatt_omrade/population?year=2024'))).body
    expect(got).toHaveLength(8)
    for (const a of got) {
      expect(a).toMatchObject({ estimated: true, year: 2024 })
      expect(Math.abs(a.population - expected.get(a.areaId)!)).toBeLessThanOrEqual(1)
    }
    const v = (await app.get('/api/indicators/demo_ran/values?layer=utsatt_omrade&period=2024')).body
    expect(v.population).toMatchObject({ year: 2024, estimated: true, note: expect.stringMatching(/uppskattad/) })
    for (const x of v.values) expect(x.denominator).toBeCloseTo(expected.get(x.areaId)!, 3)
  })

  it('serves a layer’s population publicly, naming a bad layer or year', async () => {
    const pub = await app.as('public')
    const deso = (await pub.get('/api/layers/deso/population?year=2025')).body
    const figures = desoFigures()
    expect(deso).toHaveLength(320)
    for (const a of deso) expect(a).toMatchObject({ population: figures.get(a.code)!.get(2025), estimated: false, year: 2025 })
    const regso = (await pub.get('/api/layers/regso/population?year=2025')).body
    expect(regso.every((r: any) => r.estimated === false && r.population > 0)).toBe(true)
    expect((await pub.get('/api/layers/deso/population?year=2019')).body[0].year).toBe(2023) // no earlier: the nearest later
    const missing = await pub.get('/api/layers/nope/population')
    expect(missing.status).toBe(404)
    expect(missing.body.error.details[0].field).toBe('layer')
    const badYear = await pub.get('/api/layers/deso/population?year=tjugo')
    expect(badYear.status).toBe(400)
    expect(badYear.body.error.details[0].field).toBe('year')
  })
})
