/**
 * A survey known per lokalpolisområde, estimated per stadsområde through the primärområden. The expected
 * numbers come from the source files' own membership lists (each primärområde's stadsområde attribute and
 * each lokalpolisområde's list of primärområden), not from the geometry the service uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { post, startApp, type RunningApp } from '../helpers/http'

describe.each(testEngines())('crosswalk on $name', (engine) => {
  let db: Db
  let app: RunningApp
  const share: Record<string, number> = { city: 20, syd: 30, hisingen: 25, nordost: 40 }
  const counts: Record<string, number> = { city: 100, syd: 60, hisingen: 80, nordost: 120 }
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    await db.kysely
      .insertInto('indicators')
      .values([
        { id: 'test_trygghet_lpo', description: '', name: 'Trygghet per lokalpolisområde', unit: 'percent', category: 'otrygghet', source: 'Test', polarity: 'higher_is_worse' },
        { id: 'test_brott_lpo', description: '', name: 'Brott per lokalpolisområde', unit: 'count', category: 'brott', source: 'Test', polarity: 'higher_is_worse' },
      ])
      .execute()
    const rows = Object.keys(share).flatMap((code) => [`test_trygghet_lpo;lokalpolisomrade;${code};2024;${share[code]}`, `test_brott_lpo;lokalpolisomrade;${code};2024;${counts[code]}`])
    const res = await post(app, '/api/imports/observations', ['indicator;layer;area_code;period;value', ...rows].join('\n'))
    expect(res.status).toBe(201)
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  async function expectedFromAttributes() {
    const { rows } = await sql<{ prim: string; stadsomrade: string; lpo: string; population: number }>`
      SELECT p.code AS prim, p.attributes->>'stadsomrade' AS stadsomrade, l.code AS lpo, ap.population
      FROM areas p
      JOIN area_population ap ON ap.area_id = p.id
      JOIN areas l ON l.layer_id = 'lokalpolisomrade' AND l.attributes->'primaromraden' ? p.code
      WHERE p.layer_id = 'primaromrade'`.execute(db.kysely)
    const lpoPop = new Map<string, number>()
    for (const r of rows) lpoPop.set(r.lpo, (lpoPop.get(r.lpo) ?? 0) + r.population)
    const shareAcc = new Map<string, [number, number]>()
    const countAcc = new Map<string, number>()
    for (const r of rows) {
      const a = shareAcc.get(r.stadsomrade) ?? [0, 0]
      shareAcc.set(r.stadsomrade, [a[0] + share[r.lpo]! * r.population, a[1] + r.population])
      countAcc.set(r.stadsomrade, (countAcc.get(r.stadsomrade) ?? 0) + (counts[r.lpo]! * r.population) / lpoPop.get(r.lpo)!)
    }
    return { share: new Map([...shareAcc].map(([k, [s, w]]) => [k, s / w])), count: countAcc }
  }

  it('estimates a share population-weighted, says how, and lists the layer as estimated', async () => {
    const res = await app.get('/api/indicators/test_trygghet_lpo/values?layer=stadsomrade&period=2024')
    expect(res.status).toBe(200)
    expect(res.body.method).toMatchObject({ kind: 'crosswalk', fromLayer: 'lokalpolisomrade', weighting: 'population', note: expect.stringMatching(/Uppskattning/) })
    const expected = await expectedFromAttributes()
    expect(res.body.values).toHaveLength(4)
    for (const v of res.body.values) expect(v.value, v.name).toBeCloseTo(expected.share.get(v.name)!, 9)
    const ind = (await app.get('/api/indicators')).body.find((i: any) => i.id === 'test_trygghet_lpo')
    expect(ind.layers.find((l: any) => l.layer === 'stadsomrade')).toMatchObject({ derivedFrom: 'lokalpolisomrade', estimated: true })
  })

  it('spreads counts by population and keeps the city total', async () => {
    const res = await app.get('/api/indicators/test_brott_lpo/values?layer=stadsomrade&period=2024')
    const expected = await expectedFromAttributes()
    for (const v of res.body.values) expect(v.value, v.name).toBeCloseTo(expected.count.get(v.name)!, 6)
    const total = res.body.values.reduce((s: number, v: any) => s + v.value, 0)
    expect(total).toBeCloseTo(360, 6)
  })
})
