import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { post, startApp, type RunningApp } from '../helpers/http'

describe.each(testEngines())('boundary import on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let official: any
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    // Stand-in "official" lokalpolisområden in WGS84, cut along the stadsområden, plus one self-intersecting shape.
    const { rows } = await sql<{ name: string; g: string }>`
      SELECT name, ST_AsGeoJSON(ST_Transform(geom, 4326), 9) AS g FROM areas WHERE layer_id = 'stadsomrade' ORDER BY code`.execute(db.kysely)
    const lpo: Record<string, string> = { Nordost: 'Nordost', Centrum: 'City', Sydväst: 'Syd', Hisingen: 'Hisingen' }
    official = {
      type: 'FeatureCollection',
      features: [
        ...rows.map((r) => ({ type: 'Feature', geometry: JSON.parse(r.g), properties: { LPO_KOD: `lpo-${lpo[r.name]}`, LPO_NAMN: lpo[r.name] } })),
        {
          type: 'Feature',
          geometry: { type: 'Polygon', coordinates: [[[11.95, 57.7], [11.96, 57.71], [11.96, 57.7], [11.95, 57.71], [11.95, 57.7]]] },
          properties: { LPO_KOD: 'fluga', LPO_NAMN: 'Fluga' },
        },
      ],
    }
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const count = async () => Number((await db.kysely.selectFrom('areas').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

  it('adds a new version from its validity date, repairs and reports invalid geometry, and ends the approximation', async () => {
    const res = await post(app, '/api/imports/boundaries?layer=lokalpolisomrade&validFrom=2026-01-01&codeField=LPO_KOD&nameField=LPO_NAMN', JSON.stringify(official), 'application/geo+json')
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ layer: 'lokalpolisomrade', validFrom: '2026-01-01', areas: 5, closedVersions: 4 })
    expect(res.body.repaired).toEqual([{ code: 'fluga', reason: expect.stringMatching(/Self-intersection/) }])

    const before = await app.get('/api/layers/lokalpolisomrade/areas?at=2025-12-31')
    expect(before.body.features.map((f: any) => f.properties.name).sort()).toEqual(['City', 'Hisingen', 'Nordost', 'Syd'])
    expect(before.body.features.every((f: any) => f.properties.validTo === '2026-01-01')).toBe(true)
    const after = await app.get('/api/layers/lokalpolisomrade/areas?at=2026-06-01')
    expect(after.body.features.map((f: any) => f.properties.code).sort()).toEqual(['fluga', 'lpo-City', 'lpo-Hisingen', 'lpo-Nordost', 'lpo-Syd'])
    const layers = await app.get('/api/layers')
    expect(layers.body.find((l: any) => l.id === 'lokalpolisomrade')).toMatchObject({ approximate: false, approximateReason: null })

    // PostGIS agrees the reprojected copy covers the same ground as the original stadsområde.
    const { rows } = await sql<{ ratio: number }>`
      SELECT ST_Area(ST_Intersection(l.geom, s.geom)) / ST_Area(s.geom) AS ratio
      FROM areas l JOIN areas s ON s.layer_id = 'stadsomrade' AND s.name = 'Centrum'
      WHERE l.layer_id = 'lokalpolisomrade' AND l.code = 'lpo-City'`.execute(db.kysely)
    expect(rows[0]!.ratio).toBeGreaterThan(0.999)
  })

  it('refuses a version that does not come after the current ones, and the same file again', async () => {
    const before = await count()
    const res = await post(app, '/api/imports/boundaries?layer=lokalpolisomrade&validFrom=2025-06-01&codeField=LPO_KOD', JSON.stringify(official), 'application/geo+json')
    expect(res.status).toBe(409)
    expect(await count()).toBe(before)
  })

  it.each([
    ['no validity date', 'layer=deso', 400, 'validFrom'],
    ['an unknown layer', 'layer=nope&validFrom=2027-01-01', 404, 'layer'],
    ['a malformed date', 'layer=deso&validFrom=2027-02-30', 400, 'validFrom'],
  ])('answers %s with %i naming the field', async (_what, q, status, field) => {
    const res = await post(app, `/api/imports/boundaries?${q}`, JSON.stringify(official), 'application/geo+json')
    expect(res.status).toBe(status)
    expect(res.body.error.details.map((d: any) => d.field)).toContain(field)
  })

  it('names each bad feature by row and field and changes nothing', async () => {
    const before = await count()
    const bad = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [12, 57.7] }, properties: { code: 'a' } },
        { type: 'Feature', geometry: official.features[0].geometry, properties: {} },
        { type: 'Feature', geometry: official.features[1].geometry, properties: { code: 'b' } },
        { type: 'Feature', geometry: official.features[2].geometry, properties: { code: 'b' } },
      ],
    }
    const res = await post(app, '/api/imports/boundaries?layer=regso&validFrom=2027-01-01', JSON.stringify(bad), 'application/geo+json')
    expect(res.status).toBe(422)
    expect(res.body.error.details.map((d: any) => `${d.row}:${d.field}`)).toEqual(['1:geometry', '2:code', '4:code'])
    expect(await count()).toBe(before)
    const empty = await post(app, '/api/imports/boundaries?layer=regso&validFrom=2027-01-01', '', 'application/geo+json')
    expect(empty.status).toBe(422)
  })
})
