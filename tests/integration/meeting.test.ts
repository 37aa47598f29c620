/**
 * Mötesunderlag (GET /api/snapshots/:id/meeting): an area's figures at a meeting, read from a published
 * snapshot. Every figure, p-value and hot spot class is recomputed here from what the public can fetch of
 * the same snapshot (its values, areas and the neighbour list) with the R-verified statistics functions;
 * which primärområden lie in the area is checked with Turf, independently of PostGIS.
 */
import * as turf from '@turf/turf'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { benjaminiHochberg, gStar, gStarClass, poissonRateChange, proportionChange } from '../../server/statistics'
import { testEngines } from '../helpers/engines'
import { insertCountIndicator, measureBody } from '../helpers/fixtures'
import { post, send, startApp, type Client, type RunningApp } from '../helpers/http'

const INDICATOR = 'test_motesbrott'
const INDICATORS = [INDICATOR, 'demo_ran', 'demo_otrygg_kvall']
const LAYERS = ['stadsomrade', 'lokalpolisomrade', 'primaromrade']
const THRESHOLD = 5
/** The stadsområde where the count is planted to rise fourfold, and one where it stays exactly the same. */
const RISING = 'Nordost'
const STEADY = 'Sydväst'
const ALPHA = 0.05

interface Primary {
  id: number
  code: string
  stadsomrade: string
  population: number
  k: number
}

/** Planted counts per primärområde: [2024, 2025]. */
function planted(p: Primary): [number, number] {
  if (p.stadsomrade === RISING) return [10 + (p.k % 3), 4 * (10 + (p.k % 3))]
  if (p.stadsomrade === STEADY) return [6 + (p.k % 7), 6 + (p.k % 7)]
  // Elsewhere a mix: every fifth below the threshold (hidden), the rest moving a little between the years.
  if (p.k % 5 === 0) return [1 + (p.k % 3), 1 + ((p.k + 1) % 3)]
  return [5 + (p.k % 9), 5 + ((p.k + 3) % 9)]
}

/** Relative agreement to 1e-12 (the same functions on the same inputs: in practice exact). */
function expectClose(actual: number | null, expected: number | null, what: string) {
  if (expected === null || actual === null) return expect(actual, what).toBe(expected)
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(actual), Math.abs(expected)))
}

type Published = { value: number | null; numerator: number | null; denominator: number | null; suppressed: boolean }

