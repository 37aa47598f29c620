/**
 * The city-wide ledningsgrupp's pack (GET /api/snapshots/:id/meeting?layer=stad), the pack of a registered
 * meeting (?meetingId=, "förra mötet" from the register) and attaching a published lägesbild to a meeting
 * (PATCH /api/meetings/:id { snapshotId }). Every figure is read back from the public values of the same
 * snapshot and every p-value recomputed with the R-verified statistics functions.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { benjaminiHochberg, poissonRateChange, proportionChange } from '../../server/statistics'
import { testEngines } from '../helpers/engines'
import { insertCountIndicator, measureBody } from '../helpers/fixtures'
import { post, send, startApp, type Client, type RunningApp } from '../helpers/http'

const INDICATOR = 'test_stadsbrott'
const INDICATORS = [INDICATOR, 'demo_ran', 'demo_otrygg_kvall']
const LAYERS = ['stadsomrade', 'lokalpolisomrade', 'primaromrade']
const RISING = 'Nordost'
const ALPHA = 0.05
const DATE = '2026-03-01'
const PREVIOUS = '2025-03-01'

type Published = { value: number | null; numerator: number | null; denominator: number | null; suppressed: boolean }

/** One change as the pack should test it: `a` then, `b` now; null p when none is made. */
function expectedTest(a: Published, b: Published, unit: string): { p: number | null; ratio: number | null; difference: number | null } {
  if (a.suppressed || b.suppressed) return { p: null, ratio: null, difference: null }
  if (unit === 'percent') {
    const r = proportionChange(a.numerator!, a.denominator!, b.numerator!, b.denominator!)
    return { p: r.p, ratio: null, difference: 100 * r.difference }
  }
  const r = poissonRateChange(a.numerator!, a.denominator!, b.numerator!, b.denominator!)
  return { p: r.p, ratio: Number.isFinite(r.rateRatio) ? r.rateRatio : null, difference: (1000 * b.numerator!) / b.denominator! - (1000 * a.numerator!) / a.denominator! }
}

function expectClose(actual: number | null, expected: number | null, what: string) {
  if (expected === null || actual === null) return expect(actual, what).toBe(expected)
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(actual), Math.abs(expected)))
}

/** Checks a family of changes: p, BH-adjusted p over the family, and the verdict. */
function checkFamily(list: Array<{ got: any; want: ReturnType<typeof expectedTest>; what: string }>) {
  const adjusted = benjaminiHochberg(Float64Array.from(list, (c) => c.want.p ?? NaN))
  list.forEach(({ got, want, what }, i) => {
    if (want.p === null) {
      expect(got.p, what).toBeNull()
      expect(got.pAdjusted, what).toBeNull()
      expect(['hidden', 'same_period', 'not_testable'], what).toContain(got.verdict)
      return
    }
    expectClose(got.p, want.p, `${what} p`)
    expectClose(got.pAdjusted, adjusted[i]!, `${what} pAdjusted`)
    expectClose(got.difference, want.difference, `${what} difference`)
    const direction = want.difference ?? want.ratio! - 1
    expect(got.verdict, what).toBe(adjusted[i]! < ALPHA && direction !== 0 ? (direction > 0 ? 'increase' : 'decrease') : 'no_change')
  })
}

