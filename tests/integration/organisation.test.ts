import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { send, startApp, type Client, type RunningApp } from '../helpers/http'

/** The cooperation organisation (issue 17): the agreement's groups, meetings, their rules and action items. */
describe.each(testEngines())('groups and meetings on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let local: Client
  let admin: Client
  let anonymous: Client
  let lagesbildsar: number
  let nordost: string
  let centrum: string

  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    local = await app.as('local')
    admin = await app.as('admin')
    anonymous = await app.as('public')
    lagesbildsar = (await send(app, 'GET', '/api/cycles')).body.find((c: any) => c.current).endYear
    const areas = (await send(app, 'GET', '/api/areas')).body
    const code = (name: string) => areas.find((a: any) => a.layer === 'stadsomrade' && a.name === name).code
    nordost = `lokal:${code('Nordost')}`
    centrum = `lokal:${code('Centrum')}`
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const lastAudit = () => db.kysely.selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
  const auditCount = async () => Number((await db.kysely.selectFrom('audit_log').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
  const fields = (res: { body: any }) => res.body.error.details.map((d: any) => d.field).sort()
  const meeting = (over: Record<string, unknown> = {}) => ({ groupId: 'trygg_i_goteborg', date: '2031-02-10', fullDay: false, chairOrganisation: 'staden', notesOrganisation: 'polisen', agenda: 'Lägesbild', ...over })
  const plan = async (over: Record<string, unknown>) => {
    const res = await send(app, 'POST', '/api/meetings', meeting(over))
    expect(res.status).toBe(201)
    return res.body
  }
  const rules = async (year: number) => (await send(app, 'GET', `/api/meetings/rules?year=${year}`)).body as Array<{ groupId: string; rule: string; ok: boolean; missing: unknown; text: string }>
  const rule = (list: Awaited<ReturnType<typeof rules>>, groupId: string, id: string) => list.find((r) => r.groupId === groupId && r.rule === id)!

  it('has the agreement groups from the first start, the four local ones with their stadsområde codes', async () => {
    const groups = (await send(local, 'GET', '/api/groups')).body
    expect(groups.map((g: any) => g.id).slice(0, 1)).toEqual(['trygg_i_goteborg'])
    expect(groups.find((g: any) => g.id === 'trygg_i_goteborg')).toMatchObject({ name: 'Ledningsgrupp Trygg i Göteborg', kind: 'ledningsgrupp', version: 1 })
    expect(groups.find((g: any) => g.id === 'natverk')).toMatchObject({ name: 'Brottsförebyggande nätverket', kind: 'natverk' })
    expect(groups.find((g: any) => g.id === 'strategiskt_forum')).toMatchObject({ name: 'Strategiskt forum', kind: 'forum' })
    const locals = groups.filter((g: any) => g.kind === 'lokal_ledningsgrupp')
    expect(locals.map((g: any) => g.name).sort()).toEqual(['Ledningsgrupp Trygg i Centrum', 'Ledningsgrupp Trygg i Hisingen', 'Ledningsgrupp Trygg i Nordost', 'Ledningsgrupp Trygg i Sydväst'])
    for (const g of locals) expect(g.id).toBe(`lokal:${g.stadsomradeCode}`)
    // The decision register reads the same groups.
    const decisionGroups = (await send(local, 'GET', '/api/decision-groups')).body
    expect(decisionGroups.map((g: any) => g.id)).toEqual(['trygg_i_goteborg', ...locals.map((g: any) => g.id).sort((a: string, b: string) => groups.find((g: any) => g.id === a).name.localeCompare(groups.find((g: any) => g.id === b).name))])
    expect((await send(anonymous, 'GET', '/api/groups')).status).toBe(401)
  })

  it('creates and edits a working group with its uppdragsdirektiv (analyst), 409 on a stale version, 422 per field', async () => {
    const body = {
      name: 'Arbetsgrupp trygghetsvandringar',
      members: [{ function: 'Trygghetssamordnare', organisation: 'staden' }, { function: 'Kommunpolis', organisation: 'polisen' }],
      mandate: { purpose: 'Samordna trygghetsvandringar', goals: 'En vandring per stadsområde', deliverables: 'Rapport', timeLimit: '2031-06-30', givenBy: 'trygg_i_goteborg' },
    }
    const res = await send(app, 'POST', '/api/groups', body)
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ id: 'arbetsgrupp:1', kind: 'arbetsgrupp', members: body.members, mandate: body.mandate, version: 1 })
    expect(await lastAudit()).toMatchObject({ action: 'create', entity: 'group', entity_id: 'arbetsgrupp:1' })
    expect((await send(local, 'POST', '/api/groups', body)).status).toBe(403)
    const bad = await send(app, 'POST', '/api/groups', { name: '', members: [{ function: 'x', organisation: 'kommunen' }], mandate: { ...body.mandate, timeLimit: 'snart' } })
    expect(bad.status).toBe(422)
    expect(fields(bad)).toEqual(['mandate.timeLimit', 'members.0.organisation', 'name'])
    expect((await send(app, 'POST', '/api/groups', { ...body, mandate: { ...body.mandate, givenBy: 'okand' } })).body.error.details[0].field).toBe('mandate.givenBy')

    const edited = await send(app, 'PATCH', '/api/groups/arbetsgrupp:1', { version: 1, name: 'Arbetsgrupp trygghet', members: [{ function: 'Områdespolis', organisation: 'polisen' }] })
    expect(edited.status).toBe(200)
    expect(edited.body).toMatchObject({ name: 'Arbetsgrupp trygghet', version: 2, members: [{ function: 'Områdespolis', organisation: 'polisen' }], mandate: body.mandate })
    expect(await lastAudit()).toMatchObject({ action: 'update', entity: 'group', entity_id: 'arbetsgrupp:1' })
    const stale = await send(app, 'PATCH', '/api/groups/arbetsgrupp:1', { version: 1, name: 'Gammal' })
    expect(stale.status).toBe(409)
    expect((await send(app, 'PATCH', '/api/groups/trygg_i_goteborg', { version: 1, mandate: body.mandate })).status).toBe(422)
    const members = await send(app, 'PATCH', '/api/groups/trygg_i_goteborg', { version: 1, members: [{ function: 'Stadsdirektör', organisation: 'staden' }, { function: 'Polisområdeschef', organisation: 'polisen' }] })
    expect(members.body.members).toHaveLength(2)
    expect((await send(app, 'PATCH', '/api/groups/okand', { version: 1, name: 'x' })).status).toBe(404)
  })

  it('flags each broken rule of a year and passes when it is fixed', async () => {
    const year = lagesbildsar + 1 // not a lägesbild year
    const d = (md: string) => `${year}-${md}`
    const m1 = await plan({ date: d('02-10'), chairOrganisation: 'staden', notesOrganisation: 'polisen' })
    await plan({ date: d('04-10'), chairOrganisation: 'staden', notesOrganisation: 'staden' })
    await plan({ date: d('09-10'), chairOrganisation: 'polisen', notesOrganisation: null })
    await plan({ groupId: 'natverk', date: d('03-01'), chairOrganisation: 'staden', notesOrganisation: null })
    const forum = await plan({ groupId: 'strategiskt_forum', date: d('10-01'), chairOrganisation: 'polisen', notesOrganisation: null })
    await plan({ groupId: nordost, date: d('01-20'), chairOrganisation: 'polisen', notesOrganisation: null })

    let r = await rules(year)
    expect(rule(r, 'trygg_i_goteborg', 'minst_fyra_moten')).toMatchObject({ ok: false, missing: 1 })
    expect(rule(r, 'trygg_i_goteborg', 'heldagsmote')).toMatchObject({ ok: false, missing: 'ett heldagsmöte' })
    expect(rule(r, 'trygg_i_goteborg', 'ordforande_vaxlar')).toMatchObject({ ok: false })
    expect(rule(r, 'trygg_i_goteborg', 'ordforande_vaxlar').missing).toMatch(new RegExp(d('04-10')))
    expect(rule(r, 'trygg_i_goteborg', 'anteckningar_motpart')).toMatchObject({ ok: false })
    expect(rule(r, nordost, 'minst_fyra_moten')).toMatchObject({ ok: false, missing: 3 })
    expect(rule(r, centrum, 'minst_fyra_moten')).toMatchObject({ ok: false, missing: 4 })
    expect(rule(r, 'natverk', 'natverk_tva_moten')).toMatchObject({ ok: false, missing: 1 })
    expect(rule(r, 'strategiskt_forum', 'forum_lagesbildsar')).toMatchObject({ ok: false })
    expect(rule(r, 'strategiskt_forum', 'forum_lagesbildsar').missing).toMatch(/inget lägesbildsår/)
    expect(r.every((x) => typeof x.text === 'string' && x.text.length > 0)).toBe(true)
    // The lägesbild year without a forum is flagged too.
    expect(rule(await rules(lagesbildsar), 'strategiskt_forum', 'forum_lagesbildsar')).toMatchObject({ ok: false, missing: 'ett forum lägesbildsåret' })

    // Fixed: the second meeting chaired by polisen with staden's notes, the third by staden, a fourth full-day one by polisen.
    const second = (await send(app, 'GET', `/api/meetings?group=trygg_i_goteborg&year=${year}`)).body[1]
    expect((await send(app, 'PATCH', `/api/meetings/${second.id}`, { version: second.version, chairOrganisation: 'polisen', notesOrganisation: 'staden' })).status).toBe(200)
    const third = (await send(app, 'GET', `/api/meetings?group=trygg_i_goteborg&year=${year}`)).body[2]
    await send(app, 'PATCH', `/api/meetings/${third.id}`, { version: third.version, chairOrganisation: 'staden', notesOrganisation: 'polisen' })
    await plan({ date: d('11-20'), fullDay: true, chairOrganisation: 'polisen', notesOrganisation: 'staden' })
    await plan({ groupId: 'natverk', date: d('10-01'), chairOrganisation: 'polisen', notesOrganisation: null })
    for (const md of ['03-20', '06-20', '10-20']) await plan({ groupId: nordost, date: d(md), chairOrganisation: 'staden', notesOrganisation: null })
    const f = (await send(app, 'GET', `/api/meetings?group=strategiskt_forum&year=${year}`)).body[0]
    expect(f.id).toBe(forum.id)
    // The forum moves to the lägesbild year.
    expect((await send(app, 'PATCH', `/api/meetings/${forum.id}`, { version: f.version, date: `${lagesbildsar}-10-01` })).status).toBe(200)

    r = await rules(year)
    for (const [g, id] of [['trygg_i_goteborg', 'minst_fyra_moten'], ['trygg_i_goteborg', 'heldagsmote'], ['trygg_i_goteborg', 'ordforande_vaxlar'], ['trygg_i_goteborg', 'anteckningar_motpart'], [nordost, 'minst_fyra_moten'], ['natverk', 'natverk_tva_moten'], ['strategiskt_forum', 'forum_lagesbildsar']] as const) {
      expect(rule(r, g, id), `${g} ${id}`).toMatchObject({ ok: true, missing: null })
    }
    expect(rule(await rules(lagesbildsar), 'strategiskt_forum', 'forum_lagesbildsar')).toMatchObject({ ok: true })
    expect(m1.carriedOver).toEqual([])
    expect((await send(app, 'GET', '/api/meetings/rules?year=tjugo')).status).toBe(400)
  })

  it('carries an action item over to the group’s next meetings until it is done', async () => {
    const first = await plan({ groupId: centrum, date: '2033-02-01', status: 'genomford', minutes: 'Vi gick igenom lägesbilden' })
    const second = await plan({ groupId: centrum, date: '2033-04-01' })
    const third = await plan({ groupId: centrum, date: '2033-06-01' })
    const other = await plan({ groupId: nordost, date: '2033-03-01' })
    const withAction = await send(app, 'POST', `/api/meetings/${first.id}/actions`, { text: 'Ta fram karta över otrygga platser', responsible: 'Polisen' })
    expect(withAction.status).toBe(201)
    const action = withAction.body.actions[0]
    expect(action).toMatchObject({ text: 'Ta fram karta över otrygga platser', responsible: 'Polisen', doneAt: null, meetingId: first.id })
    expect(await lastAudit()).toMatchObject({ action: 'create', entity: 'meeting_action', entity_id: String(action.id) })
    const get = async (id: number) => (await send(app, 'GET', `/api/meetings?group=${centrum}&year=2033`)).body.find((m: any) => m.id === id)
    expect((await get(second.id)).carriedOver.map((a: any) => a.id)).toEqual([action.id])
    expect((await get(third.id)).carriedOver.map((a: any) => a.id)).toEqual([action.id])
    expect((await send(app, 'GET', `/api/meetings?group=${nordost}&year=2033`)).body.find((m: any) => m.id === other.id).carriedOver).toEqual([])

    // Done at another group's meeting: refused.
    const wrong = await send(app, 'PATCH', `/api/meetings/${first.id}/actions/${action.id}`, { done: true, doneMeetingId: other.id })
    expect(wrong.status).toBe(422)
    expect(fields(wrong)).toEqual(['doneMeetingId'])
    const done = await send(app, 'PATCH', `/api/meetings/${first.id}/actions/${action.id}`, { done: true, doneMeetingId: second.id })
    expect(done.status).toBe(200)
    expect(done.body.actions[0]).toMatchObject({ doneAt: '2033-04-01', doneMeetingId: second.id })
    expect(await lastAudit()).toMatchObject({ action: 'update', entity: 'meeting_action' })
    // Shown as done at the meeting that closed it, no longer carried to the one after.
    expect((await get(second.id)).carriedOver).toMatchObject([{ id: action.id, doneAt: '2033-04-01' }])
    expect((await get(third.id)).carriedOver).toEqual([])
    expect((await send(app, 'PATCH', `/api/meetings/${first.id}/actions/987654`, { done: true })).status).toBe(404)
  })

  it('lets a local user keep only its own local group’s meetings (403 otherwise); the public gets 401', async () => {
    const own = await send(local, 'POST', '/api/meetings', meeting({ groupId: nordost, date: '2034-02-01' }))
    expect(own.status).toBe(201)
    expect((await send(local, 'POST', '/api/meetings', meeting({ groupId: centrum, date: '2034-02-01' }))).status).toBe(403)
    expect((await send(local, 'POST', '/api/meetings', meeting({ date: '2034-02-01' }))).status).toBe(403)
    const city = await plan({ date: '2034-02-01' })
    expect((await send(local, 'PATCH', `/api/meetings/${city.id}`, { version: 1, agenda: 'x' })).status).toBe(403)
    expect((await send(local, 'POST', `/api/meetings/${city.id}/actions`, { text: 'x', responsible: 'y' })).status).toBe(403)
    expect((await send(local, 'PATCH', `/api/meetings/${own.body.id}`, { version: 1, agenda: 'Egen dagordning' })).body.agenda).toBe('Egen dagordning')
    expect((await send(local, 'GET', '/api/meetings?year=2034')).body.length).toBeGreaterThanOrEqual(2)
    expect((await send(admin, 'PATCH', `/api/meetings/${city.id}`, { version: 1, agenda: 'Admin' })).status).toBe(200)
    expect((await send(anonymous, 'GET', '/api/meetings')).status).toBe(401)
    expect((await send(anonymous, 'GET', '/api/meetings/rules?year=2034')).status).toBe(401)
    expect((await send(anonymous, 'POST', '/api/meetings', meeting())).status).toBe(401)
  })

  it('refuses a meeting by field (422) and a stale save (409), writing nothing', async () => {
    const before = await auditCount()
    const bad = await send(app, 'POST', '/api/meetings', { groupId: 'trygg_i_goteborg', date: '2035-13-01', fullDay: 'ja', chairOrganisation: 'kommunen', notesOrganisation: 'x', status: 'inställd' })
    expect(bad.status).toBe(422)
    expect(fields(bad)).toEqual(['chairOrganisation', 'date', 'fullDay', 'notesOrganisation', 'status'])
    expect((await send(app, 'POST', '/api/meetings', meeting({ groupId: 'okand' }))).body.error.details[0].field).toBe('groupId')
    expect(fields(await send(app, 'POST', '/api/meetings', meeting({ status: 'genomford', notesOrganisation: null })))).toEqual(['notesOrganisation'])
    expect(await auditCount()).toBe(before)
    const m = await plan({ date: '2035-03-01' })
    expect((await send(app, 'PATCH', `/api/meetings/${m.id}`, { version: 1, status: 'genomford', minutes: 'Protokoll' })).body).toMatchObject({ version: 2, status: 'genomford', minutes: 'Protokoll' })
    expect(await lastAudit()).toMatchObject({ action: 'update', entity: 'meeting', entity_id: String(m.id) })
    const stale = await send(app, 'PATCH', `/api/meetings/${m.id}`, { version: 1, agenda: 'Gammal' })
    expect(stale.status).toBe(409)
    expect(fields(stale)).toEqual(['version'])
    expect((await send(app, 'PATCH', '/api/meetings/987654', { version: 1 })).status).toBe(404)
    expect(fields(await send(app, 'POST', `/api/meetings/${m.id}/actions`, { text: '', responsible: '' }))).toEqual(['responsible', 'text'])
  })

  it('records a decision at a meeting of its group; a meeting of another group is a 422 on meetingId', async () => {
    const held = await plan({ date: '2025-03-01', status: 'genomford', minutes: 'Beslut om lägesbild' })
    const other = await plan({ groupId: nordost, date: '2025-03-02' })
    const res = await send(app, 'POST', '/api/decisions', { date: '2025-03-01', group: 'trygg_i_goteborg', meetingId: held.id, text: 'Lägesbilden fastställs', affects: [] })
    expect(res.status).toBe(201)
    expect(res.body.meetingId).toBe(held.id)
    expect(await lastAudit()).toMatchObject({ entity: 'decision' })
    const wrong = await send(app, 'POST', '/api/decisions', { date: '2025-03-01', group: 'trygg_i_goteborg', meetingId: other.id, text: 'Fel möte', affects: [] })
    expect(wrong.status).toBe(422)
    expect(fields(wrong)).toEqual(['meetingId'])
    const m = (await send(app, 'GET', '/api/meetings?group=trygg_i_goteborg&year=2025')).body.find((x: any) => x.id === held.id)
    expect(m.decisions).toEqual([{ id: res.body.id, date: '2025-03-01', text: 'Lägesbilden fastställs' }])
  })
})
