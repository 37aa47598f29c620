/**
 * Downloads with geometry: a map's values as GeoJSON carry exactly the figures the values answer gives
 * the same viewer (hidden stay null), every area with a valid geometry, and the file's metadata.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { startApp, type Client, type RunningApp } from '../helpers/http'

const VIEW = 'demo_ran/values?layer=primaromrade&period=2025'

/** The GeoJSON's properties equal the values answer's figures, area by area. */
function expectSameFigures(geo: any, json: any) {
  expect(geo.features.map((f: any) => f.properties.id)).toEqual(json.values.map((v: any) => v.areaId))
  for (const [i, v] of json.values.entries()) {
    const p = geo.features[i].properties
    expect(p).toEqual({
      id: v.areaId,
      code: v.code,
      name: v.name,
      value: v.value,
      suppressed: v.suppressed,
      numerator: v.numerator ?? null,
      denominator: v.denominator ?? null,
      unit: json.unit,
      period: json.period,
    })
  }
}

async function validGeometries(db: Db, geo: any): Promise<boolean[]> {
  const out: boolean[] = []
  for (const f of geo.features) {
    const { rows } = await sql<{ ok: boolean }>`SELECT ST_IsValid(ST_GeomFromGeoJSON(${JSON.stringify(f.geometry)})) AS ok`.execute(db.kysely)
    out.push(rows[0]!.ok)
  }
  return out
}

describe.each(testEngines())('downloads with geometry on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let local: Client
  let publicView: Client
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    local = await app.as('local')
    publicView = await app.as('public')
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  it('gives an analyst and a local group the values they see, joined to every area, named by what and when', async () => {
    const hiddenForLocal: number[] = []
    for (const client of [app, local] as Client[]) {
      const json = (await client.get(`/api/indicators/${VIEW}`)).body
      const res = await fetch(`${client.url}/api/indicators/${VIEW}&format=geojson`, { headers: client.headers() })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/)
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="?lagesbild_demo_ran_primaromrade_2025\.geojson/)
      const geo = await res.json()
      expect(geo.type).toBe('FeatureCollection')
      expectSameFigures(geo, json)
      const areaCount = (await client.get('/api/layers/primaromrade/areas')).body.features.length
      expect(geo.features).toHaveLength(areaCount)
      expect(geo.features.every((f: any) => f.geometry && /Polygon$/.test(f.geometry.type))).toBe(true)
      expect((await validGeometries(db, geo)).every(Boolean)).toBe(true)
      expect(geo.metadata).toMatchObject({
        indicator: 'demo_ran',
        name: expect.any(String),
        source: json.source,
        period: '2025',
        unit: json.unit,
        layer: 'primaromrade',
        suppression: { threshold: json.suppression.threshold, internal: client === app, note: expect.stringContaining(String(json.suppression.threshold)) },
        generatedAt: expect.any(String),
      })
      if (client === local) hiddenForLocal.push(...geo.features.filter((f: any) => f.properties.suppressed).map((f: any) => f.properties.id))
    }
    // The local group's file hides what its answer hides, and nothing leaks through the other columns.
    expect(hiddenForLocal.length).toBeGreaterThan(0)
    const local2 = await (await fetch(`${local.url}/api/indicators/${VIEW}&format=geojson`, { headers: local.headers() })).json()
    for (const f of local2.features.filter((x: any) => x.properties.suppressed)) {
      expect([f.properties.value, f.properties.numerator]).toEqual([null, null])
    }
  })

  it('says source, period and the disclosure note on every row of the Excel CSV', async () => {
    const json = (await local.get(`/api/indicators/${VIEW}`)).body
    const csv = await (await fetch(`${local.url}/api/indicators/${VIEW}&format=csv`, { headers: local.headers() })).text()
    const [header, ...rows] = csv.replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(';'))
    expect(header!.slice(-5)).toEqual(['Dold', 'Källa', 'Anmärkning', 'Indikator', 'Indelning'])
    expect(rows).toHaveLength(json.values.length)
    for (const r of rows) {
      expect(r[2]).toBe('2025')
      expect(r.at(-4)).toBe(json.source)
      expect(r.at(-3)).toBe(`Värden under ${json.suppression.threshold}, och värden som skulle röja dem, visas inte.`)
    }
  })

  it('gives a comparison (the series of chosen areas) as the Excel CSV the viewer’s series says, hidden cells empty', async () => {
    const areas = (await local.get('/api/areas')).body.filter((a: any) => a.layer === 'primaromrade').slice(0, 3).map((a: any) => a.id)
    const path = `/api/indicators/demo_ran/series?areas=${areas.join(',')}`
    const json = (await local.get(path)).body
    const res = await fetch(`${local.url}${path}&format=csv`, { headers: local.headers() })
    expect(res.headers.get('content-disposition')).toContain(`lagesbild_demo_ran_jamforelse_${json.periods[0]}-${json.periods.at(-1)}.csv`)
    const [header, ...rows] = (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(';'))
    expect(header).toEqual(['Område', 'Kod', 'Indelning', 'Period', 'Värde', 'Täljare', 'Befolkning', 'Dold', 'Källa', 'Anmärkning', 'Indikator'])
    const expected = [
      ...json.series.flatMap((a: any) => a.points.map((p: any) => [a.code, p.period, p.suppressed ? '' : String(p.value).replace('.', ','), p.suppressed ? 'ja' : 'nej'])),
      ...json.city.map((p: any) => ['', p.period, p.suppressed ? '' : String(p.value).replace('.', ','), p.suppressed ? 'ja' : 'nej']),
    ]
    expect(rows.map((r) => [r[1], r[3], r[4], r[7]])).toEqual(expected)
    expect(rows.some((r) => r[7] === 'ja')).toBe(json.series.some((a: any) => a.points.some((p: any) => p.suppressed)))
    expect((await local.get(`${path}&format=xml`)).status).toBe(400)
  })

  it('gives a published lägesbild as GeoJSON and CSV with its frozen figures and areas', async () => {
    const list = (await publicView.get('/api/snapshots')).body
    expect(list.length).toBeGreaterThan(0)
    const id = list[0].id
    const path = `/api/snapshots/${id}/values?indicator=demo_ran&layer=stadsomrade&period=2025`
    const json = (await publicView.get(path)).body
    const res = await fetch(`${app.url}${path}&format=geojson`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toContain('lagesbild_demo_ran_stadsomrade_2025.geojson')
    const geo = await res.json()
    expectSameFigures(geo, json)
    const areas = (await publicView.get(`/api/snapshots/${id}/areas?layer=stadsomrade`)).body
    expect(geo.features).toHaveLength(areas.features.length)
    expect((await validGeometries(db, geo)).every(Boolean)).toBe(true)
    expect(geo.metadata).toMatchObject({ indicator: 'demo_ran', layer: 'stadsomrade', period: '2025', snapshot: id, suppression: { internal: false } })
    const csv = await (await fetch(`${app.url}${path}&format=csv`)).text()
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(lines).toHaveLength(json.values.length + 1)
    expect(lines[1]!.split(';').slice(-3)).toEqual([`Värden under ${json.suppression.threshold}, och värden som skulle röja dem, visas inte.`, 'demo_ran', 'stadsomrade'])
    expect((await publicView.get(`${path}&format=xml`)).status).toBe(400)
  })
})
