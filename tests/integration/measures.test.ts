import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { linkDemoIndicators } from '../../geodata/seed'
import { testEngines } from '../helpers/engines'
import { send, startApp, type RunningApp } from '../helpers/http'

describe.each(testEngines())('priorities and measures on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let cycleId: number
  let problemAreas: any[]
  let areaId: (layer: string, name: string) => number
  beforeAll(async () => {
    db = await engine.open()
    await linkDemoIndicators(db.kysely)
    app = await startApp(db)
    const cycles = await send(app, 'GET', '/api/cycles')
    cycleId = cycles.body.find((c: any) => c.current).id
    problemAreas = (await send(app, 'GET', `/api/cycles/${cycleId}/problem-areas`)).body
    const areas = (await send(app, 'GET', '/api/areas')).body
    areaId = (layer, name) => areas.find((a: any) => a.layer === layer && a.name === name).id
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const pa = (title: string) => problemAreas.find((p) => p.title === title)
  const valid = () => ({
    title: 'Trygghetsvandringar i Hjällbo',
    description: 'Boende, bostadsbolag, staden och polisen går tillsammans.',
    problemAreaId: pa('Särskilt utsatta områden/platser').id,
    purpose: 'trygghetsskapande',
    prevention: 'situationell',
    level: 'operativ',
    owners: ['staden', 'polisen', 'Bostadsbolaget'],
    samverkansform: null,
    areaIds: [areaId('primaromrade', 'Hjällbo'), areaId('utsatt_omrade', 'Hjällbo')].sort((a, b) => a - b),
    status: 'pagaende',
    startDate: '2025-03-01',
    endDate: null,
    followUp: [{ indicatorId: 'demo_otrygg_kvall', baselinePeriod: '2023', target: 35, targetPeriod: '2025' }],
  })

  it('has the 2024–2026 cycle with its five steps, stored as data', async () => {
    const cycles = (await send(app, 'GET', '/api/cycles')).body
    const current = cycles.find((c: any) => c.current)
    expect(current).toMatchObject({ name: 'Lägesbildscykel 2024–2026', startYear: 2024, endYear: 2026 })
    expect(current.steps.map((s: any) => s.ordinal)).toEqual([1, 2, 3, 4, 5])
    expect(current.steps[0].name).toMatch(/lägesbild/i)
  })

  it('seeds the agreement’s problem areas, nested, with linked indicators', async () => {
    const titles = problemAreas.map((p) => p.title)
    expect(titles).toEqual(expect.arrayContaining(['Särskilt utsatta områden/platser', 'Särskilt utsatta grupper', 'Våld i nära relationer', 'Barn och unga i riskzon för kriminalitet', 'Välfärdsbrottslighet']))
    expect(pa('Våld i nära relationer').parentId).toBe(pa('Särskilt utsatta grupper').id)
    expect(pa('Barn och unga i riskzon för kriminalitet').indicatorIds).toEqual(['demo_behoriga_gymnasiet', 'demo_unga_uvas'])
    for (const p of problemAreas) {
      expect(p.analysis.length).toBeGreaterThan(10)
      expect(p.goals.length).toBeGreaterThan(5)
    }
    const forms = (await send(app, 'GET', '/api/samverkansformer')).body
    expect(forms.map((f: any) => f.id).sort()).toEqual(['GVI', 'SIG', 'SSPF', 'organiserad_brottslighet', 'otillaten_paverkan'])
  })

  it('records each step’s status per perspective', async () => {
    const cycle = (await send(app, 'GET', '/api/cycles')).body.find((c: any) => c.id === cycleId)
    const step = cycle.steps[2]
    expect((await send(app, 'PUT', `/api/cycles/${cycleId}/status`, { stepId: step.id, areaId: null, status: 'pagar' })).status).toBe(200)
    const centrum = areaId('stadsomrade', 'Centrum')
    expect((await send(app, 'PUT', `/api/cycles/${cycleId}/status`, { stepId: step.id, areaId: centrum, status: 'klar' })).status).toBe(200)
    const status = (await send(app, 'GET', `/api/cycles/${cycleId}/status`)).body
    expect(status).toEqual(expect.arrayContaining([expect.objectContaining({ stepId: step.id, areaId: null, status: 'pagar' }), expect.objectContaining({ stepId: step.id, areaId: centrum, status: 'klar' })]))
    const bad = await send(app, 'PUT', `/api/cycles/${cycleId}/status`, { stepId: step.id, areaId: areaId('deso', (await send(app, 'GET', '/api/areas')).body.find((a: any) => a.layer === 'deso').name), status: 'klar' })
    expect(bad.status).toBe(422)
    expect(bad.body.error.details[0].field).toBe('areaId')
  })

  it('creates, reads and filters a measure', async () => {
    const res = await send(app, 'POST', '/api/measures', valid())
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ ...valid(), id: expect.any(Number), version: 1 })
    expect((await send(app, 'GET', `/api/measures/${res.body.id}`)).body).toEqual(res.body)
    const byTags = await send(app, 'GET', '/api/measures?purpose=trygghetsskapande&prevention=situationell&level=operativ&owner=Polisen&status=pagaende')
    expect(byTags.body.map((m: any) => m.id)).toContain(res.body.id)
    expect((await send(app, 'GET', '/api/measures?purpose=brottsforebyggande')).body.map((m: any) => m.id)).not.toContain(res.body.id)
    // The stadsområde holding Hjällbo sees the measure too.
    expect((await send(app, 'GET', `/api/measures?areaId=${areaId('stadsomrade', 'Nordost')}`)).body.map((m: any) => m.id)).toContain(res.body.id)
    expect((await send(app, 'GET', `/api/measures?areaId=${areaId('stadsomrade', 'Centrum')}`)).body.map((m: any) => m.id)).not.toContain(res.body.id)
  })

  it('names every missing or contradictory field (422) and writes nothing', async () => {
    const before = (await send(app, 'GET', '/api/measures')).body.length
    const res = await send(app, 'POST', '/api/measures', {
      ...valid(),
      title: 'x',
      purpose: 'roligt',
      owners: [],
      areaIds: [],
      status: 'avslutad',
      startDate: '2025-05-01',
      endDate: null,
      followUp: [{ indicatorId: 'demo_ran', baselinePeriod: '2024', target: 2, targetPeriod: '2023' }],
    })
    expect(res.status).toBe(422)
    expect(res.body.error.details.map((d: any) => d.field).sort()).toEqual(['areaIds', 'endDate', 'followUp.0.targetPeriod', 'owners', 'purpose', 'title'])
    const refs = await send(app, 'POST', '/api/measures', { ...valid(), problemAreaId: 99999, areaIds: [99999], followUp: [{ ...valid().followUp[0], indicatorId: 'nope' }] })
    expect(refs.status).toBe(422)
    expect(refs.body.error.details.map((d: any) => d.field)).toEqual(['problemAreaId', 'areaIds.0', 'followUp.0.indicatorId'])
    expect((await send(app, 'POST', '/api/measures', { ...valid(), endDate: '2025-01-01' })).body.error.details).toEqual([expect.objectContaining({ field: 'endDate', message: expect.stringMatching(/före startdatum/) })])
    // The baseline is computed from the data: a typed one is refused by its field, on create and on change.
    const typed = await send(app, 'POST', '/api/measures', { ...valid(), followUp: [{ ...valid().followUp[0], baselineValue: 41.2 }] })
    expect(typed.status).toBe(422)
    expect(typed.body.error.details).toEqual([{ field: 'followUp.0.baselineValue', message: expect.stringMatching(/beräknas ur data/) }])
    expect((await send(app, 'GET', '/api/measures')).body.length).toBe(before)
  })

  it('refuses a stale save with 409 and says what changed, never overwriting', async () => {
    const created = (await send(app, 'POST', '/api/measures', { ...valid(), title: 'SSPF i Bergsjön', samverkansform: 'SSPF', prevention: 'social_indikerad', purpose: 'brottsforebyggande' })).body
    const first = await send(app, 'PATCH', `/api/measures/${created.id}`, { version: 1, status: 'avslutad', endDate: '2026-06-30' })
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ version: 2, status: 'avslutad', endDate: '2026-06-30' })
    const second = await send(app, 'PATCH', `/api/measures/${created.id}`, { version: 1, title: 'Min ändring' })
    expect(second.status).toBe(409)
    expect(second.body.error.details.map((d: any) => d.field).sort()).toEqual(['endDate', 'status'])
    expect(second.body.error.details.find((d: any) => d.field === 'status').message).toMatch(/nu "avslutad".*var "pagaende"/)
    expect((await send(app, 'GET', `/api/measures/${created.id}`)).body).toMatchObject({ title: 'SSPF i Bergsjön', version: 2 })
    // A contradictory patch is a 422 even with the right version.
    const contradictory = await send(app, 'PATCH', `/api/measures/${created.id}`, { version: 2, endDate: null })
    expect(contradictory.status).toBe(422)
    expect((await send(app, 'DELETE', `/api/measures/${created.id}?version=1`)).status).toBe(409)
    expect((await send(app, 'DELETE', `/api/measures/${created.id}?version=2`)).status).toBe(204)
    expect((await send(app, 'GET', `/api/measures/${created.id}`)).status).toBe(404)
  })

  it('refuses to delete a problem area that has measures, naming them', async () => {
    const target = pa('Särskilt utsatta områden/platser')
    const res = await send(app, 'DELETE', `/api/problem-areas/${target.id}`)
    expect(res.status).toBe(409)
    expect(res.body.error.message).toMatch(/kan inte tas bort/)
    expect(res.body.error.details.map((d: any) => d.message)).toContainEqual(expect.stringMatching(/Trygghetsvandringar i Hjällbo/))
    const empty = pa('Välfärdsbrottslighet')
    expect((await send(app, 'DELETE', `/api/problem-areas/${empty.id}`)).status).toBe(204)
  })

  it.each([
    ['GET', '/api/measures/abc', 400],
    ['GET', '/api/measures/99999', 404],
    ['GET', '/api/measures?purpose=nonsense', 400],
    ['POST', '/api/measures', 422],
    ['DELETE', '/api/measures/1', 400],
    ['GET', '/api/cycles/99999/problem-areas', 404],
  ])('%s %s → %i', async (method, path, status) => {
    expect((await send(app, method, path, method === 'POST' ? [] : undefined)).status).toBe(status)
  })
})
