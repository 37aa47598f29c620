import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Db } from '../../db/connect'
import { startApp, type RunningApp } from '../helpers/http'
import { testEngines } from '../helpers/engines'

const EXPECTED_COUNTS = { stadsomrade: 4, stadsdel: 10, lokalpolisomrade: 4, utsatt_omrade: 8, primaromrade: 96, regso: 147, deso: 320 }

describe.each(testEngines())('read API on $name', (engine) => {
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

  it('reports health with the engine and PostGIS version', async () => {
    const { status, body } = await app.get('/api/health')
    expect(status).toBe(200)
    expect(body).toEqual({ status: 'ok', database: engine.name, postgis: expect.stringMatching(/^3\.\d/) })
  })

  it('lists every layer with its number of current areas', async () => {
    const { status, body } = await app.get('/api/layers')
    expect(status).toBe(200)
    const counts = Object.fromEntries(body.map((l: any) => [l.id, l.areaCount]))
    expect(counts).toEqual(EXPECTED_COUNTS)
    const lpo = body.find((l: any) => l.id === 'lokalpolisomrade')
    expect(lpo).toMatchObject({ approximate: true, kind: 'police', name: 'Lokalpolisområden' })
    expect(lpo.approximateReason).toMatch(/inte öppna data/)
    expect(body.find((l: any) => l.id === 'primaromrade').nestsIn).toEqual(['lokalpolisomrade', 'stadsdel', 'stadsomrade'])
    expect(body.find((l: any) => l.id === 'deso').nestsIn).toEqual(['regso'])
  })

  it('serves areas as WGS84 GeoJSON, rounded to 5 decimals, valid according to PostGIS', async () => {
    const { status, body, headers } = await app.get('/api/layers/primaromrade/areas?at=2025-06-01')
    expect(status).toBe(200)
    expect(headers.get('content-type')).toMatch(/application\/geo\+json/)
    expect(body.type).toBe('FeatureCollection')
    expect(body.features).toHaveLength(96)
    const codes = new Set<string>()
    for (const f of body.features) {
      expect(f.properties).toMatchObject({ id: f.id, layer: 'primaromrade', code: expect.any(String), name: expect.any(String) })
      codes.add(f.properties.code)
      expect(f.geometry.type).toBe('MultiPolygon')
      for (const poly of f.geometry.coordinates)
        for (const ring of poly)
          for (const [lon, lat] of ring) {
            expect(lon).toBeGreaterThan(11.5)
            expect(lon).toBeLessThan(12.3)
            expect(lat).toBeGreaterThan(57.5)
            expect(lat).toBeLessThan(57.95)
            expect(Math.abs(lon * 1e5 - Math.round(lon * 1e5))).toBeLessThan(1e-6)
          }
    }
    expect(codes.size).toBe(96)
    // Validity is judged by PostGIS on the very JSON the API sent.
    const geometries = body.features.map((f: any) => JSON.stringify(f.geometry))
    const { rows } = await sql<{ invalid: number }>`
      SELECT count(*)::int AS invalid FROM unnest(${geometries}::text[]) AS g
      WHERE NOT ST_IsValid(ST_GeomFromGeoJSON(g))`.execute(db.kysely)
    expect(rows[0]!.invalid).toBe(0)
  })

  it('keeps utsatta områden with their class and list year, and honours ?at=', async () => {
    const now = await app.get('/api/layers/utsatt_omrade/areas?at=2026-01-01')
    const byName = Object.fromEntries(now.body.features.map((f: any) => [f.properties.name, f.properties.attributes]))
    expect(Object.keys(byName)).toHaveLength(8)
    for (const n of ['Bergsjön', 'Hammarkullen', 'Hjällbo', 'Lövgärdet']) expect(byName[n]).toMatchObject({ class: 'sarskilt_utsatt', listYear: 2025 })
    for (const n of ['Biskopsgården', 'Hisings Backa', 'Gårdsten']) expect(byName[n]).toMatchObject({ class: 'utsatt', listYear: 2025 })
    // The 2025 list applies from 2025-12-01: before that this version does not exist.
    const before = await app.get('/api/layers/utsatt_omrade/areas?at=2025-11-30')
    expect(before.status).toBe(200)
    expect(before.body.features).toHaveLength(0)
  })

  it('lists indicators, every demo one labelled, covering all categories and layers', async () => {
    const { status, body } = await app.get('/api/indicators')
    expect(status).toBe(200)
    expect(new Set(body.map((i: any) => i.category))).toEqual(new Set(['brott', 'otrygghet', 'riskfaktor', 'skyddsfaktor', 'aktivitet']))
    for (const i of body) {
      expect(i.demo).toBe(true)
      expect(i.name).toMatch(/demo/i)
      expect(i.source).toMatch(/DEMO/)
    }
    const crimes = body.filter((i: any) => i.category === 'brott')
    expect(crimes.length).toBeGreaterThanOrEqual(3)
    for (const c of crimes) expect(c.periods).toEqual(['2019', '2020', '2021', '2022', '2023', '2024', '2025'])
    const survey = body.find((i: any) => i.id === 'demo_otrygg_kvall')
    expect(survey.layers.map((l: any) => l.layer).sort()).toEqual(Object.keys(EXPECTED_COUNTS).sort())
    const misshandel = body.find((i: any) => i.id === 'demo_misshandel_utomhus')
    expect(misshandel.layers.find((l: any) => l.layer === 'stadsomrade')).toMatchObject({ derivedFrom: 'primaromrade' })
  })

  it('returns stored values with intervals for survey shares', async () => {
    const { status, body } = await app.get('/api/indicators/demo_otrygg_kvall/values?layer=deso&period=2023')
    expect(status).toBe(200)
    expect(body).toMatchObject({ indicator: 'demo_otrygg_kvall', layer: 'deso', period: '2023', unit: 'percent', demo: true, method: { kind: 'stored' } })
    expect(body.values.length).toBeGreaterThan(250)
    for (const v of body.values.filter((x: any) => !x.suppressed)) {
      expect(v.ciLow).toBeLessThanOrEqual(v.value)
      expect(v.ciHigh).toBeGreaterThanOrEqual(v.value)
      expect(v.value).toBeCloseTo((100 * v.numerator) / v.denominator, 1)
    }
  })

  it('suppresses counts below the threshold outside the analyst role, and every share built on one, with nothing left to give them away', async () => {
    const local = await app.as('local')
    const { body } = await local.get('/api/indicators/demo_ran/values?layer=primaromrade&period=2025')
    expect(body.suppression).toEqual({ threshold: 5, internal: false })
    const hidden = body.values.filter((v: any) => v.suppressed)
    expect(hidden.length).toBeGreaterThan(0)
    for (const v of hidden) expect(v).toMatchObject({ value: null, numerator: null, ciLow: null, ciHigh: null })
    for (const v of body.values) expect(v.hiddenOutside).toBeUndefined()
    for (const v of body.values.filter((x: any) => !x.suppressed)) expect(v.value).toBeGreaterThanOrEqual(5)
    // Every small stored count is hidden; the rest hidden are there to protect one (secondary).
    const { rows } = await sql<{ code: string; value: number }>`
      SELECT a.code, o.value FROM observations o JOIN areas a ON a.id = o.area_id
      WHERE o.indicator_id = 'demo_ran' AND o.period = '2025' AND a.layer_id = 'primaromrade'`.execute(db.kysely)
    const stored = new Map(rows.map((r) => [r.code, r.value]))
    for (const v of body.values) if (stored.get(v.code)! < 5) expect(v.suppressed).toBe(true)

    const survey = await local.get('/api/indicators/demo_otrygg_kvall/values?layer=deso&period=2019')
    for (const v of survey.body.values.filter((x: any) => !x.suppressed)) expect(v.numerator).toBeGreaterThanOrEqual(5)
  })

  it('shows analysts every value, marking the ones hidden for everyone else and why', async () => {
    const { body } = await app.get('/api/indicators/demo_ran/values?layer=primaromrade&period=2025')
    expect(body.suppression).toEqual({ threshold: 5, internal: true })
    expect(body.values.every((v: any) => v.suppressed === false && v.value !== null)).toBe(true)
    const outside = (await (await app.as('local')).get('/api/indicators/demo_ran/values?layer=primaromrade&period=2025')).body
    const hiddenOutside = new Map(outside.values.map((v: any) => [v.areaId, v.suppressed]))
    for (const v of body.values) {
      expect(Boolean(v.hiddenOutside)).toBe(hiddenOutside.get(v.areaId))
      if (v.hiddenOutside === 'primary') expect(v.value).toBeLessThan(5)
      if (v.hiddenOutside === 'secondary') expect(v.value).toBeGreaterThanOrEqual(5)
    }
  })

  it('sums primärområden into stadsområden, matching the source file’s own stadsområde attribute', async () => {
    const { rows } = await sql<{ name: string; total: number }>`
      SELECT a.attributes->>'stadsomrade' AS name, sum(o.value) AS total FROM observations o JOIN areas a ON a.id = o.area_id
      WHERE o.indicator_id = 'demo_misshandel_utomhus' AND o.period = '2024' AND a.layer_id = 'primaromrade'
      GROUP BY 1`.execute(db.kysely)
    const summed = await app.get('/api/indicators/demo_misshandel_utomhus/values?layer=stadsomrade&period=2024')
    expect(summed.status).toBe(200)
    expect(summed.body.method).toMatchObject({ kind: 'summed', fromLayer: 'primaromrade' })
    expect(Object.fromEntries(summed.body.values.map((v: any) => [v.name, v.value]))).toEqual(Object.fromEntries(rows.map((r) => [r.name, Number(r.total)])))
    expect(summed.body.city).toMatchObject({ period: '2024', value: rows.reduce((s, r) => s + Number(r.total), 0), suppressed: false })
  })

  it('builds shares of nested layers from summed numerators and denominators, never from averaged shares', async () => {
    const lpo = await app.get('/api/indicators/demo_unga_uvas/values?layer=lokalpolisomrade&period=2022')
    expect(lpo.body.approximate).toBe(true)
    const { rows } = await sql<{ id: number; num: number; den: number }>`
      SELECT l.id, sum(o.numerator) AS num, sum(o.denominator) AS den
      FROM areas l JOIN areas p ON p.layer_id = 'primaromrade' AND p.code IN (SELECT jsonb_array_elements_text(l.attributes->'primaromraden'))
      JOIN observations o ON o.area_id = p.id AND o.indicator_id = 'demo_unga_uvas' AND o.period = '2022'
      WHERE l.layer_id = 'lokalpolisomrade' GROUP BY l.id`.execute(db.kysely)
    expect(rows).toHaveLength(4)
    for (const r of rows) {
      const got = lpo.body.values.find((v: any) => v.areaId === r.id)
      expect(got.value).toBeCloseTo((100 * Number(r.num)) / Number(r.den), 9)
      expect(got.denominator).toBe(Number(r.den))
    }
    const city = rows.reduce((s, r) => [s[0]! + Number(r.num), s[1]! + Number(r.den)], [0, 0])
    expect(lpo.body.city.value).toBeCloseTo((100 * city[0]!) / city[1]!, 9)
  })

  it('gives a time series for areas of different layers, with the city beside them', async () => {
    const list = await app.get('/api/areas')
    const pick = (layer: string, name: string) => list.body.find((a: any) => a.layer === layer && a.name === name)
    const hjallbo = pick('primaromrade', 'Hjällbo')
    const nordost = pick('stadsomrade', 'Nordost')
    const bergsjon = pick('utsatt_omrade', 'Bergsjön')
    const { status, body } = await app.get(`/api/indicators/demo_otrygg_kvall/series?areas=${hjallbo.id},${nordost.id},${bergsjon.id}`)
    expect(status).toBe(200)
    expect(body.periods).toEqual(['2019', '2021', '2023', '2025'])
    expect(body.series.map((s: any) => s.layer)).toEqual(['primaromrade', 'stadsomrade', 'utsatt_omrade'])
    for (const s of body.series) expect(s.points.map((p: any) => p.period)).toEqual(body.periods)
    expect(body.city.map((c: any) => c.period)).toEqual(body.periods)
    const single = await app.get(`/api/indicators/demo_otrygg_kvall/values?layer=primaromrade&period=2021`)
    const point = body.series[0].points.find((p: any) => p.period === '2021')
    const same = single.body.values.find((v: any) => v.areaId === hjallbo.id)
    expect(point).toMatchObject({ value: same.value, suppressed: same.suppressed, ciLow: same.ciLow })
    expect((await app.get('/api/indicators/demo_ran/series?areas=999999')).status).toBe(404)
    expect((await app.get('/api/indicators/demo_ran/series?areas=1;2')).status).toBe(400)
    expect((await app.get('/api/indicators/demo_ran/series')).status).toBe(400)
  })

  it('lists every current area without geometry, and places label points inside the areas', async () => {
    const list = await app.get('/api/areas')
    expect(list.status).toBe(200)
    expect(list.body).toHaveLength(Object.values(EXPECTED_COUNTS).reduce((a, b) => a + b, 0))
    expect(list.body[0]).toEqual({ id: expect.any(Number), layer: 'stadsomrade', code: expect.any(String), name: expect.any(String), approximate: false })
    const fc = await app.get('/api/layers/stadsomrade/areas')
    const points = fc.body.features.map((f: any) => JSON.stringify({ type: 'Point', coordinates: f.properties.labelPoint }))
    const ids = fc.body.features.map((f: any) => f.id)
    const { rows } = await sql<{ inside: number }>`
      SELECT count(*)::int AS inside FROM unnest(${ids}::int[], ${points}::text[]) AS t(id, p)
      JOIN areas a ON a.id = t.id WHERE ST_Intersects(a.geom, ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(t.p), 4326), 3006))`.execute(db.kysely)
    expect(rows[0]!.inside).toBe(4)
  })

  it('tells the client which basemap to use (none by default: the map is offline)', async () => {
    expect((await app.get('/api/config')).body).toEqual({ basemapStyleUrl: null })
  })

  it('sees new data as soon as an import lands (availability follows the import log)', async () => {
    const before = await app.get('/api/indicators')
    expect(before.body.find((i: any) => i.id === 'demo_ran').periods).not.toContain('2026-Q1')
    const area = await db.kysely.selectFrom('areas').select('id').where('layer_id', '=', 'primaromrade').where('code', '=', '612').executeTakeFirstOrThrow()
    await db.kysely.transaction().execute(async (trx) => {
      const imp = await trx
        .insertInto('import_log')
        .values({ kind: 'observations', file_name: 'test.csv', rows_read: 1, rows_accepted: 1 })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('observations')
        .values({ indicator_id: 'demo_ran', area_id: area.id, period: '2026-Q1', period_start: '2026-01-01', period_end: '2026-04-01', value: 7, numerator: 7, import_id: imp.id })
        .execute()
    })
    const after = await app.get('/api/indicators')
    const ran = after.body.find((i: any) => i.id === 'demo_ran')
    expect(ran.periods.at(-1)).toBe('2026-Q1')
    expect(ran.layers.find((l: any) => l.layer === 'primaromrade').periods).toContain('2026-Q1')
    // Only one of Nordost's primärområden has a value: a partial sum is no figure for the area at all.
    expect(ran.layers.find((l: any) => l.layer === 'stadsomrade').periods).not.toContain('2026-Q1')
    const nordost = await app.get('/api/indicators/demo_ran/values?layer=stadsomrade&period=2026-Q1')
    expect(nordost.body.values).toEqual([])
    expect((await app.get('/api/indicators/demo_ran/values?layer=stadsomrade&period=2025')).body.values).toHaveLength(4)
  })

  it('defaults to the latest period', async () => {
    const { body } = await app.get('/api/indicators/demo_otrygg_kvall/values?layer=stadsomrade')
    expect(body.period).toBe('2025')
    expect(body.availablePeriods).toEqual(['2019', '2021', '2023', '2025'])
  })

  it.each([
    ['/api/indicators/nope/values?layer=deso', 404, 'id'],
    ['/api/indicators/demo_ran/values?layer=nope', 404, 'layer'],
    ['/api/indicators/demo_ran/values', 400, 'layer'],
    ['/api/indicators/demo_ran/values?layer=deso&period=2024-13', 400, 'period'],
    ['/api/indicators/demo_ran/values?layer=deso&period=20x4', 400, 'period'],
    ['/api/layers/nope/areas', 404, 'layer'],
    ['/api/layers/deso/areas?at=2025-02-30', 400, 'at'],
    ['/api/layers/deso/areas?at=idag', 400, 'at'],
  ])('%s → %i naming %s', async (path, status, field) => {
    const res = await app.get(path)
    expect(res.status).toBe(status)
    expect(res.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) })
    expect(res.body.error.details.map((d: any) => d.field)).toContain(field)
  })

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await app.get('/api/nothing/here')
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('not_found')
  })

  it('never answers bad input with a 500', async () => {
    const junk = ["'; DROP TABLE areas; --", '%00', '../../etc/passwd', 'ä'.repeat(300), '2024-Q5', '-1', '{}', '[]']
    for (const j of junk) {
      const e = encodeURIComponent(j)
      for (const path of [
        `/api/indicators/${e}/values?layer=deso`,
        `/api/indicators/demo_ran/values?layer=${e}&period=${e}`,
        `/api/layers/${e}/areas?at=${e}`,
        `/api/indicators/demo_ran/values?layer=deso&layer=regso`,
      ]) {
        const res = await app.get(path)
        expect(res.status, path).toBeGreaterThanOrEqual(400)
        expect(res.status, path).toBeLessThan(500)
      }
    }
    const layers = await app.get('/api/layers')
    expect(layers.body).toHaveLength(Object.keys(EXPECTED_COUNTS).length)
  })
})
