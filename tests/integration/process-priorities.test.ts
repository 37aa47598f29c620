/**
 * The agreement's process as data (issue 16): cycles and their steps, each step's status per perspective,
 * problem areas per area with measurable targets and a history of decisions, and the orsaksanalys with
 * evidence whose figures are derived when read. Every write by the right role, every refusal by role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { linkDemoIndicators } from '../../geodata/seed'
import { testEngines } from '../helpers/engines'
import { send, startApp, type Client, type RunningApp } from '../helpers/http'

describe.each(testEngines())('the process: cycles, problem areas and orsaksanalys on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let local: Client
  let admin: Client
  let pub: Client
  let cycleId: number
  let areas: Array<{ id: number; layer: string; name: string; code: string }>
  const areaId = (layer: string, name: string) => areas.find((a) => a.layer === layer && a.name === name)!.id

  beforeAll(async () => {
    db = await engine.open()
    await linkDemoIndicators(db.kysely)
    app = await startApp(db)
    local = await app.as('local')
    admin = await app.as('admin')
    pub = await app.as('public')
    cycleId = (await app.get('/api/cycles')).body.find((c: any) => c.current).id
    areas = (await app.get('/api/areas')).body
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  /** The audit log's entries for one kind of object, newest first. */
  const audit = async (entity: string) => (await send(admin, 'GET', `/api/audit?entity=${entity}&limit=1000`)).body as any[]
  const fields = (res: { body: any }) => res.body.error.details.map((d: any) => d.field)
  const problemAreas = async (id = cycleId) => (await app.get(`/api/cycles/${id}/problem-areas`)).body as any[]
  const newProblemArea = (over: Record<string, unknown> = {}) => ({
    cycleId,
    title: 'Öppen narkotikahandel',
    analysis: 'Handeln sker vid knutpunkter i kollektivtrafiken.',
    goals: 'Minskad öppen handel och ökad trygghet vid hållplatserna.',
    indicatorIds: ['demo_narkotikabrott'],
    targets: [{ indicatorId: 'demo_ran', target: 10, targetPeriod: '2027' }],
    ...over,
  })
  const decision = async (text: string) =>
    (await db.kysely.insertInto('decisions').values({ date: '2026-02-12', group_id: 'trygg_i_goteborg', text }).returning('id').executeTakeFirstOrThrow()).id

  describe('cycles and steps', () => {
    it('starts the next cycle from the current one: its steps, and the problem areas in force with their targets and causes', async () => {
      const [first, , , , last] = await problemAreas()
      // Something to copy: a target and a cause on one problem area, and one problem area retired.
      const withTarget = await send(app, 'PATCH', `/api/problem-areas/${first.id}`, { version: first.version, targets: [{ indicatorId: 'demo_ran', target: 20, targetPeriod: '2026' }] })
      expect(withTarget.status).toBe(200)
      const cause = await send(app, 'POST', `/api/problem-areas/${first.id}/causes`, { kind: 'plats', title: 'Mörka gångstråk', sources: 'Trygghetsvandring 2025', evidence: [{ indicatorId: 'demo_ran', areaId: null, period: '2025' }] })
      expect(cause.status).toBe(201)
      expect((await send(app, 'PATCH', `/api/problem-areas/${last.id}`, { version: last.version, retired: true })).status).toBe(200)

      const res = await send(app, 'POST', '/api/cycles', { name: 'Lägesbildscykel 2026–2028', startYear: 2026, endYear: 2028, copyFrom: cycleId, copyProblemAreas: true })
      expect(res.status).toBe(201)
      expect(res.body).toMatchObject({ name: 'Lägesbildscykel 2026–2028', startYear: 2026, endYear: 2028, current: false })
      const old = (await app.get('/api/cycles')).body.find((c: any) => c.id === cycleId)
      expect(res.body.steps.map((s: any) => s.name)).toEqual(old.steps.map((s: any) => s.name))
      expect(res.body.steps.map((s: any) => s.ordinal)).toEqual([1, 2, 3, 4, 5])
      expect(res.body.steps.map((s: any) => s.id)).not.toContain(old.steps[0].id)

      const before = (await problemAreas()).filter((p) => p.retiredAt === null)
      const copied = await problemAreas(res.body.id)
      expect(copied.map((p) => p.title)).toEqual(before.map((p) => p.title))
      expect(copied.map((p) => p.title)).not.toContain(last.title)
      for (const p of copied) {
        const was = before.find((b) => b.title === p.title)
        expect(p).toMatchObject({ cycleId: res.body.id, version: 1, retiredAt: null, analysis: was.analysis, goals: was.goals, indicatorIds: was.indicatorIds, targets: was.targets, measureCount: 0 })
        expect(before.map((b) => b.id)).not.toContain(p.id)
        // Sub-areas under the copy of their parent.
        if (was.parentId !== null) expect(copied.find((c) => c.id === p.parentId)!.title).toBe(before.find((b) => b.id === was.parentId).title)
      }
      const copiedFirst = copied.find((p) => p.title === first.title)
      expect(copiedFirst.targets).toEqual([{ indicatorId: 'demo_ran', target: 20, targetPeriod: '2026' }])
      // Every cause (the demo's orsaksanalys and the one added here) copied as it reads, under new ids.
      const content = (c: any) => ({ kind: c.kind, title: c.title, description: c.description, sources: c.sources, evidence: c.evidence.map((e: any) => ({ indicatorId: e.indicatorId, areaId: e.areaId, period: e.period })) })
      const originals = (await app.get(`/api/problem-areas/${first.id}/causes`)).body
      const causes = (await app.get(`/api/problem-areas/${copiedFirst.id}/causes`)).body
      expect(causes.map(content)).toEqual(originals.map(content))
      expect(causes).toContainEqual(expect.objectContaining({ kind: 'plats', title: 'Mörka gångstråk', sources: 'Trygghetsvandring 2025', version: 1, measureIds: [], evidence: [expect.objectContaining({ indicatorId: 'demo_ran', areaId: null, period: '2025' })] }))
      expect(causes.map((c: any) => c.id)).not.toContain(cause.body.id)
      const history = (await app.get(`/api/problem-areas/${copiedFirst.id}/history`)).body
      expect(history).toEqual([expect.objectContaining({ version: 1, note: 'Kopierat från Lägesbildscykel 2024–2026', savedBy: 'analytiker@demo.lagesbild.se', current: true })])

      const log = await audit('cycle')
      expect(log[0]).toMatchObject({ action: 'create', entityId: String(res.body.id), user: 'analytiker@demo.lagesbild.se' })
      expect(log[0].after.copiedProblemAreas).toHaveLength(copied.length)
    })

    it('starts a cycle with the five default steps, makes one cycle current at a time, and refuses a second cycle for the same years', async () => {
      const fresh = await send(app, 'POST', '/api/cycles', { name: 'Lägesbildscykel 2028–2030', startYear: 2028, endYear: 2030, makeCurrent: true })
      expect(fresh.status).toBe(201)
      expect(fresh.body.steps.map((s: any) => s.name)).toEqual(['Kartläggning och lägesbild', 'Prioritering och orsaksanalys', 'Åtgärdsplan', 'Genomförande', 'Uppföljning'])
      expect(await problemAreas(fresh.body.id)).toEqual([])
      let cycles = (await app.get('/api/cycles')).body
      expect(cycles.filter((c: any) => c.current).map((c: any) => c.id)).toEqual([fresh.body.id])

      const back = await send(app, 'PATCH', `/api/cycles/${cycleId}`, { current: true, name: 'Lägesbildscykel 2024–2026' })
      expect(back.status).toBe(200)
      cycles = (await app.get('/api/cycles')).body
      expect(cycles.filter((c: any) => c.current).map((c: any) => c.id)).toEqual([cycleId])
      expect((await audit('cycle'))[0]).toMatchObject({ action: 'update', entityId: String(cycleId), after: { current: true } })

      const twice = await send(app, 'POST', '/api/cycles', { name: 'Ännu en', startYear: 2028, endYear: 2029 })
      expect(twice.status).toBe(409)
      expect(fields(twice)).toEqual(['startYear'])
      expect(fields(await send(app, 'POST', '/api/cycles', { name: 'Baklänges', startYear: 2040, endYear: 2039 }))).toEqual(['endYear'])
      expect(fields(await send(app, 'POST', '/api/cycles', { name: 'Förr', startYear: 1999, endYear: 2101 })).sort()).toEqual(['endYear', 'startYear'])
      expect(fields(await send(app, 'POST', '/api/cycles', { name: 'Från ingenstans', startYear: 2040, endYear: 2041, copyFrom: 99999 }))).toEqual(['copyFrom'])
      expect(fields(await send(app, 'POST', '/api/cycles', { name: 'Utan källa', startYear: 2040, endYear: 2041, copyProblemAreas: true }))).toEqual(['copyProblemAreas'])
      expect((await send(local, 'POST', '/api/cycles', { name: 'Lokal', startYear: 2042, endYear: 2043 })).status).toBe(403)
      expect((await send(local, 'PATCH', `/api/cycles/${fresh.body.id}`, { current: true })).status).toBe(403)
      expect((await send(pub, 'POST', '/api/cycles', { name: 'Allmän', startYear: 2042, endYear: 2043 })).status).toBe(401)
      expect((await app.get('/api/cycles')).body.map((c: any) => c.startYear)).not.toContain(2042)
    })

    it('renames, moves, adds and removes steps, keeping the ordinals 1..n', async () => {
      const cycle = (await send(app, 'POST', '/api/cycles', { name: 'Lägesbildscykel 2030–2032', startYear: 2030, endYear: 2032 })).body
      const [k, p, a, g, u] = cycle.steps.map((s: any) => s.id)
      const order = (c: any) => c.steps.map((s: any) => [s.ordinal, s.id])

      const moved = await send(app, 'PATCH', `/api/cycles/${cycle.id}/steps/${u}`, { ordinal: 1 })
      expect(moved.status).toBe(200)
      expect(order(moved.body)).toEqual([[1, u], [2, k], [3, p], [4, a], [5, g]])
      const down = await send(app, 'PATCH', `/api/cycles/${cycle.id}/steps/${u}`, { ordinal: 99, name: 'Uppföljning och lärande' })
      expect(order(down.body)).toEqual([[1, k], [2, p], [3, a], [4, g], [5, u]])
      expect(down.body.steps[4].name).toBe('Uppföljning och lärande')

      const added = await send(app, 'POST', `/api/cycles/${cycle.id}/steps`, { name: 'Förankring', ordinal: 2 })
      expect(added.status).toBe(201)
      expect(added.body.steps.map((s: any) => s.ordinal)).toEqual([1, 2, 3, 4, 5, 6])
      expect(added.body.steps[1].name).toBe('Förankring')
      const extra = added.body.steps[1].id
      const last = await send(app, 'POST', `/api/cycles/${cycle.id}/steps`, { name: 'Sist' })
      expect(last.body.steps.at(-1)).toMatchObject({ ordinal: 7, name: 'Sist' })

      // A step someone has started is part of the record.
      expect((await send(app, 'PUT', `/api/cycles/${cycle.id}/status`, { stepId: a, areaId: null, status: 'pagar' })).status).toBe(200)
      const refused = await send(app, 'DELETE', `/api/cycles/${cycle.id}/steps/${a}`)
      expect(refused.status).toBe(409)
      expect(refused.body.error.details[0].message).toMatch(/Staden: pågår/)
      const removed = await send(app, 'DELETE', `/api/cycles/${cycle.id}/steps/${extra}`)
      expect(removed.status).toBe(200)
      expect(order(removed.body)).toEqual([[1, k], [2, p], [3, a], [4, g], [5, u], [6, last.body.steps.at(-1).id]])

      expect(fields(await send(app, 'PATCH', `/api/cycles/${cycle.id}/steps/${k}`, { name: '' }))).toEqual(['name'])
      expect(fields(await send(app, 'PATCH', `/api/cycles/${cycle.id}/steps/${k}`, { ordinal: 0 }))).toEqual(['ordinal'])
      expect((await send(app, 'PATCH', `/api/cycles/${cycleId}/steps/${k}`, { ordinal: 2 })).status).toBe(404)
      for (const [method, path, body] of [
        ['PATCH', `/api/cycles/${cycle.id}/steps/${k}`, { name: 'Lokalt namn' }],
        ['POST', `/api/cycles/${cycle.id}/steps`, { name: 'Lokalt steg' }],
        ['DELETE', `/api/cycles/${cycle.id}/steps/${g}`, undefined],
      ] as const) {
        expect((await send(local, method, path, body)).status).toBe(403)
        expect((await send(pub, method, path, body)).status).toBe(401)
      }
      const log = (await audit('cycle_step')).map((e) => e.action)
      expect(log.slice(0, 5)).toEqual(['delete', 'create', 'create', 'update', 'update'])
    })
  })

  describe('step status per perspective', () => {
    it('keeps a date, a responsible function and a note with each status, and keeps them when only the status changes', async () => {
      const step = (await app.get('/api/cycles')).body.find((c: any) => c.id === cycleId).steps[1]
      const nordost = areaId('stadsomrade', 'Nordost')
      const res = await send(app, 'PUT', `/api/cycles/${cycleId}/status`, { stepId: step.id, areaId: nordost, status: 'pagar', date: '2026-03-01', responsible: 'Planeringsledare', note: 'Workshop med polisen' })
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ stepId: step.id, areaId: nordost, status: 'pagar', date: '2026-03-01', responsible: 'Planeringsledare', note: 'Workshop med polisen' })
      expect((await send(app, 'PUT', `/api/cycles/${cycleId}/status`, { stepId: step.id, areaId: nordost, status: 'klar' })).status).toBe(200)
      const stored = (await app.get(`/api/cycles/${cycleId}/status`)).body.find((s: any) => s.stepId === step.id && s.areaId === nordost)
      expect(stored).toMatchObject({ status: 'klar', date: '2026-03-01', responsible: 'Planeringsledare', note: 'Workshop med polisen' })
      const cleared = await send(app, 'PUT', `/api/cycles/${cycleId}/status`, { stepId: step.id, areaId: nordost, status: 'klar', date: null, note: '' })
      expect(cleared.body).toMatchObject({ date: null, responsible: 'Planeringsledare', note: '' })

      const log = (await audit('step_status')).filter((e) => e.entityId === `${step.id}/${nordost}`)
      expect(log[1]).toMatchObject({ action: 'update', before: { status: 'pagar', date: '2026-03-01' }, after: { status: 'klar', date: '2026-03-01', responsible: 'Planeringsledare' } })

      const bad = await send(app, 'PUT', `/api/cycles/${cycleId}/status`, { stepId: step.id, areaId: null, status: 'halvklar', date: 'igår', responsible: 'x'.repeat(201), note: 'y'.repeat(2001) })
      expect(bad.status).toBe(422)
      expect(fields(bad).sort()).toEqual(['date', 'note', 'responsible', 'status'])
    })

    it('lets a local group set its own stadsområde’s steps and nothing else', async () => {
      const step = (await app.get('/api/cycles')).body.find((c: any) => c.id === cycleId).steps[3]
      const own = await send(local, 'PUT', `/api/cycles/${cycleId}/status`, { stepId: step.id, areaId: areaId('stadsomrade', 'Nordost'), status: 'pagar', responsible: 'Utvecklingsledare' })
      expect(own.status).toBe(200)
      expect((await audit('step_status'))[0]).toMatchObject({ user: 'lokal@demo.lagesbild.se', after: { status: 'pagar', responsible: 'Utvecklingsledare' } })
      for (const other of [areaId('stadsomrade', 'Centrum'), null, areaId('lokalpolisomrade', 'Nordost')]) {
        const res = await send(local, 'PUT', `/api/cycles/${cycleId}/status`, { stepId: step.id, areaId: other, status: 'klar' })
        expect(res.status).toBe(403)
        expect(fields(res)).toEqual(['areaId'])
      }
      expect((await send(pub, 'PUT', `/api/cycles/${cycleId}/status`, { stepId: step.id, areaId: null, status: 'klar' })).status).toBe(401)
      const status = (await app.get(`/api/cycles/${cycleId}/status`)).body.filter((s: any) => s.stepId === step.id)
      expect(status.map((s: any) => [s.areaId, s.status])).toEqual([[areaId('stadsomrade', 'Nordost'), 'pagar']])
    })
  })

  describe('problem areas', () => {
    it('creates a local problem area with a sub-area, indicators and measurable targets, refusing every bad field by name', async () => {
      const nordost = areaId('stadsomrade', 'Nordost')
      const res = await send(app, 'POST', '/api/problem-areas', newProblemArea({ areaId: nordost }))
      expect(res.status).toBe(201)
      expect(res.body).toMatchObject({ ...newProblemArea({ areaId: nordost }), id: expect.any(Number), parentId: null, version: 1, retiredAt: null, measureCount: 0 })
      expect((await app.get(`/api/problem-areas/${res.body.id}`)).body).toEqual(res.body)
      const sub = await send(app, 'POST', '/api/problem-areas', newProblemArea({ title: 'Handel vid Hjällbo torg', parentId: res.body.id, areaId: areaId('lokalpolisomrade', 'Nordost') }))
      expect(sub.status).toBe(201)
      const list = await problemAreas()
      expect(list.findIndex((p) => p.id === sub.body.id)).toBe(list.findIndex((p) => p.id === res.body.id) + 1)
      expect((await audit('problem_area'))[0]).toMatchObject({ action: 'create', entityId: String(sub.body.id) })

      const bad = await send(app, 'POST', '/api/problem-areas', newProblemArea({ title: 'x', targets: [{ indicatorId: 'demo_ran', target: 'tio', targetPeriod: '2027-13' }] }))
      expect(bad.status).toBe(422)
      expect(fields(bad).sort()).toEqual(['targets.0.target', 'targets.0.targetPeriod', 'title'])
      const refs = await send(app, 'POST', '/api/problem-areas', newProblemArea({ parentId: 99999, areaId: areaId('primaromrade', 'Hjällbo'), indicatorIds: ['demo_ran', 'finns_inte'], targets: [{ indicatorId: 'nej', target: 1, targetPeriod: '2027' }], decisionId: 99999 }))
      expect(refs.status).toBe(422)
      expect(fields(refs)).toEqual(['parentId', 'areaId', 'indicatorIds.1', 'targets.0.indicatorId', 'decisionId'])
      expect(fields(await send(app, 'POST', '/api/problem-areas', newProblemArea({ areaId: 99999 })))).toEqual(['areaId'])
      expect(fields(await send(app, 'POST', '/api/problem-areas', newProblemArea({ cycleId: 99999 })))).toEqual(['cycleId'])
      // Two levels: no sub-area of a sub-area, and a parent in the same cycle.
      const deep = await send(app, 'POST', '/api/problem-areas', newProblemArea({ parentId: sub.body.id }))
      expect(deep.body.error.details).toEqual([expect.objectContaining({ field: 'parentId', message: expect.stringMatching(/två nivåer/) })])
      const otherCycle = (await app.get('/api/cycles')).body.find((c: any) => c.startYear === 2026).id
      const across = await send(app, 'POST', '/api/problem-areas', newProblemArea({ cycleId: otherCycle, parentId: res.body.id }))
      expect(across.body.error.details).toEqual([expect.objectContaining({ field: 'parentId', message: expect.stringMatching(/annan cykel/) })])
      expect(fields(await send(app, 'PATCH', `/api/problem-areas/${res.body.id}`, { version: 1, parentId: (await problemAreas())[0].id }))).toEqual(['parentId'])
    })

    it('versions every change with the decision that made it, refuses a stale save naming what changed, retires and restores', async () => {
      const created = (await send(app, 'POST', '/api/problem-areas', newProblemArea({ title: 'Bedrägerier mot äldre' }))).body
      const decided = await decision('Ledningsgruppen Trygg i Göteborg skärper målet för bedrägerier mot äldre.')
      const first = await send(app, 'PATCH', `/api/problem-areas/${created.id}`, { version: 1, goals: 'Halverat antal bedrägerier mot äldre till 2028.', decisionId: decided })
      expect(first.status).toBe(200)
      expect(first.body).toMatchObject({ version: 2, goals: 'Halverat antal bedrägerier mot äldre till 2028.' })
      const stale = await send(app, 'PATCH', `/api/problem-areas/${created.id}`, { version: 1, title: 'Min ändring' })
      expect(stale.status).toBe(409)
      expect(fields(stale)).toEqual(['goals'])
      expect(stale.body.error.details[0].message).toMatch(/målsättning har ändrats/)
      expect((await app.get(`/api/problem-areas/${created.id}`)).body.title).toBe('Bedrägerier mot äldre')
      // Saving what is there is no new version.
      expect((await send(app, 'PATCH', `/api/problem-areas/${created.id}`, { version: 2, title: 'Bedrägerier mot äldre' })).body.version).toBe(2)

      const retired = await send(app, 'PATCH', `/api/problem-areas/${created.id}`, { version: 2, retired: true })
      expect(retired.body).toMatchObject({ version: 3, retiredAt: new Date().toISOString().slice(0, 10) })
      expect((await problemAreas()).find((p) => p.id === created.id).retiredAt).toBe(retired.body.retiredAt)
      const restored = await send(app, 'PATCH', `/api/problem-areas/${created.id}`, { version: 3, retired: false, areaId: areaId('stadsomrade', 'Centrum') })
      expect(restored.body).toMatchObject({ version: 4, retiredAt: null, areaId: areaId('stadsomrade', 'Centrum') })

      const history = (await app.get(`/api/problem-areas/${created.id}/history`)).body
      expect(history.map((v: any) => v.version)).toEqual([4, 3, 2, 1])
      expect(history[0]).toMatchObject({ current: true, decision: null, savedBy: 'analytiker@demo.lagesbild.se' })
      expect(history[0].changes.map((c: any) => c.message)).toEqual(['område: hela staden → Centrum', 'återupptaget'])
      expect(history[1].changes).toEqual([{ field: 'retiredAt', message: `avslutat ${retired.body.retiredAt}` }])
      expect(history[2]).toMatchObject({ decision: { id: decided, date: '2026-02-12', text: expect.stringMatching(/skärper målet/) }, changes: [{ field: 'goals', message: 'målsättning: ”Minskad öppen handel och ökad trygghet vid hållplatserna.” → ”Halverat antal bedrägerier mot äldre till 2028.”' }] })
      expect(history[3]).toMatchObject({ version: 1, changes: [], decision: null })
      // The register names the problem area among what the decision changed.
      expect((await app.get(`/api/decisions/${decided}`)).body.affects).toContainEqual(expect.objectContaining({ kind: 'problem_area', id: created.id, label: 'Bedrägerier mot äldre' }))
      const log = (await audit('problem_area')).filter((e) => e.entityId === String(created.id))
      expect(log.map((e) => e.action)).toEqual(['update', 'update', 'update', 'create'])
      expect(log[2]).toMatchObject({ before: { version: 1 }, after: { version: 2, decisionId: decided } })
    })

    it('keeps the first version of a problem area from before versions were kept', async () => {
      const seeded = (await problemAreas()).find((p) => p.title === 'Barn och unga i riskzon för kriminalitet')
      const res = await send(app, 'PATCH', `/api/problem-areas/${seeded.id}`, { version: seeded.version, indicatorIds: [...seeded.indicatorIds, 'demo_ran'] })
      expect(res.status).toBe(200)
      const history = (await app.get(`/api/problem-areas/${seeded.id}/history`)).body
      expect(history.map((v: any) => v.version)).toEqual([seeded.version + 1, seeded.version])
      expect(history[0].changes).toEqual([{ field: 'indicatorIds', message: expect.stringMatching(/^indikatorer: \+ /) }])
    })

    it('lets a local group create, edit and retire only its own stadsområde’s problem areas', async () => {
      const nordost = areaId('stadsomrade', 'Nordost')
      const own = await send(local, 'POST', '/api/problem-areas', newProblemArea({ title: 'Skadegörelse i Gårdsten', areaId: nordost }))
      expect(own.status).toBe(201)
      expect((await audit('problem_area'))[0]).toMatchObject({ action: 'create', user: 'lokal@demo.lagesbild.se' })
      const edited = await send(local, 'PATCH', `/api/problem-areas/${own.body.id}`, { version: 1, analysis: 'Främst kvällstid vid centrum.', retired: true })
      expect(edited.status).toBe(200)
      expect(edited.body.retiredAt).not.toBeNull()

      for (const body of [newProblemArea({ title: 'Hela staden' }), newProblemArea({ title: 'Centrum', areaId: areaId('stadsomrade', 'Centrum') }), newProblemArea({ title: 'LPO', areaId: areaId('lokalpolisomrade', 'Nordost') })]) {
        const res = await send(local, 'POST', '/api/problem-areas', body)
        expect(res.status).toBe(403)
        expect(fields(res)).toEqual(['areaId'])
      }
      const away = await send(local, 'PATCH', `/api/problem-areas/${own.body.id}`, { version: 2, areaId: areaId('stadsomrade', 'Centrum') })
      expect(away.status).toBe(403)
      const cityWide = (await problemAreas()).find((p) => p.areaId === null)
      expect((await send(local, 'PATCH', `/api/problem-areas/${cityWide.id}`, { version: cityWide.version, title: 'Kapad' })).status).toBe(403)
      expect((await send(local, 'DELETE', `/api/problem-areas/${own.body.id}`)).status).toBe(403)
      expect((await send(pub, 'POST', '/api/problem-areas', newProblemArea())).status).toBe(401)
      expect((await send(pub, 'PATCH', `/api/problem-areas/${own.body.id}`, { version: 2 })).status).toBe(401)
      expect((await app.get(`/api/problem-areas/${cityWide.id}`)).body.title).toBe(cityWide.title)
      expect((await app.get(`/api/problem-areas/${own.body.id}`)).body).toMatchObject({ version: 2, areaId: nordost })
    })

    it('refuses to delete a problem area with a plan or with causes that measures address', async () => {
      const p = (await send(app, 'POST', '/api/problem-areas', newProblemArea({ title: 'Med plan' }))).body
      await db.kysely.insertInto('plans').values({ problem_area_id: p.id, title: 'Åtgärdsplan för Med plan' }).execute()
      const res = await send(app, 'DELETE', `/api/problem-areas/${p.id}`)
      expect(res.status).toBe(409)
      expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'plan' })])
      const q = (await send(app, 'POST', '/api/problem-areas', newProblemArea({ title: 'Utan något' }))).body
      expect((await send(app, 'DELETE', `/api/problem-areas/${q.id}`)).status).toBe(204)
      expect((await audit('problem_area'))[0]).toMatchObject({ action: 'delete', entityId: String(q.id) })
    })
  })

  describe('orsaksanalys', () => {
    const period = '2025'
    let pa: any
    let localPa: any
    let hidden: { areaId: number; value: number }
    beforeAll(async () => {
      pa = (await send(app, 'POST', '/api/problem-areas', newProblemArea({ title: 'Rån mot unga' }))).body
      localPa = (await send(app, 'POST', '/api/problem-areas', newProblemArea({ title: 'Rån i Nordost', areaId: areaId('stadsomrade', 'Nordost') }))).body
      const values = (await app.get(`/api/indicators/demo_ran/values?layer=primaromrade&period=${period}`)).body
      hidden = values.values.find((v: any) => v.hiddenOutside === 'primary')
      expect(hidden).toBeDefined()
    })

    it('keeps causes along the triangle with evidence whose figures are the indicators’ own, derived when read', async () => {
      const nordost = areaId('stadsomrade', 'Nordost')
      const res = await send(app, 'POST', `/api/problem-areas/${pa.id}/causes`, {
        kind: 'garningsperson',
        title: 'Unga rekryteras som rånare',
        description: 'Rånen begås ofta av grupper av unga mot jämnåriga.',
        sources: 'Polisens lägesbild 2025; SSPF-samordnarna',
        evidence: [
          { indicatorId: 'demo_ran', areaId: nordost, period },
          { indicatorId: 'demo_ran', areaId: null, period },
          { indicatorId: 'demo_ran', areaId: hidden.areaId, period },
        ],
      })
      expect(res.status).toBe(201)
      expect(res.body).toMatchObject({ problemAreaId: pa.id, version: 1, kind: 'garningsperson', measureIds: [] })
      // The same figures the indicator's own values give, read independently.
      const layer = (await app.get(`/api/indicators/demo_ran/values?layer=stadsomrade&period=${period}`)).body
      const row = layer.values.find((v: any) => v.areaId === nordost)
      const [area, city, small] = res.body.evidence
      expect(area.figure).toEqual({ value: row.value, unit: 'count', suppressed: false, numerator: row.numerator ?? null, denominator: row.denominator ?? null })
      expect(city.figure).toMatchObject({ value: layer.city.value, suppressed: false })
      expect(small.figure).toMatchObject({ value: hidden.value, suppressed: false })
      expect((await app.get(`/api/problem-areas/${pa.id}/causes`)).body).toEqual([res.body])
      expect((await audit('cause'))[0]).toMatchObject({ action: 'create', entityId: String(res.body.id), after: { title: 'Unga rekryteras som rånare' } })

      // A local group sees the small count hidden, as the values themselves show it.
      const seen = (await local.get(`/api/problem-areas/${pa.id}/causes`)).body[0].evidence
      const outside = (await local.get(`/api/indicators/demo_ran/values?layer=primaromrade&period=${period}`)).body.values.find((v: any) => v.areaId === hidden.areaId)
      expect(outside).toMatchObject({ value: null, suppressed: true })
      expect(seen[2].figure).toMatchObject({ value: null, suppressed: true, numerator: null })
      expect(seen[0].figure.value).toBe(row.value)
      expect(JSON.stringify(seen)).not.toContain(`"value":${hidden.value},`)
    })

    it('refuses bad causes field by field and stale saves, and will not delete a cause a measure addresses', async () => {
      const bad = await send(app, 'POST', `/api/problem-areas/${pa.id}/causes`, { kind: 'väder', title: 'x', evidence: [{ indicatorId: 'demo_ran', areaId: null, period: '2025-Q5' }] })
      expect(bad.status).toBe(422)
      expect(fields(bad).sort()).toEqual(['evidence.0.period', 'kind', 'title'])
      const refs = await send(app, 'POST', `/api/problem-areas/${pa.id}/causes`, { kind: 'offer_mal', title: 'Unga offer', evidence: [{ indicatorId: 'nope', areaId: 99999, period: '2025' }] })
      expect(fields(refs)).toEqual(['evidence.0.indicatorId', 'evidence.0.areaId'])
      expect((await send(app, 'POST', '/api/problem-areas/99999/causes', { kind: 'plats', title: 'Ingenstans' })).status).toBe(404)

      const cause = (await send(app, 'POST', `/api/problem-areas/${pa.id}/causes`, { kind: 'skyddsfaktor', title: 'Fritidsgårdar öppna kvällstid' })).body
      const edited = await send(app, 'PATCH', `/api/problem-areas/${pa.id}/causes/${cause.id}`, { version: 1, kind: 'riskfaktor', title: 'Fritidsgårdar stängda kvällstid', evidence: [{ indicatorId: 'demo_unga_uvas', areaId: null, period: '2024' }] })
      expect(edited.status).toBe(200)
      expect(edited.body).toMatchObject({ version: 2, kind: 'riskfaktor', evidence: [{ indicatorId: 'demo_unga_uvas', areaId: null, period: '2024' }] })
      const stale = await send(app, 'PATCH', `/api/problem-areas/${pa.id}/causes/${cause.id}`, { version: 1, title: 'Min ändring' })
      expect(stale.status).toBe(409)
      expect(fields(stale)).toEqual(['kind', 'title', 'description', 'sources', 'evidence'])
      expect((await send(app, 'PATCH', `/api/problem-areas/${localPa.id}/causes/${cause.id}`, { version: 2, title: 'Fel område' })).status).toBe(404)

      // A measure that addresses the cause keeps it.
      const measure = (await send(app, 'POST', '/api/measures', {
        title: 'Kvällsöppna fritidsgårdar', problemAreaId: pa.id, purpose: 'brottsforebyggande', prevention: 'social_universell', level: 'operativ',
        owners: ['staden'], areaIds: [areaId('stadsomrade', 'Nordost')], status: 'planerad', startDate: '2026-01-01',
      })).body
      await db.kysely.insertInto('measure_causes').values({ measure_id: measure.id, cause_id: cause.id }).execute()
      expect((await app.get(`/api/problem-areas/${pa.id}/causes`)).body.find((c: any) => c.id === cause.id).measureIds).toEqual([measure.id])
      const held = await send(app, 'DELETE', `/api/problem-areas/${pa.id}/causes/${cause.id}?version=2`)
      expect(held.status).toBe(409)
      expect(held.body.error.details).toEqual([{ field: 'measures', message: `åtgärd ${measure.id}: Kvällsöppna fritidsgårdar` }])
      await db.kysely.deleteFrom('measure_causes').where('cause_id', '=', cause.id).execute()
      expect((await send(app, 'DELETE', `/api/problem-areas/${pa.id}/causes/${cause.id}?version=1`)).status).toBe(409)
      expect((await send(app, 'DELETE', `/api/problem-areas/${pa.id}/causes/${cause.id}`)).status).toBe(400)
      expect((await send(app, 'DELETE', `/api/problem-areas/${pa.id}/causes/${cause.id}?version=2`)).status).toBe(204)
      expect((await audit('cause')).slice(0, 3).map((e) => [e.action, e.entityId])).toEqual([['delete', String(cause.id)], ['update', String(cause.id)], ['create', String(cause.id)]])
    })

    it('keeps an indicator that a target or evidence cites from being deleted, naming what cites it', async () => {
      const indicator = { name: 'Kameraövervakade platser', description: '', unit: 'count', category: 'aktivitet', polarity: 'neutral', source: 'Polisen', licence: '', minPublishCount: 5, survey: false }
      expect((await send(app, 'POST', '/api/indicators', { ...indicator, id: 'kamera_mal' })).status).toBe(201)
      expect((await send(app, 'POST', '/api/indicators', { ...indicator, id: 'kamera_belagg' })).status).toBe(201)
      const target = await send(app, 'PATCH', `/api/problem-areas/${pa.id}`, { version: pa.version, targets: [{ indicatorId: 'kamera_mal', target: 12, targetPeriod: '2027' }] })
      expect(target.status).toBe(200)
      pa = target.body
      expect((await send(app, 'POST', `/api/problem-areas/${pa.id}/causes`, { kind: 'plats', title: 'Oövervakade hållplatser', evidence: [{ indicatorId: 'kamera_belagg', areaId: null, period: '2025' }] })).status).toBe(201)
      const byTarget = await send(app, 'DELETE', '/api/indicators/kamera_mal?version=1')
      expect(byTarget.status).toBe(409)
      expect(byTarget.body.error.details).toEqual([{ field: 'problemAreas', message: expect.stringMatching(/Rån mot unga/) }])
      const byEvidence = await send(app, 'DELETE', '/api/indicators/kamera_belagg?version=1')
      expect(byEvidence.status).toBe(409)
      expect(byEvidence.body.error.details).toEqual([{ field: 'causes', message: expect.stringMatching(/Oövervakade hållplatser/) }])
      // Without values the figure is simply not there.
      const cited = (await app.get(`/api/problem-areas/${pa.id}/causes`)).body.find((c: any) => c.title === 'Oövervakade hållplatser')
      expect(cited.evidence[0].figure).toBeNull()
    })

    it('lets a local group write the orsaksanalys of its own stadsområde’s problem areas only', async () => {
      const own = await send(local, 'POST', `/api/problem-areas/${localPa.id}/causes`, { kind: 'offer_mal', title: 'Unga på väg hem från skolan' })
      expect(own.status).toBe(201)
      expect((await send(local, 'PATCH', `/api/problem-areas/${localPa.id}/causes/${own.body.id}`, { version: 1, sources: 'Skolenkät' })).status).toBe(200)
      expect((await send(local, 'POST', `/api/problem-areas/${pa.id}/causes`, { kind: 'plats', title: 'Centralstationen' })).status).toBe(403)
      const theirs = (await app.get(`/api/problem-areas/${pa.id}/causes`)).body[0]
      expect((await send(local, 'PATCH', `/api/problem-areas/${pa.id}/causes/${theirs.id}`, { version: theirs.version, title: 'Kapad' })).status).toBe(403)
      expect((await send(local, 'DELETE', `/api/problem-areas/${pa.id}/causes/${theirs.id}?version=${theirs.version}`)).status).toBe(403)
      expect((await send(pub, 'GET', `/api/problem-areas/${pa.id}/causes`)).status).toBe(401)
      expect((await send(pub, 'POST', `/api/problem-areas/${localPa.id}/causes`, { kind: 'plats', title: 'Allmänheten' })).status).toBe(401)
      expect((await send(local, 'DELETE', `/api/problem-areas/${localPa.id}/causes/${own.body.id}?version=2`)).status).toBe(204)
      expect((await audit('cause')).slice(0, 3).map((e) => [e.action, e.user])).toEqual([
        ['delete', 'lokal@demo.lagesbild.se'],
        ['update', 'lokal@demo.lagesbild.se'],
        ['create', 'lokal@demo.lagesbild.se'],
      ])
    })
  })
})
