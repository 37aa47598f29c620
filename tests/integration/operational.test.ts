/**
 * The rolling comparisons of the continuous local picture, checked against the weekly figures the values
 * API gives the same caller and against the exact Poisson test computed here from those figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { benjaminiHochberg, poissonRateChange } from '../../server/statistics'
import { testEngines } from '../helpers/engines'
import { post, startApp, type Client, type RunningApp } from '../helpers/http'
import { weeklyIncidentsCsv, weeks } from '../helpers/weekly-incidents'

const IND = 'demo_ran'

describe.each(testEngines())('rolling comparisons on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let local: Client
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    local = await app.as('local')
    // Robberies: a steady 12 a week in primärområde 116, 5 a week in every other one (none where the code ends in 1), and in 612 a rise from 6
    // a week to 30 in the last four weeks to 15 March 2026. Weeks 2025-W01 … 2026-W11 are in the file. (Data
    // this dense keep secondary suppression quick; almost all zeros make it take tens of seconds.)
    const csv = await weeklyIncidentsCsv(
      db,
      [...weeks(2025, 1, 52), ...weeks(2026, 1, 11)],
      (code, w) => (code === '116' ? 12 : code === '612' ? (weeks(2026, 8, 11).includes(w) ? 30 : 6) : code.endsWith('1') ? 0 : 5),
      { points: 320, pointsIn: { '116': 2000, '612': 2000 }, seed: 11 },
    )
    const res = await post(app, '/api/imports/incidents?crs=EPSG:3006&map=R%C3%A5n:demo_ran', csv)
    expect(res.status).toBe(201)
  }, 600_000)
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  /** A window's sum and inhabitant-weeks from the values API, as `client` sees them; null if any week is hidden. */
  async function fromValues(client: Client, layer: string, ws: string[]) {
    const out = new Map<number, { count: number | null; exposure: number }>()
    for (const w of ws) {
      const v = (await client.get(`/api/indicators/${IND}/values?layer=${layer}&period=${w}`)).body
      for (const x of v.values) {
        const o = out.get(x.areaId) ?? { count: 0, exposure: 0 }
        if (x.suppressed || o.count === null) o.count = null
        else {
          o.count += x.numerator ?? x.value
          o.exposure += x.denominator || 1
        }
        out.set(x.areaId, o)
      }
    }
    return out
  }

  // The first answer audits demo_ran's cube with the demo lägesbild as an earlier release: 16 s on the embedded
  // run and 70 s on the PostgreSQL run measured alone, more than 180 s once beside the rest of the suite.
  it('compares the last 28 days with the 28 before and a year earlier, each tested and adjusted over the areas', { timeout: 360_000 }, async () => {
    const res = await app.get(`/api/operational/compare?indicator=${IND}&layer=stadsomrade&end=2026-03-15&window=28d`)
    expect(res.status).toBe(200)
    const b = res.body
    expect(b.current).toEqual({ weeks: weeks(2026, 8, 11), from: '2026-02-16', to: '2026-03-15' })
    expect(b.previous.weeks).toEqual(weeks(2026, 4, 7))
    expect(b.lastYear.weeks).toEqual(weeks(2025, 8, 11))
    const [cur, prev, ly] = (await Promise.all([b.current.weeks, b.previous.weeks, b.lastYear.weeks].map((ws: string[]) => fromValues(app, 'stadsomrade', ws)))) as [Awaited<ReturnType<typeof fromValues>>, Awaited<ReturnType<typeof fromValues>>, Awaited<ReturnType<typeof fromValues>>]
    const ps: number[] = []
    const lps: number[] = []
    for (const a of b.areas) {
      expect(a.current).toBe(cur.get(a.areaId)!.count)
      expect(a.previous).toBe(prev.get(a.areaId)!.count)
      expect(a.lastYear).toBe(ly.get(a.areaId)!.count)
      const r = poissonRateChange(prev.get(a.areaId)!.count!, prev.get(a.areaId)!.exposure, cur.get(a.areaId)!.count!, cur.get(a.areaId)!.exposure)
      expect(a.p).toBeCloseTo(r.p, 12)
      ps.push(r.p)
      lps.push(poissonRateChange(ly.get(a.areaId)!.count!, ly.get(a.areaId)!.exposure, cur.get(a.areaId)!.count!, cur.get(a.areaId)!.exposure).p)
    }
    const adj = benjaminiHochberg(Float64Array.from(ps))
    const ladj = benjaminiHochberg(Float64Array.from(lps))
    b.areas.forEach((a: any, i: number) => {
      expect(a.pAdjusted).toBeCloseTo(adj[i]!, 12)
      expect(a.versusLastYear.pAdjusted).toBeCloseTo(ladj[i]!, 12)
    })
    // 612's stadsområde rose from 24+48 to 120+48 robberies in four weeks; the other areas stayed as they were.
    const rose = b.areas.filter((a: any) => a.verdict === 'increase')
    expect(rose).toHaveLength(1)
    expect(rose[0].versusLastYear.verdict).toBe('increase')
    expect(rose[0].current - rose[0].previous).toBe(4 * 24)
    expect(b.areas.filter((a: any) => a.verdict === 'no_change').length).toBe(b.areas.length - 1)
  })

  it('compares the year to date with the same weeks last year', async () => {
    const b = (await app.get(`/api/operational/compare?indicator=${IND}&layer=stadsomrade&end=2026-03-20&window=ytd`)).body
    expect(b.current.weeks).toEqual(weeks(2026, 1, 11))
    expect(b.lastYear.weeks).toEqual(weeks(2025, 1, 11))
    expect(b.previous).toBeNull()
    const [cur, ly] = await Promise.all([fromValues(app, 'stadsomrade', b.current.weeks), fromValues(app, 'stadsomrade', b.lastYear.weeks)])
    for (const a of b.areas) {
      expect(a.current).toBe(cur.get(a.areaId)!.count)
      expect(a.lastYear).toBe(ly.get(a.areaId)!.count)
      expect(a.previous).toBeNull()
      expect(a.versusLastYear).toBeNull()
    }
    const rose = b.areas.find((a: any) => a.current - a.lastYear === 4 * 24)
    const c = cur.get(rose.areaId)!
    const l = ly.get(rose.areaId)!
    expect(rose.p).toBeCloseTo(poissonRateChange(l.count!, l.exposure, c.count!, c.exposure).p, 12)
    expect(b.areas.filter((a: any) => a.current !== a.lastYear)).toEqual([rose])
  })

  it('never sums a window holding a week hidden from the caller, and tests nothing on it', async () => {
    const url = `/api/operational/compare?indicator=${IND}&layer=primaromrade&end=2026-03-15&window=28d`
    const outside = (await local.get(url)).body
    expect(outside.suppression.internal).toBe(false)
    const cur = await fromValues(local, 'primaromrade', outside.current.weeks)
    const prev = await fromValues(local, 'primaromrade', outside.previous.weeks)
    let hidden = 0
    for (const a of outside.areas) {
      const c = cur.get(a.areaId)!.count
      const p = prev.get(a.areaId)!.count
      expect(a.current).toBe(c)
      if (c === null || p === null) {
        hidden++
        expect(a).toMatchObject({ hidden: true, verdict: 'hidden', p: null, pAdjusted: null })
      }
    }
    // The areas without robberies (0 a week) are below the threshold: hidden for the local group.
    expect(hidden).toBeGreaterThan(0)
    // Every window shown is tested.
    for (const a of outside.areas.filter((x: any) => !x.hidden)) expect(a.p).not.toBeNull()
    // On stadsområden the local group sees the rise, from the same figures as its map.
    const coarse = (await local.get(`/api/operational/compare?indicator=${IND}&layer=stadsomrade&end=2026-03-15&window=28d`)).body
    const coarseCur = await fromValues(local, 'stadsomrade', coarse.current.weeks)
    for (const a of coarse.areas) expect(a.current).toBe(coarseCur.get(a.areaId)!.count)
    const analysts = (await app.get(`/api/operational/compare?indicator=${IND}&layer=stadsomrade&end=2026-03-15&window=28d`)).body
    for (const a of coarse.areas.filter((x: any) => !x.hidden)) expect(a.current).toBe(analysts.areas.find((x: any) => x.areaId === a.areaId).current)
    // Analysts see every sum.
    const internal = (await app.get(url)).body
    expect(internal.areas.every((a: any) => a.current !== null)).toBe(true)
  })

  it('answers bad questions with the field', async () => {
    expect((await app.get(`/api/operational/compare?indicator=${IND}&layer=stadsomrade&window=7d`)).body.error.details[0].field).toBe('window')
    expect((await app.get(`/api/operational/compare?indicator=nope&layer=stadsomrade`)).status).toBe(404)
    const share = await app.get(`/api/operational/compare?indicator=demo_otrygg_kvall&layer=stadsomrade`)
    expect(share.status).toBe(422)
    expect(share.body.error.details[0].field).toBe('indicator')
    expect((await app.get(`/api/operational/compare?indicator=${IND}&layer=nope`)).status).toBe(404)
    // DeSO holds months only: nothing to compare week by week.
    const deso = await app.get(`/api/operational/compare?indicator=${IND}&layer=deso`)
    expect(deso.status).toBe(422)
    expect(deso.body.error.details[0].field).toBe('layer')
    expect((await (await app.as('public')).get(`/api/operational/compare?indicator=${IND}&layer=stadsomrade`)).status).toBe(401)
  })
})
