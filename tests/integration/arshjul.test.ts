import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { send, startApp, type Client, type RunningApp } from '../helpers/http'

/** The årshjul (issue 17): one year of every group's meetings, the lägesbild cycle's dated steps, the forum and the rules not met. */
describe.each(testEngines())('årshjul on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let local: Client
  let anonymous: Client
  let cycle: { id: number; name: string; startYear: number; endYear: number; steps: Array<{ id: number; ordinal: number; name: string }> }
  let nordost: { id: number; code: string }

  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    local = await app.as('local')
    anonymous = await app.as('public')
    cycle = (await send(app, 'GET', '/api/cycles')).body.find((c: any) => c.current)
    nordost = (await send(app, 'GET', '/api/areas')).body.find((a: any) => a.layer === 'stadsomrade' && a.name === 'Nordost')
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const arshjul = async (year: number, as: Client = app) => {
    const res = await send(as, 'GET', `/api/arshjul?year=${year}`)
    expect(res.status).toBe(200)
    return res.body
  }
  const plan = async (body: Record<string, unknown>) => {
    const res = await send(app, 'POST', '/api/meetings', { fullDay: false, chairOrganisation: 'staden', notesOrganisation: 'polisen', ...body })
    expect(res.status).toBe(201)
    return res.body
  }

  it('shows the year’s meetings of every group, working groups too, and none of other years', async () => {
    const year = cycle.endYear
    const wg = await send(app, 'POST', '/api/groups', {
      name: 'Arbetsgrupp Årshjul',
      members: [{ function: 'Säkerhetssamordnare', organisation: 'staden' }],
      mandate: { purpose: 'Planera året', goals: 'Ett årshjul', deliverables: 'Kalender', timeLimit: `${year}-12-31`, givenBy: 'trygg_i_goteborg' },
    })
    expect(wg.status).toBe(201)
    const a = await plan({ groupId: 'trygg_i_goteborg', date: `${year}-03-12`, fullDay: true })
    const b = await plan({ groupId: wg.body.id, date: `${year}-05-20`, status: 'genomford' })
    const c = await plan({ groupId: `lokal:${nordost.code}`, date: `${year}-01-15` })
    await plan({ groupId: 'trygg_i_goteborg', date: `${year + 1}-03-12` })
    const body = await arshjul(year)
    expect(body.year).toBe(year)
    const mine = body.meetings.filter((m: any) => [a.id, b.id, c.id].includes(m.id))
    // In date order, each with its group, full-day mark and planned or held.
    expect(mine).toEqual([
      { id: c.id, groupId: `lokal:${nordost.code}`, groupName: 'Ledningsgrupp Trygg i Nordost', groupKind: 'lokal_ledningsgrupp', date: `${year}-01-15`, fullDay: false, status: 'planerad' },
      { id: a.id, groupId: 'trygg_i_goteborg', groupName: 'Ledningsgrupp Trygg i Göteborg', groupKind: 'ledningsgrupp', date: `${year}-03-12`, fullDay: true, status: 'planerad' },
      { id: b.id, groupId: wg.body.id, groupName: 'Arbetsgrupp Årshjul', groupKind: 'arbetsgrupp', date: `${year}-05-20`, fullDay: false, status: 'genomford' },
    ])
    expect(body.meetings.every((m: any) => m.date.startsWith(`${year}-`))).toBe(true)
    expect(body.groups.map((g: any) => g.id)).toContain(wg.body.id)
    expect(body.cycles.map((x: any) => x.id)).toContain(cycle.id)
    // Members read it too, the public does not.
    expect((await arshjul(year, local)).meetings.length).toBe(body.meetings.length)
    expect((await send(anonymous, 'GET', `/api/arshjul?year=${year}`)).status).toBe(401)
  })

  it('places the cycle’s steps dated in the year, per perspective, and leaves undated ones out', async () => {
    const year = cycle.endYear
    const [first, second, third] = cycle.steps
    const put = (body: Record<string, unknown>) => send(app, 'PUT', `/api/cycles/${cycle.id}/status`, body)
    expect((await put({ stepId: first!.id, areaId: null, status: 'klar', date: `${year}-02-01` })).status).toBe(200)
    expect((await put({ stepId: second!.id, areaId: nordost.id, status: 'pagar', date: `${year}-06-10` })).status).toBe(200)
    expect((await put({ stepId: third!.id, areaId: null, status: 'pagar', date: null })).status).toBe(200)
    expect((await put({ stepId: third!.id, areaId: nordost.id, status: 'pagar', date: `${year + 1}-01-10` })).status).toBe(200)
    const steps = (await arshjul(year)).steps.filter((s: any) => s.cycleId === cycle.id)
    expect(steps).toEqual([
      { cycleId: cycle.id, cycleName: cycle.name, stepId: first!.id, ordinal: first!.ordinal, stepName: first!.name, areaId: null, perspective: 'Staden', status: 'klar', date: `${year}-02-01` },
      { cycleId: cycle.id, cycleName: cycle.name, stepId: second!.id, ordinal: second!.ordinal, stepName: second!.name, areaId: nordost.id, perspective: 'Nordost', status: 'pagar', date: `${year}-06-10` },
    ])
    expect((await arshjul(year + 1)).steps.map((s: any) => [s.stepId, s.perspective])).toContainEqual([third!.id, 'Nordost'])
  })

  it('shows the forum in the lägesbild year, and the rules not met as what is missing', async () => {
    const year = cycle.endYear
    const before = await arshjul(year)
    expect(before.forum).toEqual({ lagesbildsar: true, meetings: [] })
    expect(before.missing.find((r: any) => r.groupId === 'strategiskt_forum' && r.rule === 'forum_lagesbildsar')).toMatchObject({ ok: false, missing: 'ett forum lägesbildsåret' })
    // One meeting of four planned for the city-wide group: three are missing.
    expect(before.missing.find((r: any) => r.groupId === 'trygg_i_goteborg' && r.rule === 'minst_fyra_moten')).toMatchObject({ missing: 3 })
    expect(before.missing.every((r: any) => r.ok === false)).toBe(true)
    const forum = await plan({ groupId: 'strategiskt_forum', date: `${year}-10-05`, fullDay: true })
    const after = await arshjul(year)
    expect(after.forum.lagesbildsar).toBe(true)
    expect(after.forum.meetings.map((m: any) => [m.id, m.groupName, m.date])).toEqual([[forum.id, 'Strategiskt forum', `${year}-10-05`]])
    expect(after.missing.some((r: any) => r.rule === 'forum_lagesbildsar')).toBe(false)
    // The year between two lägesbild years holds no forum.
    expect((await arshjul(year + 1)).forum.lagesbildsar).toBe(false)
  })

  it('asks for a year', async () => {
    for (const q of ['', '?year=abc', '?year=1999']) {
      const res = await send(app, 'GET', `/api/arshjul${q}`)
      expect(res.status).toBe(400)
      expect(res.body.error.details.map((d: any) => d.field)).toEqual(['year'])
    }
  })
})
