import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { followUpStatus } from '../../server/core/evaluation'
import { parsePeriod } from '../../server/core/period'
import { displacement, poissonRateChange, proportionChange } from '../../server/statistics'
import { testEngines } from '../helpers/engines'
import { measureBody } from '../helpers/fixtures'
import { send, type Client, type RunningApp } from '../helpers/http'
import { startApp } from '../helpers/http'

describe.each(testEngines())('measure evaluation on $name', (engine) => {
  let db: Db
  let analyst: RunningApp
  let local: Client
  let areas: Array<{ id: number; layer: string; name: string }>
  let problemAreas: Array<{ id: number; title: string }>
  const ids = { ownCause: 0, otherCause: 0 }
  const areaId = (layer: string, name: string) => areas.find((a) => a.layer === layer && a.name === name)!.id
  const polarity = new Map<string, 'higher_is_worse' | 'higher_is_better' | 'neutral'>()

  beforeAll(async () => {
    db = await engine.open()
    analyst = await startApp(db)
    local = await analyst.as('local')
    areas = (await analyst.get('/api/areas')).body
    const cycles = (await analyst.get('/api/cycles')).body
    problemAreas = (await analyst.get(`/api/cycles/${cycles.find((c: any) => c.current).id}/problem-areas`)).body
    for (const i of (await analyst.get('/api/indicators')).body) polarity.set(i.id, i.polarity)
    // Causes are written straight to the table: the orsaksanalys has its own tests.
    const cause = (problemAreaId: number, title: string) =>
      db.kysely.insertInto('causes').values({ problem_area_id: problemAreaId, ordinal: 1, kind: 'plats', title }).returning('id').executeTakeFirstOrThrow()
    ids.ownCause = (await cause(problemAreas[0]!.id, 'Mörka passager vid torget')).id
    ids.otherCause = (await cause(problemAreas[1]!.id, 'Annat problemområdes orsak')).id
  })
  afterAll(async () => {
    await analyst?.close()
    await db?.close()
  })

  const create = async (o: Partial<Parameters<typeof measureBody>[0]> & Record<string, unknown>) => {
    const res = await send(analyst, 'POST', '/api/measures', { ...measureBody({ title: 'Utvärderad åtgärd', problemAreaId: problemAreas[0]!.id, areaIds: [areaId('primaromrade', 'Hjällbo')] }), ...o })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body
  }

  /** The figure of an area in a period, read from the values endpoint as the client sees it. */
  const cellOf = async (client: Client, indicator: string, layer: string, period: string, area: number) => {
    const res = await client.get(`/api/indicators/${indicator}/values?layer=${layer}&period=${period}`)
    return { available: res.status === 200 ? (res.body.availablePeriods as string[]) : [], cell: res.status === 200 ? res.body.values.find((v: any) => v.areaId === area) ?? null : null }
  }

  /** The evaluation of one row computed independently: values endpoint, then the statistics functions. */
  async function expected(client: Client, f: { indicatorId: string; baselinePeriod: string; target: number; targetPeriod: string }, area: { id: number; layer: string }, unit: string) {
    const { available, cell: b } = await cellOf(client, f.indicatorId, area.layer, f.baselinePeriod, area.id)
    const kind = parsePeriod(f.baselinePeriod)!
    const later = available.filter((p) => parsePeriod(p)!.kind === kind.kind && parsePeriod(p)!.start > kind.start).sort().reverse()
    let latest: { period: string; cell: any } | null = null
    for (const period of later) {
      const { cell } = await cellOf(client, f.indicatorId, area.layer, period, area.id)
      if (cell && (cell.suppressed || cell.value !== null)) {
        latest = { period, cell }
        break
      }
    }
    const out = {
      baseline: { period: f.baselinePeriod, value: b && !b.suppressed ? b.value : null, suppressed: Boolean(b?.suppressed) },
      latest: latest && { period: latest.period, value: latest.cell.suppressed ? null : latest.cell.value, suppressed: latest.cell.suppressed },
      test: null as string | null,
      estimate: null as number | null,
      p: null as number | null,
      status: null as string | null,
    }
    if (!b || b.suppressed || b.value === null || !latest || latest.cell.suppressed) return out
    const l = latest.cell
    let change = 0
    if (unit === 'count' && Number.isInteger(b.value) && Number.isInteger(l.value)) {
      const pop = b.denominator > 0 && l.denominator > 0
      const r = poissonRateChange(b.value, pop ? b.denominator : 1, l.value, pop ? l.denominator : 1)
      Object.assign(out, { test: 'poisson', estimate: Number.isFinite(r.rateRatio) ? r.rateRatio : null, p: r.p })
      change = l.value / (pop ? l.denominator : 1) - b.value / (pop ? b.denominator : 1)
    } else if (unit === 'percent' && Number.isInteger(b.numerator) && Number.isInteger(b.denominator) && Number.isInteger(l.numerator) && Number.isInteger(l.denominator)) {
      const r = proportionChange(b.numerator, b.denominator, l.numerator, l.denominator)
      Object.assign(out, { test: 'proportion', estimate: 100 * r.difference, p: r.p })
      change = r.difference
    }
    out.status = followUpStatus({
      baseline: b.value,
      latest: l.value,
      target: f.target,
      latestPeriod: latest.period,
      targetPeriod: f.targetPeriod,
      polarity: polarity.get(f.indicatorId)!,
      test: out.test ? { p: out.p, change } : null,
    }).status
    return out
  }

  it('follows every indicator in every area, as the values endpoint and the statistics functions give it', async () => {
    const areaIds = [areaId('primaromrade', 'Hjällbo'), areaId('primaromrade', 'Hammarkullen'), areaId('stadsomrade', 'Nordost')].sort((a, b) => a - b)
    const followUp = [
      { indicatorId: 'demo_ran', baselinePeriod: '2021', target: 10, targetPeriod: '2026' },
      { indicatorId: 'demo_otrygg_kvall', baselinePeriod: '2021', target: 30, targetPeriod: '2025' },
      { indicatorId: 'demo_misshandel_utomhus', baselinePeriod: '2019', target: 40, targetPeriod: '2030' },
    ]
    const m = await create({ title: 'Trygghet i Nordost', areaIds, followUp })
    const res = await analyst.get(`/api/measures/${m.id}/evaluation`)
    expect(res.status).toBe(200)
    expect(res.body.measureId).toBe(m.id)
    expect(res.body.displacement).toBeNull()
    const rows = res.body.indicators
    expect(rows.map((r: any) => `${r.indicatorId}|${r.areaId}`).sort()).toEqual(followUp.flatMap((f) => areaIds.map((a) => `${f.indicatorId}|${a}`)).sort())
    const units = new Map<string, string>(((await analyst.get('/api/indicators')).body as any[]).map((i) => [i.id, i.unit]))
    for (const row of rows) {
      const f = followUp.find((x) => x.indicatorId === row.indicatorId)!
      const area = areas.find((a) => a.id === row.areaId)!
      const want = await expected(analyst, f, area, units.get(f.indicatorId)!)
      const label = `${row.indicatorId} in ${area.name}`
      expect(row, label).toMatchObject({ target: f.target, targetPeriod: f.targetPeriod, areaName: area.name, unit: units.get(f.indicatorId), baseline: want.baseline, latest: want.latest, test: want.test, status: want.status })
      if (want.p === null) expect(row.p, label).toBeNull()
      else expect(row.p, label).toBeCloseTo(want.p, 12)
      if (want.estimate === null) expect(row.estimate, label).toBeNull()
      else expect(row.estimate, label).toBeCloseTo(want.estimate, 10)
      expect(row.status === null || row.reason === null || row.test === null, label).toBe(true)
    }
    // Both kinds of test: counts by Poisson, survey shares by two proportions; every visible pair has a status.
    expect(new Set(rows.map((r: any) => r.test))).toEqual(new Set(['poisson', 'proportion']))
    expect(rows.every((r: any) => (r.status === null) === (r.baseline.value === null || r.latest?.value == null))).toBe(true)
    // The latest is of the baseline's kind (years here).
    for (const r of rows) if (r.latest) expect(parsePeriod(r.latest.period)!.kind).toBe('year')
  })

  it('gives a local group no value, test or status where the baseline is hidden for it, and the analyst all', async () => {
    // A primärområde whose 2022 count of robberies is too small to publish.
    const values = (await analyst.get('/api/indicators/demo_ran/values?layer=primaromrade&period=2022')).body
    const small = values.values.find((v: any) => v.hiddenOutside === 'primary' && v.value !== null)
    expect(small, 'a hidden 2022 count').toBeTruthy()
    const m = await create({ title: 'Liten utgångspunkt', areaIds: [small.areaId], followUp: [{ indicatorId: 'demo_ran', baselinePeriod: '2022', target: 0, targetPeriod: '2026' }] })

    const theirs = (await local.get(`/api/measures/${m.id}/evaluation`)).body.indicators[0]
    expect(theirs).toMatchObject({ baseline: { period: '2022', value: null, suppressed: true }, p: null, estimate: null, test: null, status: null, reason: expect.stringMatching(/dolt/) })
    expect(theirs).toMatchObject(await expected(local, m.followUp[0], { id: small.areaId, layer: 'primaromrade' }, 'count'))

    const ours = (await analyst.get(`/api/measures/${m.id}/evaluation`)).body.indicators[0]
    expect(ours.baseline).toEqual({ period: '2022', value: small.value, suppressed: false })
    expect(ours.test).toBe('poisson')
    expect(typeof ours.p).toBe('number')
    expect(['gron', 'gul', 'rod']).toContain(ours.status)
  })

  it('links the causes of its own problem area only, versioned and refused by field', async () => {
    const m = await create({ title: 'Belysning vid torget', causeIds: [ids.ownCause] })
    expect(m.causeIds).toEqual([ids.ownCause])
    const other = await send(analyst, 'POST', '/api/measures', { ...measureBody({ title: 'Fel orsak', problemAreaId: problemAreas[0]!.id, areaIds: [areaId('primaromrade', 'Hjällbo')] }), causeIds: [ids.ownCause, ids.otherCause] })
    expect(other.status).toBe(422)
    expect(other.body.error.details).toEqual([{ field: 'causeIds.1', message: expect.stringMatching(/problemområde/) }])
    expect((await send(analyst, 'PATCH', `/api/measures/${m.id}`, { version: 1, causeIds: [99999] })).body.error.details[0].field).toBe('causeIds.0')
    // Moving the measure to another problem area leaves its causes behind: they must go too.
    const moved = await send(analyst, 'PATCH', `/api/measures/${m.id}`, { version: 1, problemAreaId: problemAreas[1]!.id })
    expect(moved.status).toBe(422)
    expect(moved.body.error.details.map((d: any) => d.field)).toEqual(['causeIds.0'])
    const cleared = await send(analyst, 'PATCH', `/api/measures/${m.id}`, { version: 1, causeIds: [] })
    expect(cleared.status).toBe(200)
    expect(cleared.body).toMatchObject({ version: 2, causeIds: [] })
    const stale = await send(analyst, 'PATCH', `/api/measures/${m.id}`, { version: 1, title: 'Gammal läsning' })
    expect(stale.status).toBe(409)
    expect(stale.body.error.details.map((d: any) => d.field)).toEqual(['causeIds'])
    const audit = await db.kysely.selectFrom('audit_log').select(['action', 'entity_id']).where('entity', '=', 'measure').where('entity_id', '=', String(m.id)).execute()
    expect(audit.map((a) => a.action).sort()).toEqual(['create', 'update'])
  })

  it('refuses a typed baseline, and a comparison area or buffer that cannot be', async () => {
    const hjallbo = areaId('primaromrade', 'Hjällbo')
    const field = async (body: Record<string, unknown>) => {
      const res = await send(analyst, 'POST', '/api/measures', { ...measureBody({ title: 'Ogiltig', problemAreaId: problemAreas[0]!.id, areaIds: [hjallbo] }), ...body })
      expect(res.status, JSON.stringify(body)).toBe(422)
      return res.body.error.details.map((d: any) => d.field)
    }
    expect(await field({ followUp: [{ indicatorId: 'demo_ran', baselinePeriod: '2021', baselineValue: 12, target: 5, targetPeriod: '2025' }] })).toEqual(['followUp.0.baselineValue'])
    expect(await field({ comparisonAreaId: hjallbo })).toEqual(['comparisonAreaId'])
    expect(await field({ comparisonAreaId: 999999 })).toEqual(['comparisonAreaId'])
    expect(await field({ comparisonAreaId: areaId('primaromrade', 'Södra Kortedala'), displacementBufferM: 10 })).toEqual(['displacementBufferM'])
    expect(await field({ comparisonAreaId: areaId('primaromrade', 'Södra Kortedala'), displacementBufferM: 5001 })).toEqual(['displacementBufferM'])
    expect(await field({ comparisonAreaId: areaId('primaromrade', 'Södra Kortedala'), displacementBufferM: 250.5 })).toEqual(['displacementBufferM'])
    expect(await field({ displacementBufferM: 500 })).toEqual(['displacementBufferM'])
    const m = await create({ title: 'Med jämförelse' })
    const typed = await send(analyst, 'PATCH', `/api/measures/${m.id}`, { version: 1, followUp: [{ indicatorId: 'demo_ran', baselinePeriod: '2021', baselineValue: 12, target: 5, targetPeriod: '2025' }] })
    expect(typed.status).toBe(422)
    expect(typed.body.error.details[0]).toEqual({ field: 'followUp.0.baselineValue', message: expect.stringMatching(/beräknas ur data/) })
    const ok = await send(analyst, 'PATCH', `/api/measures/${m.id}`, { version: 1, comparisonAreaId: areaId('primaromrade', 'Södra Kortedala'), displacementBufferM: 500 })
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    expect(ok.body).toMatchObject({ version: 2, comparisonAreaId: areaId('primaromrade', 'Södra Kortedala'), displacementBufferM: 500 })
    const stale = await send(analyst, 'PATCH', `/api/measures/${m.id}`, { version: 1, title: 'Gammal' })
    expect(stale.body.error.details.map((d: any) => d.field).sort()).toEqual(['comparisonAreaId', 'displacementBufferM'])
  })

  it('measures displacement to the areas within the buffer, as PostGIS finds them, against the comparison area', async () => {
    const hjallbo = areaId('primaromrade', 'Hjällbo')
    const comparison = areaId('primaromrade', 'Lövgärdet')
    const m = await create({
      title: 'Kameror vid Hjällbo torg',
      areaIds: [hjallbo],
      comparisonAreaId: comparison,
      displacementBufferM: 400,
      followUp: [
        { indicatorId: 'demo_misshandel_utomhus', baselinePeriod: '2021', target: 20, targetPeriod: '2026' },
        { indicatorId: 'demo_otrygg_kvall', baselinePeriod: '2021', target: 30, targetPeriod: '2025' },
      ],
    })
    const { rows } = await sql<{ id: number }>`
      SELECT b.id FROM areas b JOIN areas t ON t.id = ${hjallbo}
      WHERE b.layer_id = 'primaromrade' AND b.valid_to IS NULL AND b.id NOT IN (${hjallbo}, ${comparison})
        AND ST_Distance(ST_Transform(t.geom, 3006), ST_Transform(b.geom, 3006)) <= 400
      ORDER BY b.id`.execute(db.kysely)
    expect(rows.length).toBeGreaterThan(0)
    const near = await sql<{ near: boolean }>`SELECT ST_Distance(t.geom, c.geom) <= 400 AS near FROM areas t, areas c WHERE t.id = ${hjallbo} AND c.id = ${comparison}`.execute(db.kysely)

    const d = (await analyst.get(`/api/measures/${m.id}/evaluation`)).body.displacement
    expect(d).toMatchObject({ comparisonArea: { id: comparison, layer: 'primaromrade' }, bufferM: 400, layer: 'primaromrade', treatedAreas: [{ id: hjallbo }], sharedControl: true })
    expect(d.bufferAreas.map((a: any) => a.id)).toEqual(rows.map((r) => r.id))
    expect(d.warnings).toEqual(near.rows[0]!.near ? [expect.stringMatching(/inom bufferten/)] : [])
    // Only counts: the survey share has no displacement.
    expect(d.indicators.map((i: any) => i.indicatorId)).toEqual(['demo_misshandel_utomhus'])
    const r = d.indicators[0]
    expect(r).toMatchObject({ before: '2021', after: '2025' })

    const sum = async (client: Client, period: string, ids: number[]) => {
      const v = (await client.get(`/api/indicators/demo_misshandel_utomhus/values?layer=primaromrade&period=${period}`)).body.values
      const cells = ids.map((id) => v.find((x: any) => x.areaId === id))
      return cells.some((c) => c.suppressed) ? null : cells.reduce((s, c) => s + c.value, 0)
    }
    const bufferIds = rows.map((x) => x.id)
    const counts = { a0: await sum(analyst, '2021', [hjallbo]), a1: await sum(analyst, '2025', [hjallbo]), b0: await sum(analyst, '2021', bufferIds), b1: await sum(analyst, '2025', bufferIds), c0: await sum(analyst, '2021', [comparison]), c1: await sum(analyst, '2025', [comparison]) }
    expect(r.counts).toEqual(counts)
    const want = displacement(counts as Record<keyof typeof counts, number>)
    expect(r).toMatchObject({ wdd: want.wdd, variance: want.variance })
    expect(r.wdq).toBeCloseTo(want.wdq!, 12)
    expect(r.p).toBeCloseTo(want.p!, 12)
    expect(r.interpretation).toMatch(/WDD/)

    // The local group: the same figures where none is hidden for it, else no result and why.
    const theirs = (await local.get(`/api/measures/${m.id}/evaluation`)).body.displacement.indicators[0]
    const visible = [await sum(local, '2021', [hjallbo]), await sum(local, '2025', [hjallbo]), await sum(local, '2021', bufferIds), await sum(local, '2025', bufferIds), await sum(local, '2021', [comparison]), await sum(local, '2025', [comparison])]
    if (visible.some((x) => x === null)) expect(theirs).toMatchObject({ counts: null, wdd: null, p: null, reason: expect.stringMatching(/dolt/) })
    else expect(theirs.counts).toEqual(counts)
  })

  it('freezes each measure’s evaluation into a snapshot as the public sees it', async () => {
    const values = (await analyst.get('/api/indicators/demo_ran/values?layer=primaromrade&period=2022')).body
    const small = values.values.find((v: any) => v.hiddenOutside === 'primary' && v.value !== null)
    const m = await create({ title: 'Fryst utvärdering', areaIds: [small.areaId], followUp: [{ indicatorId: 'demo_ran', baselinePeriod: '2022', target: 0, targetPeriod: '2026' }] })
    const created = await send(analyst, 'POST', '/api/snapshots', { title: 'Utvärdering', indicators: ['demo_ran'], layers: ['primaromrade'] })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const frozen = (await analyst.get(`/api/snapshots/${created.body.id}`)).body.priorities.measures.find((x: any) => x.id === m.id)
    expect(frozen.evaluation.indicators[0].baseline).toEqual({ period: '2022', value: null, suppressed: true })
    expect(frozen.evaluation).toEqual((await local.get(`/api/measures/${m.id}/evaluation`)).body)
  })
})