describe.each(testEngines())('meeting material on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let analyst: Client
  let publicView: Client
  let snapshotId: number
  let draftId: number
  let measureId: number
  let primaries: Primary[]
  const so = new Map<string, number>()
  const detail = { indicatorInfo: [] as Array<{ id: string; unit: string; layers: Array<{ layer: string; periods: string[] }> }> }

  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    analyst = app
    publicView = await app.as('public')
    await insertCountIndicator(db, INDICATOR, 'Brott vid möten (test)', THRESHOLD)
    // Setup only: which primärområde lies in which stadsområde, and its population, to plant counts per population.
    const { rows } = await sql<{ id: number; code: string; stadsomrade: string; population: number }>`
      SELECT p.id, p.code, s.name AS stadsomrade,
             (SELECT ap2.population FROM area_population ap2 WHERE ap2.area_id = p.id ORDER BY ap2.year DESC LIMIT 1)::int AS population
      FROM areas p JOIN area_parents ap ON ap.child_id = p.id JOIN areas s ON s.id = ap.parent_id AND s.layer_id = 'stadsomrade'
      WHERE p.layer_id = 'primaromrade' AND p.valid_to IS NULL ORDER BY p.code`.execute(db.kysely)
    primaries = rows.map((r, k) => ({ ...r, k }))
    expect(primaries).toHaveLength(96)
    expect(primaries.every((p) => p.population > 0)).toBe(true)
    for (const s of (await publicView.get('/api/areas')).body.filter((a: any) => a.layer === 'stadsomrade')) so.set(s.name, s.id)

    // An indicator table of counts: their population (the denominator) is the primärområden's, derived per year.
    const csv =
      'indicator,layer,area_code,period,value,numerator\n' +
      primaries
        .flatMap((p) => planted(p).map((n, i) => `${INDICATOR},primaromrade,${p.code},${2024 + i},${n},${n}`))
        .join('\n') +
      '\n'
    const imported = await post(analyst, '/api/imports/observations?filename=motesbrott.csv', csv)
    expect(imported.status, JSON.stringify(imported.body)).toBe(201)

    const cycles = (await analyst.get('/api/cycles')).body
    const problemAreas = (await analyst.get(`/api/cycles/${cycles.find((c: any) => c.current).id}/problem-areas`)).body
    const inRising = primaries.find((p) => p.stadsomrade === RISING)!
    const measure = await send(
      analyst,
      'POST',
      '/api/measures',
      measureBody({
        title: 'Trygghetsvandringar i Nordost',
        problemAreaId: problemAreas[0].id,
        areaIds: [inRising.id],
        startDate: '2025-06-01',
        followUp: [{ indicatorId: INDICATOR, baselinePeriod: '2024', target: 5, targetPeriod: '2026' }],
      }),
    )
    expect(measure.status, JSON.stringify(measure.body)).toBe(201)
    measureId = measure.body.id

    const created = await send(analyst, 'POST', '/api/snapshots', { title: 'Lägesbild inför mötet', indicators: INDICATORS, layers: LAYERS })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    snapshotId = created.body.id
    expect((await send(analyst, 'POST', `/api/snapshots/${snapshotId}/publish`)).status).toBe(200)
    const draft = await send(analyst, 'POST', '/api/snapshots', { title: 'Utkast inför mötet', indicators: ['demo_ran'], layers: ['stadsomrade'] })
    expect(draft.status).toBe(201)
    draftId = draft.body.id
    Object.assign(detail, (await publicView.get(`/api/snapshots/${snapshotId}`)).body)
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const meetingUrl = (params: Record<string, string | number>, id = snapshotId) =>
    `/api/snapshots/${id}/meeting?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`

  async function meeting(client: Client, params: Record<string, string | number>) {
    const res = await client.get(meetingUrl(params))
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body
  }

  const valuesCache = new Map<string, any>()
  async function published(indicator: string, layer: string, period: string) {
    const key = `${indicator}|${layer}|${period}`
    if (!valuesCache.has(key)) {
      const res = await publicView.get(`/api/snapshots/${snapshotId}/values?indicator=${indicator}&layer=${layer}&period=${period}`)
      expect(res.status).toBe(200)
      valuesCache.set(key, res.body)
    }
    return valuesCache.get(key)
  }

  /** The latest whole year that had ended by a date (a year ends on 1 January of the next). */
  function latestYear(indicator: string, layer: string, date: string): string | null {
    const periods = detail.indicatorInfo.find((i) => i.id === indicator)!.layers.find((l) => l.layer === layer)!.periods
    return periods.filter((p) => /^\d{4}$/.test(p) && `${Number(p) + 1}-01-01` <= date).sort().at(-1) ?? null
  }

  /** One test as the meeting should make it: `a` the reference, `b` the area now; null p when none is made. */
  function expectedTest(a: Published, b: Published, unit: string): { p: number | null; ratio: number | null; difference: number | null; verdict?: string } {
    if (a.suppressed || b.suppressed) return { p: null, ratio: null, difference: null, verdict: 'hidden' }
    if (unit === 'percent') {
      const r = proportionChange(a.numerator!, a.denominator!, b.numerator!, b.denominator!)
      return { p: r.p, ratio: null, difference: 100 * r.difference }
    }
    const r = poissonRateChange(a.numerator!, a.denominator!, b.numerator!, b.denominator!)
    // Per 1 000 inhabitants: it carries the direction even when the ratio is infinite.
    return { p: r.p, ratio: Number.isFinite(r.rateRatio) ? r.rateRatio : null, difference: (1000 * b.numerator!) / b.denominator! - (1000 * a.numerator!) / a.denominator! }
  }

  /**
   * Checks a meeting against the public values of the same snapshot: figures, the period chosen, and every
   * comparison's p, BH-adjusted p (per family) and verdict. Yearly periods only.
   */
  async function checkAgainstPublished(m: any, layer: string, areaId: number, date: string, previous: string) {
    expect(m).toMatchObject({ snapshotId, layer, date, previousDate: previous, periodKind: 'year', alpha: ALPHA })
    expect(m.area.id).toBe(areaId)
    expect(m.indicators.map((i: any) => i.indicator).sort()).toEqual([...INDICATORS].sort())
    const families = { versusCity: [] as Array<{ got: any; want: ReturnType<typeof expectedTest> }>, change: [] as Array<{ got: any; want: ReturnType<typeof expectedTest> }> }
    for (const ind of m.indicators) {
      const unit = detail.indicatorInfo.find((i) => i.id === ind.indicator)!.unit
      expect(ind.unit).toBe(unit)
      const currentPeriod = latestYear(ind.indicator, layer, date)!
      const previousPeriod = latestYear(ind.indicator, layer, previous)!
      const now = await published(ind.indicator, layer, currentPeriod)
      const then = await published(ind.indicator, layer, previousPeriod)
      const cur: Published = now.values.find((v: any) => v.areaId === areaId)
      const prev: Published = then.values.find((v: any) => v.areaId === areaId)
      const city: Published = now.city
      const rate = (c: Published) => (unit === 'count' && !c.suppressed && c.numerator !== null && c.denominator ? (1000 * c.numerator) / c.denominator : null)
      expect(ind.current).toEqual({
        period: currentPeriod,
        value: cur.suppressed ? null : cur.value,
        suppressed: cur.suppressed,
        rate: rate(cur),
        city: { period: currentPeriod, value: city.suppressed ? null : city.value, suppressed: city.suppressed, rate: rate(city) },
      })
      expect(ind.previous).toEqual({ period: previousPeriod, value: prev.suppressed ? null : prev.value, suppressed: prev.suppressed, rate: rate(prev) })

      const rest: Published = { value: null, suppressed: false, numerator: city.numerator! - cur.numerator!, denominator: city.denominator! - cur.denominator! }
      const versus = city.suppressed ? { p: null, ratio: null, difference: null, verdict: 'hidden' } : expectedTest(rest, cur, unit)
      const change = previousPeriod === currentPeriod ? { p: null, ratio: null, difference: null, verdict: 'same_period' } : expectedTest(prev, cur, unit)
      families.versusCity.push({ got: ind.versusCity, want: versus })
      families.change.push({ got: ind.change, want: change })
    }
    const verdicts = { versusCity: ['higher', 'lower', 'similar'], change: ['increase', 'decrease', 'no_change'] } as const
    for (const family of ['versusCity', 'change'] as const) {
      const list = families[family]
      const adjusted = benjaminiHochberg(Float64Array.from(list, (c) => c.want.p ?? NaN))
      list.forEach(({ got, want }, i) => {
        const what = `${m.indicators[i].indicator} ${family}`
        if (want.p === null) {
          expect(got, what).toMatchObject({ verdict: want.verdict, p: null, pAdjusted: null, ratio: null, difference: null })
          expect(got.reason, what).toMatch(/\S/)
          return
        }
        expectClose(got.p, want.p, `${what} p`)
        expectClose(got.pAdjusted, adjusted[i]!, `${what} pAdjusted`)
        expectClose(got.ratio, want.ratio, `${what} ratio`)
        expectClose(got.difference, want.difference, `${what} difference`)
        const direction = want.difference ?? want.ratio! - 1
        const [up, down, none] = verdicts[family]
        expect(got.verdict, what).toBe(adjusted[i]! < ALPHA && direction !== 0 ? (direction > 0 ? up : down) : none)
        expect(got.reason, what).toBeNull()
      })
    }
    return families
  }

  it('gives the planted stadsområde its figures, tested against the rest of the city and the previous meeting', async () => {
    const rising = so.get(RISING)!
    const m = await meeting(publicView, { layer: 'stadsomrade', area: rising, date: '2026-03-01', previous: '2025-03-01' })
    expect(m.area).toMatchObject({ id: rising, name: RISING })
    expect(m.snapshotTitle).toBe('Lägesbild inför mötet')
    expect(m.publishedAt).not.toBeNull()
    const families = await checkAgainstPublished(m, 'stadsomrade', rising, '2026-03-01', '2025-03-01')
    const mine = m.indicators.find((i: any) => i.indicator === INDICATOR)
    expect(mine.current.period).toBe('2025')
    expect(mine.previous.period).toBe('2024')
    expect(mine.current.value).toBe(4 * mine.previous.value)
    expect(mine.change.verdict).toBe('increase')
    expect(mine.change.ratio).toBeCloseTo(4, 12)
    expect(mine.change.pAdjusted).toBeLessThan(1e-6)
    // The survey share has figures every other year: 2025 now, 2023 at the previous meeting, tested as shares.
    const share = m.indicators.find((i: any) => i.indicator === 'demo_otrygg_kvall')
    expect(share).toMatchObject({ unit: 'percent', current: { period: '2025' }, previous: { period: '2023' } })
    expect(share.versusCity.p).not.toBeNull()
    expect(share.change.p).not.toBeNull()
    expect(share.change.ratio).toBeNull()
    // Every test was made: nothing hidden at this level.
    expect(families.versusCity.every((c) => c.got.p !== null) && families.change.every((c) => c.got.p !== null)).toBe(true)
  })

  it('finds no change where the counts stayed the same, and the same on every other area and layer', async () => {
    const steady = so.get(STEADY)!
    const m = await meeting(publicView, { layer: 'stadsomrade', area: steady, date: '2026-03-01', previous: '2025-03-01' })
    await checkAgainstPublished(m, 'stadsomrade', steady, '2026-03-01', '2025-03-01')
    const mine = m.indicators.find((i: any) => i.indicator === INDICATOR)
    expect(mine.current.value).toBe(mine.previous.value)
    expect(mine.change).toMatchObject({ verdict: 'no_change', p: 1, ratio: 1 })

    for (const [name, id] of so) {
      if (name === RISING || name === STEADY) continue
      await checkAgainstPublished(await meeting(publicView, { layer: 'stadsomrade', area: id, date: '2026-03-01', previous: '2025-03-01' }), 'stadsomrade', id, '2026-03-01', '2025-03-01')
    }
    // The default previous meeting is three months before: 2025-12-01, when 2024 was the latest whole year.
    const lpo = (await published(INDICATOR, 'lokalpolisomrade', '2025')).values[0].areaId
    const byDefault = await meeting(publicView, { layer: 'lokalpolisomrade', area: lpo, date: '2026-03-01' })
    expect(byDefault.previousDate).toBe('2025-12-01')
    await checkAgainstPublished(byDefault, 'lokalpolisomrade', lpo, '2026-03-01', '2025-12-01')
    // Three months before the end of a long month is the end of the short one, not a day into the next.
    for (const [date, previous] of [['2025-05-31', '2025-02-28'], ['2024-05-31', '2024-02-29'], ['2026-01-31', '2025-10-31'], ['2025-12-31', '2025-09-30']]) {
      expect((await meeting(publicView, { layer: 'lokalpolisomrade', area: lpo, date: date! })).previousDate, date).toBe(previous)
    }
  })

  it('does not test a change when the previous meeting saw the same period, nor periods the snapshot lacks', async () => {
    const rising = so.get(RISING)!
    const m = await meeting(publicView, { layer: 'stadsomrade', area: rising, date: '2026-03-01', previous: '2026-02-01' })
    await checkAgainstPublished(m, 'stadsomrade', rising, '2026-03-01', '2026-02-01')
    for (const ind of m.indicators) {
      expect(ind.change, ind.indicator).toMatchObject({ verdict: 'same_period', p: null, pAdjusted: null })
      expect(ind.change.reason).toContain('2025')
      expect(ind.current.period).toBe(ind.previous.period)
    }
    // The test indicator is the rising one also against the rest of the city, which is still tested.
    expect(m.indicators.find((i: any) => i.indicator === INDICATOR).versusCity.verdict).toBe('higher')

    // Nothing per half-year in this snapshot: no figures, no tests, and no hot spots.
    const halves = await meeting(publicView, { layer: 'stadsomrade', area: rising, date: '2026-03-01', periodKind: 'half' })
    for (const ind of halves.indicators) {
      expect(ind.current).toBeNull()
      expect(ind.versusCity.verdict).toBe('not_testable')
      expect(ind.change.verdict).toBe('not_testable')
    }
    expect(halves.hotspots).toEqual([])
    // A meeting on 1 January 2026 already has all of 2025 (periods end exclusively); one the day before does not.
    const newYear = await meeting(publicView, { layer: 'stadsomrade', area: rising, date: '2026-01-01', previous: '2025-12-31' })
    const mine = newYear.indicators.find((i: any) => i.indicator === INDICATOR)
    expect(mine.current.period).toBe('2025')
    expect(mine.previous.period).toBe('2024')
    expect(mine.change.verdict).toBe('increase')
  })

  it('finds hot spots with Gi* on the published primärområde counts, hidden ones left out, and knows which lie in the area', async () => {
    const rising = so.get(RISING)!
    const m = await meeting(publicView, { layer: 'stadsomrade', area: rising, date: '2026-03-01', previous: '2025-03-01' })
    expect(m.hotspots.map((h: any) => h.indicator).sort()).toEqual([INDICATOR, 'demo_ran'].sort())
    const { neighbours } = (await publicView.get('/api/layers/primaromrade/neighbours')).body as { neighbours: Record<string, number[]> }

    for (const h of m.hotspots) {
      expect(h).toMatchObject({ layer: 'primaromrade', period: '2025' })
      const values: Array<Published & { areaId: number }> = (await published(h.indicator, 'primaromrade', '2025')).values
      const used = values.filter((v) => !v.suppressed && v.value !== null)
      const index = new Map(used.map((v, i) => [v.areaId, i]))
      const nb = used.map((v) => (neighbours[String(v.areaId)] ?? []).flatMap((n) => (index.has(n) ? [index.get(n)!] : [])))
      const { gi, p } = gStar(Float64Array.from(used, (v) => v.value!), nb)
      const adjusted = benjaminiHochberg(p)
      const expected = new Map(
        values.map((v) => {
          const i = index.get(v.areaId)
          if (i === undefined) return [v.areaId, 'missing']
          if (nb[i]!.length === 0) return [v.areaId, 'no_neighbours']
          return [v.areaId, gStarClass(gi[i]!, adjusted[i]!) ?? 'ns']
        }),
      )
      expect(h.n).toBe(used.length)
      expect(h.leftOut).toBe(values.length - used.length)
      expect(h.values).toHaveLength(values.length)
      for (const v of h.values) {
        expect(v.class, `${h.indicator} area ${v.areaId}`).toBe(expected.get(v.areaId))
        expect(v.suppressed).toBe(values.find((x) => x.areaId === v.areaId)!.suppressed)
      }
    }

    const mine = m.hotspots.find((h: any) => h.indicator === INDICATOR)
    // The planted data hide some primärområden, and the fourfold rise makes the stadsområde a hot spot.
    expect(mine.leftOut).toBeGreaterThan(3)
    expect(mine.values.filter((v: any) => v.suppressed).every((v: any) => v.class === 'missing')).toBe(true)
    const hot = mine.values.filter((v: any) => v.class === 'hot99' && mine.inside.includes(v.areaId))
    expect(hot.length).toBeGreaterThan(3)

    // Which primärområden lie in the stadsområde, by Turf on the snapshot's own boundaries.
    const outline = (await publicView.get(`/api/snapshots/${snapshotId}/areas?layer=stadsomrade`)).body.features.find((f: any) => f.properties.id === rising)
    const parts = (await publicView.get(`/api/snapshots/${snapshotId}/areas?layer=primaromrade`)).body.features
    const inside = parts.filter((f: any) => turf.booleanPointInPolygon(turf.pointOnFeature(f), outline)).map((f: any) => f.properties.id as number)
    expect(inside.length).toBe(primaries.filter((p) => p.stadsomrade === RISING).length)
    expect([...mine.inside].sort((a, b) => a - b)).toEqual(inside.sort((a: number, b: number) => a - b))
    for (const h of m.hotspots) expect(h.inside).toEqual(mine.inside)
  })

  it('shows nothing of a hidden cell: no value, no rate, no test, no count below the threshold', async () => {
    // A primärområde whose 2025 count is hidden from the public, as a meeting area of its own.
    const hiddenCells = (await published(INDICATOR, 'primaromrade', '2025')).values.filter((v: any) => v.suppressed)
    expect(hiddenCells.length).toBeGreaterThan(0)
    const responses = [
      await meeting(publicView, { layer: 'primaromrade', area: hiddenCells[0].areaId, date: '2026-03-01', previous: '2025-03-01' }),
      await meeting(publicView, { layer: 'stadsomrade', area: so.get('Centrum')!, date: '2026-03-01', previous: '2025-03-01' }),
      await meeting(publicView, { layer: 'stadsomrade', area: so.get(RISING)!, date: '2026-03-01' }),
    ]
    const onHidden = responses[0].indicators.find((i: any) => i.indicator === INDICATOR)
    expect(onHidden.current).toMatchObject({ period: '2025', value: null, rate: null, suppressed: true })
    expect(onHidden.versusCity).toMatchObject({ verdict: 'hidden', p: null, pAdjusted: null, ratio: null, difference: null })
    expect(onHidden.change).toMatchObject({ verdict: 'hidden', p: null, pAdjusted: null, ratio: null, difference: null })
    await checkAgainstPublished(responses[0], 'primaromrade', hiddenCells[0].areaId, '2026-03-01', '2025-03-01')

    let figures = 0
    const walk = (x: unknown, path: string, unit: string | null) => {
      if (Array.isArray(x)) return x.forEach((y, i) => walk(y, `${path}[${i}]`, unit))
      if (x === null || typeof x !== 'object') return
      const o = x as Record<string, unknown>
      const u = typeof o.unit === 'string' ? o.unit : unit
      if ('suppressed' in o && 'value' in o) {
        figures++
        if (o.suppressed) {
          expect(o.value, path).toBeNull()
          if ('rate' in o) expect(o.rate, path).toBeNull()
        } else if (u === 'count' && o.value !== null) {
          expect(o.value as number, path).toBeGreaterThanOrEqual(THRESHOLD)
        }
      }
      for (const key of ['numerator', 'count']) if (key in o && o[key] !== null) expect(o[key] as number, `${path}.${key}`).toBeGreaterThanOrEqual(THRESHOLD)
      for (const [k, v] of Object.entries(o)) walk(v, `${path}.${k}`, u)
    }
    for (const r of responses) walk(r, '$', null)
    expect(figures).toBeGreaterThan(20)
  })

  it('lists the frozen measures in the area, not those elsewhere', async () => {
    const frozen = (await publicView.get(`/api/snapshots/${snapshotId}`)).body.priorities.measures
    expect(frozen.map((x: any) => x.id)).toContain(measureId)
    const rising = await meeting(publicView, { layer: 'stadsomrade', area: so.get(RISING)!, date: '2026-03-01' })
    expect(rising.measureIds).toContain(measureId)
    const steady = await meeting(publicView, { layer: 'stadsomrade', area: so.get(STEADY)!, date: '2026-03-01' })
    expect(steady.measureIds).not.toContain(measureId)
    // On the measure's own primärområde too.
    const own = frozen.find((x: any) => x.id === measureId).areaIds[0]
    expect((await meeting(publicView, { layer: 'primaromrade', area: own, date: '2026-03-01' })).measureIds).toContain(measureId)
  })

  it('refuses bad input naming the field, and keeps drafts from everyone but analysts', async () => {
    const rising = so.get(RISING)!
    const fields = async (url: string, status: number) => {
      const res = await publicView.get(url)
      expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(status)
      return res.body.error.details.map((d: any) => d.field)
    }
    expect(await fields(meetingUrl({ layer: 'stadsomrade', area: rising }), 400)).toEqual(['date'])
    expect(await fields(meetingUrl({ layer: 'stadsomrade', area: rising, date: '2026-02-30' }), 400)).toEqual(['date'])
    expect(await fields(meetingUrl({ layer: 'stadsomrade', area: rising, date: '2026-03-01', previous: '2026-03-01' }), 400)).toEqual(['previous'])
    expect(await fields(meetingUrl({ layer: 'stadsomrade', area: rising, date: '2026-03-01', previous: '2026-04-01' }), 400)).toEqual(['previous'])
    expect(await fields(meetingUrl({ layer: 'stadsomrade', area: rising, date: '2026-03-01', periodKind: 'week' }), 400)).toEqual(['periodKind'])
    expect(await fields(meetingUrl({ layer: 'stadsomrade', date: '2026-03-01' }), 400)).toEqual(['area'])
    expect(await fields(meetingUrl({ layer: 'stadsomrade', area: 999_999, date: '2026-03-01' }), 404)).toEqual(['area'])
    // An area of another layer is not an area of this one.
    expect(await fields(meetingUrl({ layer: 'stadsomrade', area: primaries[0]!.id, date: '2026-03-01' }), 404)).toEqual(['area'])
    expect(await fields(meetingUrl({ layer: 'deso', area: rising, date: '2026-03-01' }), 404)).toEqual(['layer'])
    expect(await fields(meetingUrl({ layer: 'stadsomrade', area: rising, date: '2026-03-01' }, 999_999), 404)).toEqual(['id'])

    const draft = meetingUrl({ layer: 'stadsomrade', area: rising, date: '2026-03-01' }, draftId)
    expect(await fields(draft, 404)).toEqual(['id'])
    expect((await (await app.as('local')).get(draft)).status).toBe(404)
    const seen = await analyst.get(draft)
    expect(seen.status).toBe(200)
    expect(seen.body).toMatchObject({ snapshotId: draftId, publishedAt: null, hotspots: [] })
    expect(seen.body.indicators.map((i: any) => i.indicator)).toEqual(['demo_ran'])
  })
  // A cube of counts below the threshold everywhere, frozen and published: the settled audit takes ~30 s alone
  // and passed 60 s beside the rest of the suite.
  it('tests counts of incidents per inhabitant, with the population frozen with them, and says which year', { timeout: 180_000 }, async () => {
    const id = 'test_handelser'
    await insertCountIndicator(db, id, 'Händelser (test)', THRESHOLD)
    // 2024: 4 points in every primärområde; 2025: 12 in Nordost's, 4 elsewhere.
    const { rows } = await sql<{ x: number; y: number; year: number }>`
      WITH a AS (SELECT p.geom, s.name AS so, row_number() OVER (ORDER BY p.code)::int AS k FROM areas p
                 JOIN area_parents ap ON ap.child_id = p.id JOIN areas s ON s.id = ap.parent_id AND s.layer_id = 'stadsomrade'
                 WHERE p.layer_id = 'primaromrade' AND p.valid_to IS NULL),
      pts AS (SELECT (ST_Dump(ST_GeneratePoints(geom, 4, k))).geom AS g, 2024 AS year FROM a
              UNION ALL SELECT (ST_Dump(ST_GeneratePoints(geom, CASE WHEN so = ${RISING} THEN 12 ELSE 4 END, k + 1000))).geom, 2025 FROM a)
      SELECT ST_X(g) AS x, ST_Y(g) AS y, year FROM pts`.execute(db.kysely)
    const csv = 'datum,kategori,x,y\n' + rows.map((r, i) => `${r.year}-${String(1 + (i % 12)).padStart(2, '0')}-15,${id},${r.x},${r.y}`).join('\n') + '\n'
    const imported = await post(analyst, '/api/imports/incidents?crs=EPSG:3006&filename=handelser.csv', csv)
    expect(imported.status, JSON.stringify(imported.body)).toBe(201)
    // A measure whose baseline is a count below the threshold: the published snapshot withholds it.
    const cycles = (await analyst.get('/api/cycles')).body
    const problemAreas = (await analyst.get(`/api/cycles/${cycles.find((c: any) => c.current).id}/problem-areas`)).body
    const small = await send(
      analyst,
      'POST',
      '/api/measures',
      measureBody({ title: 'Liten utgångspunkt', problemAreaId: problemAreas[0].id, areaIds: [primaries[0]!.id], followUp: [{ indicatorId: id, baselinePeriod: '2024', target: 1, targetPeriod: '2026' }] }),
    )
    expect(small.status).toBe(201)
    const created = await send(analyst, 'POST', '/api/snapshots', { title: 'Händelser', indicators: [id], layers: ['stadsomrade', 'primaromrade'] })
    expect(created.status).toBe(201)
    expect((await send(analyst, 'POST', `/api/snapshots/${created.body.id}/publish`)).status).toBe(200)
    const frozenMeasure = (await publicView.get(`/api/snapshots/${created.body.id}`)).body.priorities.measures.find((m: any) => m.id === small.body.id)
    // The target (1) is withheld too: it is a small count itself, and a target typed from a hidden baseline gives it away.
    expect(frozenMeasure.followUp[0]).toMatchObject({ baselinePeriod: '2024', target: null, targetWithheld: expect.stringMatching(/^målet visas inte/) })
    expect(frozenMeasure.evaluation.indicators[0]).toMatchObject({ baseline: { period: '2024', value: null, suppressed: true }, target: null, direction: null, p: null, status: null })
    expect((await analyst.get(`/api/measures/${small.body.id}/evaluation`)).body.indicators[0].baseline).toEqual({ period: '2024', value: 4, suppressed: false })

    const rising = so.get(RISING)!
    const res = await publicView.get(meetingUrl({ layer: 'stadsomrade', area: rising, date: '2026-03-01', previous: '2025-03-01' }, created.body.id))
    expect(res.status).toBe(200)
    const row = res.body.indicators.find((i: any) => i.indicator === id)
    const frozen = async (period: string) => (await publicView.get(`/api/snapshots/${created.body.id}/values?indicator=${id}&layer=stadsomrade&period=${period}`)).body
    const [y24, y25] = [await frozen('2024'), await frozen('2025')]
    // The populations, summed here from the primärområden the setup read, frozen as the denominators.
    const areaPop = primaries.filter((p) => p.stadsomrade === RISING).reduce((sum, p) => sum + p.population, 0)
    const cityPop = primaries.reduce((sum, p) => sum + p.population, 0)
    expect(y25.values.find((v: any) => v.areaId === rising).denominator).toBe(areaPop)
    expect(y24.city.denominator).toBe(cityPop)
    expect(y24.population).toMatchObject({ year: 2025, nearest: true })
    const count = (v: any) => v.values.find((x: any) => x.areaId === rising).value
    const change = poissonRateChange(count(y24), areaPop, count(y25), areaPop)
    const versus = poissonRateChange(y25.city.value - count(y25), cityPop - areaPop, count(y25), areaPop)
    expectClose(row.change.p, change.p, 'change p')
    expectClose(row.versusCity.p, versus.p, 'versus p')
    expect(row.change.verdict).toBe('increase')
    expect(row.current.rate).toBeCloseTo((1000 * count(y25)) / areaPop, 10)
    expect(res.body.populationNote).toMatch(/Befolkning 2025/)
  })
})
