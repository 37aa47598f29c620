/**
 * The analysis API on real data: the statistics themselves are checked against R/spdep in
 * tests/unit/statistics.test.ts; here, that the right numbers go in and the answers mean what they say.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { post, startApp, type RunningApp } from '../helpers/http'

describe.each(testEngines())('analysis on $name', (engine) => {
  let db: Db
  let app: RunningApp
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    // A planted hot spot: 400 incidents within 300 m of Brunnsparken in March 2026, and 40 spread over the city each month.
    const rows: string[] = []
    for (let i = 0; i < 400; i++) rows.push(`2026-03-${String(1 + (i % 28)).padStart(2, '0')},demo_ran,${319400 + ((i * 37) % 300)},${6400100 + ((i * 53) % 300)}`)
    // The same 40 spread incidents in January, February and March: nothing changes there between the months.
    for (const month of ['01', '02', '03']) {
      for (let i = 0; i < 40; i++) rows.push(`2026-${month}-${String(1 + (i % 28)).padStart(2, '0')},demo_ran,${310000 + ((i * 7919) % 25000)},${6395000 + ((i * 104729) % 15000)}`)
    }
    const res = await post(app, '/api/imports/incidents?crs=EPSG:3006&lenient=true', `datum,kategori,x,y\n${rows.join('\n')}\n`)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  it('finds the planted hot spot with Gi* on the hexagon grid, reports islands and empty cells honestly', async () => {
    const res = await app.get('/api/analysis/hotspots?indicator=demo_ran&layer=hex&period=2026-03&method=gistar')
    expect(res.status).toBe(200)
    const body = res.body
    expect(body).toMatchObject({ method: 'gistar', measure: 'count', fdr: false, permutations: 0 })
    const values = (await app.get('/api/indicators/demo_ran/values?layer=hex&period=2026-03')).body.values
    expect(body.values).toHaveLength(values.length)
    const top = [...body.values].sort((a: any, b: any) => b.value - a.value)[0]
    expect(top.value).toBeGreaterThan(100)
    expect(top.class).toBe('hot99')
    expect(top.z).toBeGreaterThan(2.58)
    const neighbours = (await app.get('/api/layers/hex/neighbours')).body.neighbours
    for (const v of body.values) {
      expect(v.neighbours).toBe(neighbours[String(v.areaId)].length)
      if (v.neighbours === 0) expect(v).toMatchObject({ z: null, p: null, class: 'no_neighbours' })
      if (v.class.startsWith('hot')) expect(v.z).toBeGreaterThan(0)
      if (v.class.startsWith('cold')) expect(v.z).toBeLessThan(0)
      if (v.class === 'hot99' || v.class === 'cold99') expect(v.p).toBeLessThan(0.01)
      if (v.class === 'ns' && v.p !== null) expect(v.p).toBeGreaterThanOrEqual(0.1)
    }
    // Far from the planted cluster nothing is hot.
    const hot = body.values.filter((v: any) => v.class.startsWith('hot')).length
    expect(hot).toBeGreaterThan(0)
    expect(hot).toBeLessThan(30)
  })

  it('uses FDR-adjusted p-values when asked: never more significant areas, and pAdjusted ≥ p', async () => {
    const plain = (await app.get('/api/analysis/hotspots?indicator=demo_ran&layer=hex&period=2026-03&method=gistar')).body
    const fdr = (await app.get('/api/analysis/hotspots?indicator=demo_ran&layer=hex&period=2026-03&method=gistar&fdr=true')).body
    const significant = (b: any) => b.values.filter((v: any) => v.class !== 'ns' && v.class !== 'no_neighbours' && v.class !== 'missing').length
    expect(significant(fdr)).toBeLessThanOrEqual(significant(plain))
    for (const v of fdr.values) if (v.p !== null) expect(v.pAdjusted).toBeGreaterThanOrEqual(v.p - 1e-15)
  })

  it('gives LISA clusters by quadrant, and seeded permutations that repeat exactly', async () => {
    const q = '/api/analysis/hotspots?indicator=demo_ran&layer=primaromrade&period=2025&method=lisa&measure=rate'
    const lisa = (await app.get(q)).body
    expect(lisa.measure).toBe('rate')
    for (const v of lisa.values) expect(['HH', 'LL', 'HL', 'LH', 'ns', 'no_neighbours', 'missing']).toContain(v.class)
    expect(lisa.values.some((v: any) => v.i !== null)).toBe(true)
    const a = (await app.get(`${q}&permutations=199&seed=7`)).body
    const b = (await app.get(`${q}&permutations=199&seed=7`)).body
    const c = (await app.get(`${q}&permutations=199&seed=8`)).body
    expect(a.values.map((v: any) => v.p)).toEqual(b.values.map((v: any) => v.p))
    expect(a.values.map((v: any) => v.p)).not.toEqual(c.values.map((v: any) => v.p))
    for (const v of a.values) if (v.p !== null) expect(Math.round(v.p * 200) / 200).toBeCloseTo(v.p, 12)
    expect((await app.get(`${q}&permutations=10`)).status).toBe(400)
  })

  it('smooths rates towards the city (global EB) and towards the neighbours (local EB), with the denominator shown', async () => {
    const raw = (await app.get('/api/analysis/rates?indicator=demo_ran&layer=primaromrade&period=2025')).body
    expect(raw.populationEstimated).toBe(false)
    for (const v of raw.values) if (v.rate !== null) expect(v.rate).toBeCloseTo((1000 * v.numerator) / v.denominator, 10)
    const eb = (await app.get('/api/analysis/rates?indicator=demo_ran&layer=primaromrade&period=2025&smooth=eb')).body
    expect(eb.cityRate).toBeGreaterThan(0)
    let moved = 0
    for (const v of eb.values) {
      if (v.rate === null) continue
      // Marshall's estimate lies between the area's own rate and the city's.
      const lo = Math.min(v.rate, eb.cityRate) - 1e-9
      const hi = Math.max(v.rate, eb.cityRate) + 1e-9
      expect(v.smoothed).toBeGreaterThanOrEqual(lo)
      expect(v.smoothed).toBeLessThanOrEqual(hi)
      if (Math.abs(v.smoothed - v.rate) > 1e-9) moved++
    }
    expect(moved).toBeGreaterThan(10)
    const seb = (await app.get('/api/analysis/rates?indicator=demo_ran&layer=primaromrade&period=2025&smooth=seb')).body
    expect(seb.values.filter((v: any) => v.smoothed !== null).length).toBe(eb.values.filter((v: any) => v.smoothed !== null).length)
    const deso = (await app.get('/api/analysis/rates?indicator=demo_ran&layer=deso&period=2025')).body
    expect(deso.populationEstimated).toBe(true)
    expect(deso.populationNote).toMatch(/uppskattad/)
    const total = deso.values.reduce((s: number, v: any) => s + (v.denominator ?? 0), 0)
    const city = raw.values.reduce((s: number, v: any) => s + (v.denominator ?? 0), 0)
    expect(Math.abs(total - city) / city).toBeLessThan(0.02)
  })

  it('tests a change instead of only subtracting: the planted month differs for sure, an unchanged area does not', async () => {
    const res = (await app.get('/api/analysis/change?indicator=demo_ran&layer=stadsomrade&from=2026-02&to=2026-03')).body
    expect(res.test).toBe('poisson')
    const centrum = res.values.reduce((a: any, b: any) => ((b.to ?? 0) > (a.to ?? 0) ? b : a))
    expect(centrum.to).toBeGreaterThan(300)
    expect(centrum.significant).toBe(true)
    expect(centrum.p).toBeLessThan(1e-6)
    const same = (await app.get('/api/analysis/change?indicator=demo_ran&layer=stadsomrade&from=2026-01&to=2026-02')).body
    for (const v of same.values) expect(v).toMatchObject({ difference: 0, significant: false, p: 1 })
    const shares = (await app.get('/api/analysis/change?indicator=demo_otrygg_kvall&layer=stadsomrade&from=2019&to=2025')).body
    expect(shares.test).toBe('proportion')
    for (const v of shares.values) if (v.p !== null) expect(v.ciLow).toBeLessThanOrEqual(v.difference + 1e-9)
  })

  it('is for analysts only, and refuses what cannot be analysed by name', async () => {
    const local = await app.as('local')
    expect((await local.get('/api/analysis/hotspots?indicator=demo_ran&layer=hex&period=2026-03&method=gistar')).status).toBe(403)
    const bad = await app.get('/api/analysis/hotspots?indicator=demo_ran&layer=hex&period=2026-03&method=kriging')
    expect(bad.status).toBe(400)
    expect(bad.body.error.details[0].field).toBe('method')
    const share = await app.get('/api/analysis/hotspots?indicator=demo_otrygg_kvall&layer=primaromrade&period=2025&method=gistar')
    expect(share.status).toBe(422)
    expect(share.body.error.details[0].field).toBe('indicator')
  })
})
