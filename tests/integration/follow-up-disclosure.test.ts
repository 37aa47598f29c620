/**
 * Issue 20/21: measures' baselines and targets follow the disclosure rule of every other figure. The attack
 * is the one an outsider can run: read every route that carries measures or their follow-up, as a local
 * group and as the public, and look for a count below the threshold — a baseline itself, or a target typed
 * as a share of a hidden baseline (the demo types round(baseline × share)), or a direction relative to one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { send, startApp, type Client, type RunningApp } from '../helpers/http'

interface Truth {
  indicatorId: string
  baselinePeriod: string
  targetPeriod: string
  /** Why an outsider must not see the target, or null when it may. */
  hidden: 'baseline' | 'target' | null
}

const keyOf = (measureId: number | null, indicatorId: string, baselinePeriod: string, targetPeriod: string) => `${measureId}|${indicatorId}|${baselinePeriod}|${targetPeriod}`

/** Every place in a JSON answer that shows a follow-up's target, baseline or direction, with the measure it is of. */
function followUpsIn(body: unknown, path = '$', measureId: number | null = null): Array<{ at: string; measureId: number | null; o: Record<string, any> }> {
  const out: Array<{ at: string; measureId: number | null; o: Record<string, any> }> = []
  if (Array.isArray(body)) body.forEach((x, i) => out.push(...followUpsIn(x, `${path}[${i}]`, measureId)))
  else if (body && typeof body === 'object') {
    const o = body as Record<string, any>
    const m = typeof o.measureId === 'number' ? o.measureId : Array.isArray(o.followUp) && typeof o.id === 'number' ? o.id : measureId
    if (typeof o.indicatorId === 'string' && 'target' in o && (typeof o.baselinePeriod === 'string' || typeof o.baseline?.period === 'string')) out.push({ at: path, measureId: m, o })
    for (const [k, v] of Object.entries(o)) out.push(...followUpsIn(v, `${path}.${k}`, m))
  }
  return out
}