describe.each(testEngines())('city-wide meeting pack on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let publicView: Client
  let local: Client
  let snapshotId: number
  let draftId: number
  let measureId: number
  let problemAreaId: number
  let nordost: { id: number; code: string }
  const detail = { indicatorInfo: [] as Array<{ id: string; unit: string; layers: Array<{ layer: string; periods: string[] }> }>, priorities: {} as any }

  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    publicView = await app.as('public')
    local = await app.as('local')
    await insertCountIndicator(db, INDICATOR, 'Brott i staden (test)', 5)
    const { rows } = await sql<{ id: number; code: string; stadsomrade: string }>`
      SELECT p.id, p.code, s.name AS stadsomrade
      FROM areas p JOIN area_parents ap ON ap.child_id = p.id JOIN areas s ON s.id = ap.parent_id AND s.layer_id = 'stadsomrade'
      WHERE p.layer_id = 'primaromrade' AND p.valid_to IS NULL ORDER BY p.code`.execute(db.kysely)
    // Fourfold in Nordost, the same elsewhere, every seventh below the threshold (hidden) in 2025.
    const csv =
      'indicator,layer,area_code,period,value,numerator\n' +
      rows
        .flatMap((p, k) => {
          const before = 8 + (k % 5)
          const after = p.stadsomrade === RISING ? 4 * before : k % 7 === 0 ? 2 : before
          return [`${INDICATOR},primaromrade,${p.code},2024,${before},${before}`, `${INDICATOR},primaromrade,${p.code},2025,${after},${after}`]
        })
        .join('\n') +
      '\n'
    const imported = await post(app, '/api/imports/observations?filename=stadsbrott.csv', csv)
    expect(imported.status, JSON.stringify(imported.body)).toBe(201)

    const areas = (await app.get('/api/areas')).body as any[]
    const so = areas.find((a) => a.layer === 'stadsomrade' && a.name === RISING)
    nordost = { id: so.id, code: so.code }
    const cycles = (await app.get('/api/cycles')).body
    const cycleId = cycles.find((c: any) => c.current).id
    // A problem area of Nordost with a target on the rising count, and a city-wide one with a target on a share.
    const pa = await send(app, 'POST', '/api/problem-areas', {
      cycleId,
      areaId: so.id,
      title: 'Brott i Nordost (test)',
      analysis: 'Planterad ökning.',
      goals: 'Färre brott.',
      indicatorIds: [INDICATOR],
      targets: [{ indicatorId: INDICATOR, target: 100, targetPeriod: '2025' }],
    })
    expect(pa.status, JSON.stringify(pa.body)).toBe(201)
    problemAreaId = pa.body.id
    const cityWide = await send(app, 'POST', '/api/problem-areas', {
      cycleId,
      title: 'Otrygghet i staden (test)',
      analysis: '',
      goals: 'Tryggare kvällar.',
      indicatorIds: ['demo_otrygg_kvall'],
      targets: [{ indicatorId: 'demo_otrygg_kvall', target: 99, targetPeriod: '2025' }],
    })
    expect(cityWide.status, JSON.stringify(cityWide.body)).toBe(201)
    const inNordost = rows.find((r) => r.stadsomrade === RISING)!
    const measure = await send(app, 'POST', '/api/measures', {
      ...measureBody({ title: 'Samverkan i Nordost (test)', problemAreaId, areaIds: [inNordost.id], followUp: [{ indicatorId: INDICATOR, baselinePeriod: '2024', target: 5, targetPeriod: '2025' }] }),
      samverkansform: 'SSPF',
    })
    expect(measure.status, JSON.stringify(measure.body)).toBe(201)
    measureId = measure.body.id

    const created = await send(app, 'POST', '/api/snapshots', { title: 'Lägesbild för ledningsgruppen', indicators: INDICATORS, layers: LAYERS })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    snapshotId = created.body.id
    expect((await send(app, 'POST', `/api/snapshots/${snapshotId}/publish`)).status).toBe(200)
    draftId = (await send(app, 'POST', '/api/snapshots', { title: 'Utkast', indicators: ['demo_ran'], layers: ['stadsomrade'] })).body.id
    Object.assign(detail, (await publicView.get(`/api/snapshots/${snapshotId}`)).body)
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const url = (params: Record<string, string | number>, id = snapshotId) => `/api/snapshots/${id}/meeting?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`
  async function pack(client: Client, params: Record<string, string | number>) {
    const res = await client.get(url(params))
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body
  }
  const cache = new Map<string, any>()
  async function published(indicator: string, layer: string, period: string) {
    const key = `${indicator}|${layer}|${period}`
    if (!cache.has(key)) {
      const res = await publicView.get(`/api/snapshots/${snapshotId}/values?indicator=${indicator}&layer=${layer}&period=${period}`)
      expect(res.status).toBe(200)
      cache.set(key, res.body)
    }
    return cache.get(key)
  }
  const latestYear = (indicator: string, layer: string, date: string) =>
    detail.indicatorInfo
      .find((i) => i.id === indicator)!
      .layers.find((l) => l.layer === layer)!
      .periods.filter((p) => /^\d{4}$/.test(p) && `${Number(p) + 1}-01-01` <= date)
      .sort()
      .at(-1) ?? null
  const unitOf = (indicator: string) => detail.indicatorInfo.find((i) => i.id === indicator)!.unit
  const rate = (c: Published, unit: string) => (unit === 'count' && !c.suppressed && c.numerator !== null && c.denominator ? (1000 * c.numerator) / c.denominator : null)

  it("gives the city's key figures now and at the previous meeting, with the change tested as the local pack does", async () => {
    const m = await pack(publicView, { layer: 'stad', date: DATE, previous: PREVIOUS })
    expect(m).toMatchObject({ kind: 'city', layer: 'stad', snapshotId, date: DATE, previousDate: PREVIOUS, periodKind: 'year', alpha: ALPHA, meeting: null })
    expect(m.method).toContain('en familj per indelning')
    expect(m.indicators.map((i: any) => i.indicator).sort()).toEqual([...INDICATORS].sort())
    const family = []
    for (const ind of m.indicators) {
      const unit = unitOf(ind.indicator)
      const now = (await published(ind.indicator, 'stadsomrade', latestYear(ind.indicator, 'stadsomrade', DATE)!)).city
      const then = (await published(ind.indicator, 'stadsomrade', latestYear(ind.indicator, 'stadsomrade', PREVIOUS)!)).city
      expect(ind.current).toEqual({ period: latestYear(ind.indicator, 'stadsomrade', DATE), value: now.suppressed ? null : now.value, suppressed: now.suppressed, rate: rate(now, unit) })
      expect(ind.previous).toEqual({ period: latestYear(ind.indicator, 'stadsomrade', PREVIOUS), value: then.suppressed ? null : then.value, suppressed: then.suppressed, rate: rate(then, unit) })
      family.push({ got: ind.change, want: expectedTest(then, now, unit), what: ind.indicator })
    }
    checkFamily(family)
    // The planted count rose in Nordost only, and still enough for the whole city.
    expect(m.indicators.find((i: any) => i.indicator === INDICATOR).change.verdict).toBe('increase')
  })

  it("sets every stadsområde's and lokalpolisområde's change side by side, one Benjamini–Hochberg family per layer", async () => {
    const m = await pack(publicView, { layer: 'stad', date: DATE, previous: PREVIOUS })
    expect(m.layers.map((l: any) => l.layer)).toEqual(['stadsomrade', 'lokalpolisomrade'])
    for (const layer of m.layers) {
      const family = []
      const ids = (await published(INDICATOR, layer.layer, '2025')).values.map((v: any) => v.areaId).sort()
      expect(layer.areas.map((a: any) => a.id).sort()).toEqual(ids)
      expect(layer.indicators.map((i: any) => i.indicator).sort()).toEqual([...INDICATORS].sort())
      for (const ind of layer.indicators) {
        const unit = unitOf(ind.indicator)
        expect(ind.currentPeriod).toBe(latestYear(ind.indicator, layer.layer, DATE))
        expect(ind.previousPeriod).toBe(latestYear(ind.indicator, layer.layer, PREVIOUS))
        const now = await published(ind.indicator, layer.layer, ind.currentPeriod)
        const then = await published(ind.indicator, layer.layer, ind.previousPeriod)
        expect(ind.changes.map((c: any) => c.areaId)).toEqual(layer.areas.map((a: any) => a.id))
        for (const c of ind.changes) {
          const cur = now.values.find((v: any) => v.areaId === c.areaId)
          const prev = then.values.find((v: any) => v.areaId === c.areaId)
          family.push({ got: c, want: expectedTest(prev, cur, unit), what: `${layer.layer} ${ind.indicator} ${c.areaId}` })
        }
      }
      checkFamily(family)
    }
    const so = m.layers.find((l: any) => l.layer === 'stadsomrade')
    const planted = so.indicators.find((i: any) => i.indicator === INDICATOR)
    for (const c of planted.changes) expect(c.verdict, String(c.areaId)).toBe(c.areaId === nordost.id ? 'increase' : 'no_change')
  })

  it("follows up the frozen problem areas' targets against the frozen figures, and lists the samverkansformer with their measures", async () => {
    const m = await pack(publicView, { layer: 'stad', date: DATE })
    const frozen = detail.priorities.problemAreas as any[]
    expect(m.problemAreas.map((p: any) => p.id)).toEqual(frozen.map((p) => p.id))
    const mine = m.problemAreas.find((p: any) => p.id === problemAreaId)
    expect(mine.area).toEqual({ id: nordost.id, name: RISING, layer: 'stadsomrade' })
    const nowNordost = (await published(INDICATOR, 'stadsomrade', '2025')).values.find((v: any) => v.areaId === nordost.id)
    expect(mine.targets).toEqual([
      { indicatorId: INDICATOR, indicatorName: 'Brott i staden (test)', unit: 'count', target: 100, targetPeriod: '2025', latest: { period: '2025', value: nowNordost.value, suppressed: false }, meets: nowNordost.value <= 100, reason: null },
    ])
    expect(mine.measures).toEqual({ total: 1, planerad: 0, pagaende: 1, avslutad: 0 })
    const evaluation = (detail.priorities.measures as any[]).find((x) => x.id === measureId).evaluation
    const statuses = evaluation.indicators.map((r: any) => r.status)
    expect(mine.followUp).toEqual({ gron: statuses.filter((s: any) => s === 'gron').length, gul: statuses.filter((s: any) => s === 'gul').length, rod: statuses.filter((s: any) => s === 'rod').length, none: statuses.filter((s: any) => s == null).length })
    // The city-wide one is read against the city's figure.
    const city = m.problemAreas.find((p: any) => p.title === 'Otrygghet i staden (test)')
    expect(city.area).toBeNull()
    const share = (await published('demo_otrygg_kvall', 'stadsomrade', '2025')).city
    expect(city.targets[0]).toMatchObject({ latest: { period: '2025', value: share.value, suppressed: false }, meets: share.value <= 99 })

    const register = (await app.get('/api/samverkansformer')).body as any[]
    expect(m.samverkansformer.map((s: any) => [s.id, s.status])).toEqual(register.map((s) => [s.id, s.status]))
    expect(m.samverkansformer).toHaveLength(5)
    // The frozen measures that run in each, the new one among them.
    for (const s of m.samverkansformer) {
      const running = (detail.priorities.measures as any[]).filter((x) => x.samverkansform === s.id)
      expect(s.measures, s.id).toEqual(running.map((x) => ({ id: x.id, title: x.title, status: x.status, problemAreaId: x.problemAreaId })))
    }
    expect(m.samverkansformer.find((s: any) => s.id === 'SSPF').measures).toContainEqual({ id: measureId, title: 'Samverkan i Nordost (test)', status: 'pagaende', problemAreaId })
  })

  it('takes the date and "förra mötet" from the register for a meeting id, and the pack from its group', async () => {
    const meet = async (groupId: string, date: string, chair = 'staden') => {
      const res = await send(app, 'POST', '/api/meetings', { groupId, date, fullDay: false, chairOrganisation: chair })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      return res.body.id as number
    }
    const first = await meet('trygg_i_goteborg', '2025-02-10')
    const second = await meet('trygg_i_goteborg', PREVIOUS, 'polisen')
    await meet(`lokal:${nordost.code}`, '2025-12-01')
    const third = await meet('trygg_i_goteborg', DATE)
    const sameDay = await meet('trygg_i_goteborg', DATE, 'polisen')

    const m = await pack(app, { meetingId: third })
    expect(m).toMatchObject({ kind: 'city', date: DATE, previousDate: PREVIOUS, meeting: { id: third, groupId: 'trygg_i_goteborg', groupName: 'Ledningsgrupp Trygg i Göteborg', date: DATE, previous: { id: second, date: PREVIOUS } } })
    // The same figures as asked for by date.
    const byDate = await pack(app, { layer: 'stad', date: DATE, previous: PREVIOUS })
    expect({ ...m, meeting: null }).toEqual(byDate)
    // Two meetings on one day: the later registered one follows the earlier.
    expect((await pack(app, { meetingId: sameDay })).meeting.previous).toEqual({ id: third, date: DATE })
    // The group's first meeting has none before it: three months back.
    const firstPack = await pack(app, { meetingId: first })
    expect(firstPack.meeting.previous).toBeNull()
    expect(firstPack.previousDate).toBe('2024-11-10')

    // A local group's meeting gives its stadsområde's pack, with its own previous meeting (not the city's).
    const localMeeting = await meet(`lokal:${nordost.code}`, '2026-04-15')
    const lm = await pack(local, { meetingId: localMeeting })
    expect(lm).toMatchObject({ kind: 'area', layer: 'stadsomrade', area: { id: nordost.id }, date: '2026-04-15', previousDate: '2025-12-01' })
    expect(lm.meeting.previous.date).toBe('2025-12-01')
    // The network and the forum meet on the whole city.
    expect((await pack(app, { meetingId: await meet('natverk', '2026-05-05') })).kind).toBe('city')

    const fields = async (client: Client, params: Record<string, string | number>, status: number, id = snapshotId) => {
      const res = await client.get(url(params, id))
      expect(res.status, JSON.stringify(res.body)).toBe(status)
      return res.body.error.details.map((d: any) => d.field)
    }
    const group = await send(app, 'POST', '/api/groups', {
      name: 'Arbetsgrupp (test)',
      mandate: { purpose: 'Pröva', goals: 'Mål', deliverables: 'Rapport', timeLimit: '2026-12-31', givenBy: 'trygg_i_goteborg' },
    })
    expect(group.status, JSON.stringify(group.body)).toBe(201)
    expect(await fields(app, { meetingId: await meet(group.body.id, '2026-06-01') }, 400)).toEqual(['meetingId'])
    expect(await fields(app, { meetingId: 999_999 }, 404)).toEqual(['meetingId'])
    expect(await fields(app, { meetingId: third, date: DATE }, 400)).toEqual(['date'])
    expect(await fields(app, { meetingId: third, layer: 'stad' }, 400)).toEqual(['layer'])
    expect(await fields(publicView, { meetingId: third }, 401)).toEqual(['meetingId'])
    expect(await fields(app, { meetingId: third }, 404, 999_999)).toEqual(['id'])
  })

  it('refuses a city pack with an area or without a date, and keeps drafts to analysts', async () => {
    const fields = async (params: Record<string, string | number>, status: number, id = snapshotId) => {
      const res = await publicView.get(url(params, id))
      expect(res.status, JSON.stringify(res.body)).toBe(status)
      return res.body.error.details.map((d: any) => d.field)
    }
    expect(await fields({ layer: 'stad' }, 400)).toEqual(['date'])
    expect(await fields({ layer: 'stad', area: nordost.id, date: DATE }, 400)).toEqual(['area'])
    expect(await fields({ date: DATE }, 400)).toEqual(['layer'])
    expect(await fields({ layer: 'stad', date: DATE, previous: DATE }, 400)).toEqual(['previous'])
    expect(await fields({ layer: 'stad', date: DATE }, 404, draftId)).toEqual(['id'])
    const draft = await app.get(url({ layer: 'stad', date: DATE }, draftId))
    expect(draft.status).toBe(200)
    expect(draft.body).toMatchObject({ kind: 'city', publishedAt: null })
    expect(draft.body.layers.map((l: any) => l.layer)).toEqual(['stadsomrade'])
  })

  it('attaches only a published lägesbild to a meeting, by those who keep its meetings', async () => {
    const created = await send(app, 'POST', '/api/meetings', { groupId: 'trygg_i_goteborg', date: '2026-09-01', fullDay: true, chairOrganisation: 'staden' })
    const id = created.body.id
    expect(created.body.snapshotId).toBeNull()
    const patch = (client: Client, version: number, snapshotIdValue: unknown) => send(client, 'PATCH', `/api/meetings/${id}`, { version, snapshotId: snapshotIdValue })
    const field = (res: { body: any }) => res.body.error.details.map((d: any) => d.field)
    const draft = await patch(app, 1, draftId)
    expect(draft.status).toBe(422)
    expect(field(draft)).toEqual(['snapshotId'])
    expect((await patch(app, 1, 999_999)).status).toBe(422)
    expect(field(await patch(app, 1, 'x'))).toEqual(['snapshotId'])
    // A local group keeps only its own meetings; the public none.
    expect((await patch(local, 1, snapshotId)).status).toBe(403)
    expect((await patch(publicView, 1, snapshotId)).status).toBe(401)
    const ok = await patch(app, 1, snapshotId)
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    expect(ok.body).toMatchObject({ id, snapshotId, version: 2 })
    expect((await app.get('/api/meetings?group=trygg_i_goteborg&year=2026')).body.find((m: any) => m.id === id).snapshotId).toBe(snapshotId)
    // Other edits keep it; null detaches it.
    expect((await send(app, 'PATCH', `/api/meetings/${id}`, { version: 2, agenda: 'Lägesbilden' })).body.snapshotId).toBe(snapshotId)
    expect((await patch(app, 3, null)).body.snapshotId).toBeNull()
    // The local group attaches to its own meeting.
    const own = await send(local, 'POST', '/api/meetings', { groupId: `lokal:${nordost.code}`, date: '2026-09-02', fullDay: false, chairOrganisation: 'polisen' })
    expect((await send(local, 'PATCH', `/api/meetings/${own.body.id}`, { version: 1, snapshotId })).body.snapshotId).toBe(snapshotId)
  })
})
