/**
 * Emerging hot spots through the API on imported monthly counts: planted patterns come back as their classes
 * (the statistics and every class are checked in tests/unit/emerging.test.ts), and bad asks get 4xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { insertCountIndicator } from '../helpers/fixtures'
import { post, startApp, type RunningApp } from '../helpers/http'

const MONTHS = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`)

describe.each(testEngines())('emerging hot spots on $name', (engine) => {
  let db: Db
  let app: RunningApp
  /** The planted centres: each one's whole neighbourhood carries its pattern, and no two neighbourhoods touch. */
  const centre: Record<'intensifying' | 'newHot' | 'historical' | 'persistentCold', number> = {} as never
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    await insertCountIndicator(db, 'test_emerging', 'Planterade mönster')
    const areas = (await app.get('/api/layers/primaromrade/areas')).body.features as Array<{ id: number; properties: { code: string } }>
    const nb: Record<string, number[]> = (await app.get('/api/layers/primaromrade/neighbours')).body.neighbours
    const closed = (id: number) => [id, ...nb[String(id)]!]
    // Centres with at least four neighbours, at graph distance ≥ 3 from each other (disjoint neighbourhoods, not adjacent).
    const taken = new Set<number>()
    const picked: number[] = []
    for (const a of areas) {
      if (picked.length === 4) break
      if (nb[String(a.id)]!.length < 4 || closed(a.id).some((j) => taken.has(j) || nb[String(j)]!.some((k) => taken.has(k)))) continue
      picked.push(a.id)
      for (const j of closed(a.id)) taken.add(j)
    }
    expect(picked).toHaveLength(4)
    ;[centre.intensifying, centre.newHot, centre.historical, centre.persistentCold] = picked as [number, number, number, number]
    const pattern = (id: number, t: number): number | null => {
      for (const [key, c] of Object.entries(centre)) {
        if (!closed(c).includes(id)) continue
        if (key === 'intensifying') return 30 + 6 * t
        if (key === 'newHot') return t === 11 ? 60 : null
        if (key === 'historical') return t < 11 ? 50 : null
        if (key === 'persistentCold') return 0
      }
      return null
    }
    const rows = ['indicator,layer,area_code,period,value']
    areas.forEach((a, k) => {
      MONTHS.forEach((m, t) => rows.push(`test_emerging,primaromrade,${a.properties.code},${m},${pattern(a.id, t) ?? 12 + ((k * 7 + t * 3) % 5)}`))
    })
    const res = await post(app, '/api/imports/observations?filename=emerging.csv', rows.join('\n') + '\n')
    expect(res.status, JSON.stringify(res.body)).toBe(201)
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  it('classes the planted centres as ArcGIS would, with per-month bins and a Mann–Kendall trend', async () => {
    const res = await app.get('/api/analysis/emerging?indicator=test_emerging&layer=primaromrade&from=2025-01&to=2025-12')
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const body = res.body
    expect(body).toMatchObject({ periodKind: 'month', periods: MONTHS, alpha: 0.05, minPeriods: 6 })
    const of = (id: number) => body.values.find((v: any) => v.areaId === id)
    expect(of(centre.intensifying)).toMatchObject({ class: 'intensifying_hot', hotPeriods: 12 })
    expect(of(centre.intensifying).trendZ).toBeGreaterThan(1.96)
    expect(of(centre.intensifying).trendP).toBeLessThan(0.05)
    expect(of(centre.newHot)).toMatchObject({ class: 'new_hot', hotPeriods: 1 })
    expect(of(centre.newHot).bins.at(-1)).toBe('hot')
    expect(of(centre.historical)).toMatchObject({ class: 'historical_hot', hotPeriods: 11 })
    expect(of(centre.historical).bins.at(-1)).not.toBe('hot')
    expect(of(centre.persistentCold).class).toMatch(/^(persistent|intensifying|diminishing)_cold$/)
    expect(of(centre.persistentCold).coldPeriods).toBeGreaterThanOrEqual(11)
    for (const v of body.values) {
      expect(v.bins).toHaveLength(12)
      expect(v.z).toHaveLength(12)
      v.bins.forEach((b: string, t: number) => {
        if (b === 'hot') expect(v.z[t]).toBeGreaterThan(1.959)
        if (b === 'cold') expect(v.z[t]).toBeLessThan(-1.959)
      })
    }
    // Each month's bins are that month's Gi* hot spots at 95 % (the single-period route, same weights).
    const may = (await app.get('/api/analysis/hotspots?indicator=test_emerging&layer=primaromrade&period=2025-05&method=gistar')).body
    for (const h of may.values) {
      const v = of(h.areaId)
      if (h.z !== null) expect(v.z[4]).toBeCloseTo(h.z, 10)
      const expected = h.class === 'hot99' || h.class === 'hot95' ? 'hot' : h.class === 'cold99' || h.class === 'cold95' ? 'cold' : 'ns'
      expect(v.bins[4]).toBe(expected)
    }
  })

  it('uses only the held periods of the kind asked for, and needs at least six', async () => {
    const short = await app.get('/api/analysis/emerging?indicator=test_emerging&layer=primaromrade&from=2025-01&to=2025-05')
    expect(short.status).toBe(422)
    expect(short.body.error.details.map((d: any) => d.field).sort()).toEqual(['from', 'to'])
    expect(short.body.error.details[0].message).toMatch(/5 perioder/)
    // Wider than the data: only the held months count.
    const wide = await app.get('/api/analysis/emerging?indicator=test_emerging&layer=primaromrade&from=2024-06&to=2026-02')
    expect(wide.status).toBe(200)
    expect(wide.body.periods).toEqual(MONTHS)
    const six = await app.get('/api/analysis/emerging?indicator=test_emerging&layer=primaromrade&from=2025-07&to=2025-12')
    expect(six.status).toBe(200)
    expect(six.body.periods).toEqual(MONTHS.slice(6))
  })

  it('refuses unknown indicators and layers (404), mixed or reversed periods (400) and non-counts (422)', async () => {
    const q = (s: string) => app.get(`/api/analysis/emerging?${s}`)
    expect((await q('indicator=nope&layer=primaromrade&from=2025-01&to=2025-12')).status).toBe(404)
    expect((await q('indicator=test_emerging&layer=nope&from=2025-01&to=2025-12')).status).toBe(404)
    const mixed = await q('indicator=test_emerging&layer=primaromrade&from=2025&to=2025-12')
    expect(mixed.status).toBe(400)
    expect(mixed.body.error.details.map((d: any) => d.field)).toContain('to')
    const reversed = await q('indicator=test_emerging&layer=primaromrade&from=2025-12&to=2025-01')
    expect(reversed.status).toBe(400)
    expect(reversed.body.error.details.map((d: any) => d.field)).toContain('from')
    expect((await q('indicator=test_emerging&layer=primaromrade&from=2025-01')).status).toBe(400)
    const share = await q('indicator=demo_otrygg_kvall&layer=primaromrade&from=2020&to=2026')
    expect(share.status).toBe(422)
    expect(share.body.error.details[0].field).toBe('indicator')
  })
})