describe.each(testEngines())('follow-up disclosure on $name', (engine) => {
  let db: Db
  let analyst: RunningApp
  let local: Client
  let anonymous: Client
  const truth = new Map<string, Truth & { measureId: number }>()
  const internalBaseline = new Map<string, number | null>()
  const threshold = new Map<string, { unit: string; min: number }>()
  let measureIds: number[] = []
  let published = 0

  beforeAll(async () => {
    db = await engine.open()
    analyst = await startApp(db)
    local = await analyst.as('local')
    anonymous = await analyst.as('public')
    for (const i of (await analyst.get('/api/indicators')).body) threshold.set(i.id, { unit: i.unit, min: i.minPublishCount })
    const areas: Array<{ id: number; layer: string }> = (await analyst.get('/api/areas')).body
    await plantHiddenBaseline()
    const measures = (await analyst.get('/api/measures')).body as Array<{ id: number; areaIds: number[]; followUp: Array<{ indicatorId: string; baselinePeriod: string; target: number; targetPeriod: string }> }>
    measureIds = measures.map((m) => m.id)
    // The truth, read as an analyst and as an outsider from the values route.
    for (const m of measures) {
      for (const f of m.followUp) {
        const t = threshold.get(f.indicatorId)!
        let hidden: Truth['hidden'] = null
        for (const areaId of m.areaIds) {
          const layer = areas.find((a) => a.id === areaId)!.layer
          const q = `/api/indicators/${f.indicatorId}/values?layer=${layer}&period=${f.baselinePeriod}`
          const inside = (await analyst.get(q)).body.values?.find((v: any) => v.areaId === areaId)
          const outside = (await local.get(q)).body.values?.find((v: any) => v.areaId === areaId)
          internalBaseline.set(`${f.indicatorId}|${f.baselinePeriod}|${areaId}`, inside?.value ?? null)
          if (outside?.suppressed) hidden = 'baseline'
        }
        if (hidden === null && t.unit === 'count' && f.target < t.min) hidden = 'target'
        truth.set(keyOf(m.id, f.indicatorId, f.baselinePeriod, f.targetPeriod), { ...f, measureId: m.id, hidden })
      }
    }
    // A lägesbild frozen with the planted measure, published: what the public reads.
    const snap = await send(analyst, 'POST', '/api/snapshots', { title: 'Med dold utgångsnivå', description: '', settings: {}, indicators: ['demo_ran'], layers: ['stadsomrade'] })
    expect(snap.status, JSON.stringify(snap.body)).toBe(201)
    published = snap.body.id
    expect((await send(analyst, 'POST', `/api/snapshots/${published}/publish`)).status).toBe(200)
  })

  /**
   * As the demo types its targets (round(baseline × share)), on a primärområde of the local group's
   * stadsområde whose 2022 robberies are hidden from outsiders: the measure an attacker looks for.
   */
  async function plantHiddenBaseline() {
    const q = '/api/indicators/demo_ran/values?layer=primaromrade&period=2022'
    const inside = new Map<number, number>(((await analyst.get(q)).body.values as any[]).map((v) => [v.areaId, v.value]))
    const candidates = ((await local.get(q)).body.values as any[]).filter((v) => v.suppressed && (inside.get(v.areaId) ?? 0) >= 1)
    const problemAreaId = (await analyst.get('/api/measures')).body[0].problemAreaId
    for (const c of candidates) {
      const res = await send(local, 'POST', '/api/measures', {
        title: 'Trygghetsvandringar kring torget',
        problemAreaId,
        purpose: 'trygghetsskapande',
        prevention: 'situationell',
        level: 'operativ',
        owners: ['staden', 'polisen'],
        areaIds: [c.areaId],
        status: 'pagaende',
        startDate: '2023-03-01',
        followUp: [{ indicatorId: 'demo_ran', baselinePeriod: '2022', target: Math.round(inside.get(c.areaId)! * 0.7), targetPeriod: '2025' }],
      })
      if (res.status === 201) return
      expect(res.status, JSON.stringify(res.body)).toBe(403)
    }
    throw new Error('no hidden 2022 robbery count in the primärområden of the local group')
  }
  afterAll(async () => {
    await analyst?.close()
    await db?.close()
  })

  /** Leaks in one answer: a shown target or direction of a hidden follow-up, a baseline count below the threshold. */
  function leaks(path: string, body: unknown): string[] {
    const out: string[] = []
    for (const { at, measureId, o } of followUpsIn(body)) {
      const baselinePeriod = o.baselinePeriod ?? o.baseline.period
      const t = truth.get(keyOf(measureId, o.indicatorId, baselinePeriod, o.targetPeriod))
      if (!t) {
        out.push(`${path} ${at}: a follow-up of no known measure`)
        continue
      }
      if (t.hidden && o.target !== null && o.target !== undefined) out.push(`${path} ${at}: target ${o.target} shown though the ${t.hidden} is hidden`)
      if (t.hidden && (o.direction === 'up' || o.direction === 'down' || o.direction === 'hold')) out.push(`${path} ${at}: direction ${o.direction} shown though the ${t.hidden} is hidden`)
      if (t.hidden && o.status) out.push(`${path} ${at}: status ${o.status} shown though the ${t.hidden} is hidden`)
      const b = o.baselineValue ?? o.baseline?.value
      const lim = threshold.get(o.indicatorId)!
      if (typeof b === 'number' && lim.unit === 'count' && b < lim.min) out.push(`${path} ${at}: baseline ${b} below ${lim.min}`)
    }
    return out
  }

  const routesFor = (client: Client) => [
    ...(client.role === 'public'
      ? []
      : ['/api/measures', ...measureIds.flatMap((id) => [`/api/measures/${id}`, `/api/measures/${id}/evaluation`]), '/api/plans', '/api/meetings', '/api/samverkansformer', '/api/decisions']),
    `/api/snapshots/${published}`,
    `/api/snapshots/${published}/deck`,
    `/api/snapshots/${published}/meeting`,
    '/api/stadsomraden/nordost',
  ]

  it('has follow-ups whose baseline the public may not see (else the attack below proves nothing)', () => {
    expect([...truth.values()].filter((t) => t.hidden === 'baseline').length).toBeGreaterThan(0)
  })

  it.each(['local', 'public'] as const)('shows %s no baseline, target or direction that gives away a count below the threshold', async (role) => {
    const client = role === 'local' ? local : anonymous
    const found: string[] = []
    let seen = 0
    for (const path of routesFor(client)) {
      const res = await client.get(path)
      if (res.status !== 200) continue
      seen += followUpsIn(res.body).length
      found.push(...leaks(path, res.body))
    }
    expect(seen, 'the routes carry follow-ups at all').toBeGreaterThan(0)
    expect(found).toEqual([])
  })

  it('says in Swedish why a target is withheld, and keeps everything for analysts', async () => {
    const hidden = [...truth.values()].find((t) => t.hidden === 'baseline')!
    const m = (await local.get(`/api/measures/${hidden.measureId}`)).body
    const f = m.followUp.find((x: any) => x.indicatorId === hidden.indicatorId && x.baselinePeriod === hidden.baselinePeriod)
    expect(f.target).toBeNull()
    expect(f.targetWithheld).toMatch(/^målet visas inte: utgångsvärdet är dolt/)
    const row = (await local.get(`/api/measures/${m.id}/evaluation`)).body.indicators.find((r: any) => r.indicatorId === hidden.indicatorId)
    expect(row).toMatchObject({ target: null, direction: null, status: null })
    expect(row.targetWithheld).toMatch(/utgångsvärdet är dolt/)
    // Analysts see the typed target, the computed baseline and the direction.
    const own = (await analyst.get(`/api/measures/${m.id}`)).body.followUp.find((x: any) => x.indicatorId === hidden.indicatorId)
    expect(typeof own.target).toBe('number')
    expect(own.targetWithheld).toBeUndefined()
    const inside = (await analyst.get(`/api/measures/${m.id}/evaluation`)).body.indicators.find((r: any) => r.indicatorId === hidden.indicatorId)
    expect(inside.baseline.value).toBe(internalBaseline.get(`${hidden.indicatorId}|${hidden.baselinePeriod}|${inside.areaId}`))
    expect(inside.target).toBe(own.target)
    expect(['up', 'down', 'hold']).toContain(inside.direction)
  })

  it('withholds a target that is itself a count below the threshold, though the baseline is shown', async () => {
    // Nordost's robberies are many; a target of 2 is a count below the threshold on its own.
    const areas: Array<{ id: number; layer: string; name: string }> = (await analyst.get('/api/areas')).body
    const nordost = areas.find((a) => a.layer === 'stadsomrade' && a.name === 'Nordost')!
    const problemAreaId = (await analyst.get('/api/measures')).body[0].problemAreaId
    const body = {
      title: 'Litet mål i Nordost',
      description: '',
      problemAreaId,
      purpose: 'brottsforebyggande',
      prevention: 'situationell',
      level: 'operativ',
      owners: ['staden'],
      areaIds: [nordost.id],
      status: 'pagaende',
      startDate: '2023-01-01',
      followUp: [{ indicatorId: 'demo_ran', baselinePeriod: '2022', target: 2, targetPeriod: '2025' }],
    }
    const created = await send(analyst, 'POST', '/api/measures', body)
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const { id } = created.body
    const seen = (await local.get(`/api/measures/${id}`)).body.followUp[0]
    expect(seen.target).toBeNull()
    expect(seen.targetWithheld).toMatch(/^målet visas inte: målvärdet är ett antal under publiceringsgränsen/)
    const row = (await local.get(`/api/measures/${id}/evaluation`)).body.indicators[0]
    expect(row.baseline.value).not.toBeNull()
    expect(row).toMatchObject({ target: null, direction: null, status: null })
    expect((await analyst.get(`/api/measures/${id}`)).body.followUp[0].target).toBe(2)
  })

  it('lets a local group save its measure without knowing a withheld target, and keeps the target', async () => {
    const hidden = [...truth.values()].find((t) => t.hidden === 'baseline')!
    const m = (await local.get(`/api/measures/${hidden.measureId}`)).body
    const before = (await analyst.get(`/api/measures/${m.id}`)).body
    // The form sends back what it read: the withheld target as null.
    const res = await send(local, 'PATCH', `/api/measures/${m.id}`, { version: m.version, title: `${m.title} (ändrad)`, followUp: m.followUp.map(({ targetWithheld: _w, ...f }: any) => f) })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.followUp.find((f: any) => f.indicatorId === hidden.indicatorId).target).toBeNull()
    const after = (await analyst.get(`/api/measures/${m.id}`)).body
    expect(after.followUp).toEqual(before.followUp)
    // A stale save's list of changes names no withheld target either.
    const stale = await send(local, 'PATCH', `/api/measures/${m.id}`, { version: 999, title: 'Okänd version' })
    expect(stale.status).toBe(409)
    expect(leaks('409', stale.body.error.details)).toEqual([])
    const target = before.followUp.find((f: any) => f.indicatorId === hidden.indicatorId).target
    expect(JSON.stringify(stale.body)).not.toMatch(new RegExp(`"target":${target}[,}]`))
  })

  it('withholds, when read, the targets of a lägesbild frozen before the rule', async () => {
    // As a lägesbild was frozen before: the measure as typed, its evaluation with the public's baselines.
    const hidden = [...truth.values()].find((t) => t.hidden === 'baseline')!
    const row = (await analyst.get(`/api/measures/${hidden.measureId}/evaluation`)).body.indicators[0]
    const typed = (await analyst.get(`/api/measures/${hidden.measureId}`)).body
    const legacy = {
      cycle: null,
      problemAreas: [],
      measures: [
        { ...typed, evaluation: { measureId: typed.id, displacement: null, indicators: [{ ...row, baseline: { period: row.baseline.period, value: null, suppressed: true }, direction: 'down', status: 'gul', reason: null }] } },
        { ...typed, id: 999_001, followUp: [{ ...typed.followUp[0], target: 3 }], evaluation: { measureId: 999_001, displacement: null, indicators: [{ ...row, target: 3, direction: 'down', status: 'gron', reason: null }] } },
      ],
    }
    const { id } = await db.kysely
      .insertInto('snapshots')
      .values({ title: 'Från före regeln', settings: JSON.stringify({}), priorities: JSON.stringify(legacy), data_version: 1, created_by: 'test', published_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const client of [anonymous, local, analyst]) {
      const measures = (await client.get(`/api/snapshots/${id}`)).body.priorities.measures
      expect(measures[0].followUp[0]).toMatchObject({ target: null, targetWithheld: expect.stringMatching(/utgångsvärdet är dolt/) })
      expect(measures[0].evaluation.indicators[0]).toMatchObject({ target: null, direction: null, status: null })
      // 3 robberies is below the default threshold (the lägesbild holds no indicators of its own).
      expect(measures[1].followUp[0]).toMatchObject({ target: null, targetWithheld: expect.stringMatching(/under publiceringsgränsen/) })
      expect(measures[1].evaluation.indicators[0]).toMatchObject({ target: null, direction: null, status: null })
    }
  })
})
