import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { dataVersion } from '../../db/data-version'
import { personalDataMessage } from '../../server/core/personal-data'
import { testEngines } from '../helpers/engines'
import { send, startApp, type Client, type RunningApp } from '../helpers/http'

/**
 * Field reports (trygghetsrapporter, issue 18): local groups record weekly counts by category for the
 * primärområden of their own stadsområde; texts with personal data are refused; the reports become the
 * indicator trygghetsrapporter, summed upwards and disclosed like any other count.
 */
describe.each(testEngines())('field reports on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let local: Client
  let admin: Client
  let anonymous: Client
  let localCode: string
  /** Primärområden of the local group's stadsområde, and of another one. */
  let own: Array<{ id: number; name: string }>
  let other: Array<{ id: number; name: string; code: string; sid: number }>
  let ownStadsomrade: number
  let otherStadsomrade: number
  const WEEK = '2026-W10'

  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    local = await app.as('local')
    admin = await app.as('admin')
    anonymous = await app.as('public')
    localCode = (await db.kysely.selectFrom('users').select('stadsomrade_code').where('role', '=', 'local').where('stadsomrade_code', 'is not', null).executeTakeFirstOrThrow()).stadsomrade_code!
    const rows = await db.kysely
      .selectFrom('areas as a')
      .innerJoin('area_parents as ap', 'ap.child_id', 'a.id')
      .innerJoin('areas as s', 's.id', 'ap.parent_id')
      .select(['a.id', 'a.name', 's.code', 's.id as sid'])
      .where('a.layer_id', '=', 'primaromrade')
      .where('a.valid_to', 'is', null)
      .where('s.layer_id', '=', 'stadsomrade')
      .orderBy('a.id')
      .execute()
    own = rows.filter((r) => r.code === localCode)
    other = rows.filter((r) => r.code !== localCode)
    ownStadsomrade = rows.find((r) => r.code === localCode)!.sid
    otherStadsomrade = other[0]!.sid
    other = other.filter((r) => r.sid === otherStadsomrade)
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const fields = (res: { body: any }) => res.body.error.details.map((d: any) => d.field)
  const count = async (table: 'field_reports' | 'import_log' | 'audit_log' | 'observations') =>
    Number((await db.kysely.selectFrom(table).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
  const report = (o: Partial<{ areaId: number; week: string; category: string; count: number; text: string }>) => ({ areaId: own[0]!.id, week: WEEK, category: 'skadegorelse', count: 1, text: '', ...o })
  const values = (who: Client, layer: string, period = WEEK) => who.get(`/api/indicators/trygghetsrapporter/values?layer=${layer}&period=${period}`)

  it('lists the managed categories to members; analysts add, rename, deactivate and delete unused ones', async () => {
    const list = await send(local, 'GET', '/api/field-reports/categories')
    expect(list.status).toBe(200)
    expect(list.body.map((c: any) => c.id)).toEqual(expect.arrayContaining(['skadegorelse', 'nedskrapning', 'oro_i_grupp', 'brand', 'narkotikahandel_synlig', 'otrygg_plats']))
    expect(list.body.find((c: any) => c.id === 'skadegorelse')).toEqual({ id: 'skadegorelse', name: 'Skadegörelse', active: true, inUse: false })
    expect((await send(anonymous, 'GET', '/api/field-reports/categories')).status).toBe(401)
    expect((await send(local, 'POST', '/api/field-reports/categories', { id: 'klotter', name: 'Klotter' })).status).toBe(403)
    const made = await send(app, 'POST', '/api/field-reports/categories', { id: 'klotter', name: 'Klotter' })
    expect(made.status).toBe(201)
    expect(made.body).toEqual({ id: 'klotter', name: 'Klotter', active: true, inUse: false })
    expect((await send(app, 'POST', '/api/field-reports/categories', { id: 'klotter', name: 'Klotter igen' })).status).toBe(409)
    const bad = await send(app, 'POST', '/api/field-reports/categories', { id: 'Klotter!', name: '' })
    expect(bad.status).toBe(422)
    expect(fields(bad).sort()).toEqual(['id', 'name'])
    expect((await send(app, 'PATCH', '/api/field-reports/categories/klotter', { name: 'Klotter och tags' })).body.name).toBe('Klotter och tags')
    expect((await send(app, 'DELETE', '/api/field-reports/categories/klotter')).status).toBe(204)
    expect((await send(app, 'DELETE', '/api/field-reports/categories/klotter')).status).toBe(404)
    const audit = await db.kysely.selectFrom('audit_log').selectAll().where('entity', '=', 'field_report_category').orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'delete'])
  })

  it('refuses a text with a personnummer, naming text with the Swedish message, and writes nothing', async () => {
    const text = 'Grupp samlad vid entrén, en av dem 19121212-1212'
    const before = await Promise.all([count('field_reports'), count('import_log'), count('audit_log'), count('observations')])
    const version = await dataVersion(db.kysely)
    const res = await send(local, 'POST', '/api/field-reports', report({ text }))
    expect(res.status).toBe(422)
    expect(res.body.error.details).toEqual([{ field: 'text', message: personalDataMessage(text) }])
    expect(res.body.error.message).toBe(personalDataMessage(text))
    expect(await Promise.all([count('field_reports'), count('import_log'), count('audit_log'), count('observations')])).toEqual(before)
    expect(await dataVersion(db.kysely)).toBe(version)
    // Phone numbers and e-mail addresses too, as an analyst.
    const phone = await send(app, 'POST', '/api/field-reports', report({ text: 'ring 070-123 45 67 eller skriv till a.b@example.se' }))
    expect(phone.status).toBe(422)
    expect(phone.body.error.details[0].message).toContain('telefonnummer')
    expect(phone.body.error.details[0].message).toContain('e-postadress')
  })

  it('names week, areaId and category when they are wrong', async () => {
    const future = await send(local, 'POST', '/api/field-reports', report({ week: '2099-W01' }))
    expect(future.status).toBe(422)
    expect(fields(future)).toEqual(['week'])
    expect(fields(await send(local, 'POST', '/api/field-reports', report({ week: '2026-10' })))).toEqual(['week'])
    expect(fields(await send(local, 'POST', '/api/field-reports', report({ week: '2026-W53' })))).toEqual(['week'])
    const notPrimary = await send(local, 'POST', '/api/field-reports', report({ areaId: ownStadsomrade }))
    expect(notPrimary.status).toBe(422)
    expect(fields(notPrimary)).toEqual(['areaId'])
    expect(fields(await send(local, 'POST', '/api/field-reports', report({ category: 'finns_inte' })))).toEqual(['category'])
    expect(fields(await send(local, 'POST', '/api/field-reports', report({ count: 0 })))).toEqual(['count'])
    expect((await send(anonymous, 'POST', '/api/field-reports', report({}))).status).toBe(401)
  })

  it('lets a local group report in its own stadsområde only, analysts anywhere, and scopes what a local group reads', async () => {
    const before = await dataVersion(db.kysely)
    const a = await send(local, 'POST', '/api/field-reports', report({ areaId: own[0]!.id, count: 3, text: 'Krossade rutor i busskuren' }))
    expect(a.status).toBe(201)
    expect(a.body).toMatchObject({ areaId: own[0]!.id, areaName: own[0]!.name, stadsomradeCode: localCode, week: WEEK, category: 'skadegorelse', categoryName: 'Skadegörelse', count: 3, version: 1 })
    expect(await dataVersion(db.kysely)).toBeGreaterThan(before)
    const forbidden = await send(local, 'POST', '/api/field-reports', report({ areaId: other[0]!.id }))
    expect(forbidden.status).toBe(403)
    expect(fields(forbidden)).toEqual(['areaId'])
    expect((await send(local, 'POST', '/api/field-reports', report({ areaId: own[1]!.id, count: 4, category: 'nedskrapning' }))).status).toBe(201)
    expect((await send(local, 'POST', '/api/field-reports', report({ areaId: own[0]!.id, count: 2, category: 'oro_i_grupp' }))).status).toBe(201)
    const elsewhere = await send(app, 'POST', '/api/field-reports', report({ areaId: other[0]!.id, count: 6, category: 'brand' }))
    expect(elsewhere.status).toBe(201)
    expect((await send(admin, 'POST', '/api/field-reports', report({ areaId: other[1]!.id, count: 1, week: '2026-W11' }))).status).toBe(201)

    const areas = (await send(local, 'GET', '/api/field-reports/areas')).body
    expect(areas.map((a: any) => a.id).sort()).toEqual(own.map((a) => a.id).sort())
    expect(areas.every((a: any) => a.stadsomradeCode === localCode)).toBe(true)
    expect((await send(app, 'GET', '/api/field-reports/areas')).body.length).toBe(own.length + (await db.kysely.selectFrom('areas').select('id').where('layer_id', '=', 'primaromrade').where('valid_to', 'is', null).execute()).length - own.length)

    const mine = (await send(local, 'GET', '/api/field-reports')).body
    expect(mine).toHaveLength(3)
    expect(mine.every((r: any) => r.stadsomradeCode === localCode)).toBe(true)
    expect((await send(app, 'GET', '/api/field-reports')).body).toHaveLength(5)
    expect((await send(app, 'GET', `/api/field-reports?week=2026-W11`)).body).toHaveLength(1)
    expect((await send(app, 'GET', `/api/field-reports?from=2026-W11&to=2026-W12`)).body).toHaveLength(1)
    expect((await send(local, 'GET', `/api/field-reports?area=${other[0]!.id}`)).body).toEqual([])
    expect((await send(local, 'GET', `/api/field-reports?area=${own[0]!.id}`)).body.map((r: any) => r.count).sort()).toEqual([2, 3])
    expect((await send(local, 'GET', '/api/field-reports?week=v10')).status).toBe(400)
    // By stadsområde (Aktuellt): its primärområden's reports; a local group gets nothing of another's.
    expect((await send(app, 'GET', `/api/field-reports?stadsomrade=${localCode}`)).body.map((r: any) => r.id).sort()).toEqual(mine.map((r: any) => r.id).sort())
    const otherCode = elsewhere.body.stadsomradeCode
    expect((await send(app, 'GET', `/api/field-reports?stadsomrade=${otherCode}`)).body.every((r: any) => r.stadsomradeCode === otherCode)).toBe(true)
    expect((await send(local, 'GET', `/api/field-reports?stadsomrade=${otherCode}`)).body).toEqual([])
    expect((await send(local, 'GET', `/api/field-reports?stadsomrade=${localCode}`)).body).toHaveLength(3)
    expect((await send(app, 'GET', '/api/field-reports?stadsomrade=%20x')).status).toBe(400)
    // The local group may not change or remove another stadsområde's report.
    expect((await send(local, 'PATCH', `/api/field-reports/${elsewhere.body.id}`, { version: 1, count: 1 })).status).toBe(403)
    expect((await send(local, 'DELETE', `/api/field-reports/${elsewhere.body.id}`)).status).toBe(403)
    const audit = await db.kysely.selectFrom('audit_log').selectAll().where('entity', '=', 'field_report').where('entity_id', '=', String(a.body.id)).executeTakeFirstOrThrow()
    expect(audit).toMatchObject({ action: 'create', user_email: expect.any(String) })
  })

  it('makes the week values of the indicator the sums of the reports, summed to stadsområden and the city', async () => {
    const prim = await values(app, 'primaromrade')
    expect(prim.status).toBe(200)
    const v = new Map<number, number>(prim.body.values.map((x: any) => [x.areaId, x.value]))
    expect(v.get(own[0]!.id)).toBe(5)
    expect(v.get(own[1]!.id)).toBe(4)
    expect(v.get(other[0]!.id)).toBe(6)
    expect(v.get(other[1]!.id)).toBe(0) // its report is in week 11
    // Every current primärområde has the week, zero included.
    expect(prim.body.values).toHaveLength(own.length + (await db.kysely.selectFrom('areas').select('id').where('layer_id', '=', 'primaromrade').where('valid_to', 'is', null).execute()).length - own.length)
    expect(prim.body.values.every((x: any) => typeof x.value === 'number')).toBe(true)
    expect([...v.values()].reduce((s, x) => s + x, 0)).toBe(15)

    const so = await values(app, 'stadsomrade')
    const s = new Map<number, number>(so.body.values.map((x: any) => [x.areaId, x.value]))
    expect(s.get(ownStadsomrade)).toBe(9)
    expect(s.get(otherStadsomrade)).toBe(6)
    expect(so.body.method).toMatchObject({ kind: 'summed', fromLayer: 'primaromrade' })
    expect(so.body.city.value).toBe(15)
    expect((await values(app, 'primaromrade', '2026-W11')).body.city.value).toBe(1)
    // Lokalpolisområden nest primärområden too: their sums add up to the city.
    const lpo = await values(app, 'lokalpolisomrade')
    expect(lpo.body.method).toMatchObject({ kind: 'summed', fromLayer: 'primaromrade' })
    expect(lpo.body.values.reduce((sum: number, x: any) => sum + x.value, 0)).toBe(15)

    const indicator = (await app.get('/api/indicators')).body.find((i: any) => i.id === 'trygghetsrapporter')
    expect(indicator).toMatchObject({ unit: 'count', category: 'otrygghet', polarity: 'higher_is_worse', minPublishCount: 5, demo: false })
  })

  it('shows a local group counts below the threshold as suppressed', async () => {
    const prim = await values(local, 'primaromrade')
    expect(prim.status).toBe(200)
    expect(prim.body.suppression.internal).toBe(false)
    const analyst = new Map<number, any>((await values(app, 'primaromrade')).body.values.map((x: any) => [x.areaId, x]))
    // Every count below the threshold is hidden (4 here), and whatever secondary suppression needs to stop differencing.
    expect(prim.body.values.find((x: any) => x.areaId === own[1]!.id)).toMatchObject({ value: null, suppressed: true })
    for (const x of prim.body.values) {
      const internal = analyst.get(x.areaId)
      if (internal.value < 5) expect(x).toMatchObject({ value: null, suppressed: true })
      if (x.value !== null) expect(x.value).toBe(internal.value)
      expect(x.suppressed).toBe(internal.hiddenOutside !== undefined && internal.hiddenOutside !== null)
    }
    // The analyst sees the same cell, marked as hidden outside.
    expect(analyst.get(own[1]!.id)).toMatchObject({ value: 4, hiddenOutside: 'primary' })
    const week11 = await values(local, 'stadsomrade', '2026-W11')
    expect(week11.body.values.find((x: any) => x.areaId === otherStadsomrade)).toMatchObject({ value: null, suppressed: true })
  })

  it('rewrites the sums on edit and delete, refuses stale versions, and drops a week with no report left', async () => {
    const list = (await send(local, 'GET', `/api/field-reports?area=${own[0]!.id}`)).body
    const three = list.find((r: any) => r.count === 3)
    const stale = await send(local, 'PATCH', `/api/field-reports/${three.id}`, { version: 7, count: 10 })
    expect(stale.status).toBe(409)
    const pnr = await send(local, 'PATCH', `/api/field-reports/${three.id}`, { version: 1, text: 'Anmälare 121212-1212' })
    expect(pnr.status).toBe(422)
    expect(fields(pnr)).toEqual(['text'])
    const edited = await send(local, 'PATCH', `/api/field-reports/${three.id}`, { version: 1, count: 10 })
    expect(edited.status).toBe(200)
    expect(edited.body).toMatchObject({ count: 10, version: 2 })
    let v = new Map<number, number>((await values(app, 'primaromrade')).body.values.map((x: any) => [x.areaId, x.value]))
    expect(v.get(own[0]!.id)).toBe(12)
    // Moved to another week: both weeks are rewritten.
    expect((await send(local, 'PATCH', `/api/field-reports/${three.id}`, { version: 2, week: '2026-W11' })).status).toBe(200)
    v = new Map((await values(app, 'primaromrade')).body.values.map((x: any) => [x.areaId, x.value]))
    expect(v.get(own[0]!.id)).toBe(2)
    expect((await values(app, 'stadsomrade', '2026-W11')).body.city.value).toBe(11)

    // Week 11 loses its reports: its observations go with them.
    const w11 = (await send(app, 'GET', '/api/field-reports?week=2026-W11')).body
    expect((await send(local, 'DELETE', `/api/field-reports/${three.id}?version=2`)).status).toBe(409)
    for (const r of w11) expect((await send(app, 'DELETE', `/api/field-reports/${r.id}?version=${r.version}`)).status).toBe(204)
    const left = await db.kysely.selectFrom('observations').select('id').where('indicator_id', '=', 'trygghetsrapporter').where('period', '=', '2026-W11').execute()
    expect(left).toEqual([])
    expect((await send(app, 'GET', '/api/field-reports?week=2026-W11')).body).toEqual([])
    const deletes = await db.kysely.selectFrom('audit_log').select('action').where('entity', '=', 'field_report').where('action', '=', 'delete').execute()
    expect(deletes).toHaveLength(2)
    // The import log keeps as current only the report writes whose figures still stand.
    const logs = await db.kysely.selectFrom('import_log').select(['id', 'replaced_at']).where('kind', '=', 'field_reports').execute()
    const holding = new Set((await db.kysely.selectFrom('observations').select('import_id').where('indicator_id', '=', 'trygghetsrapporter').distinct().execute()).map((o) => o.import_id))
    // (and the latest write, which may have emptied its week).
    const latest = Math.max(...logs.map((l) => l.id))
    expect(logs.filter((l) => l.replaced_at === null).map((l) => l.id).sort((x, y) => x - y)).toEqual([...new Set([...holding, latest])].sort((x, y) => x - y))
  })

  it('keeps a category in use: deactivated, not deleted, and refused for new reports', async () => {
    const used = await send(local, 'POST', '/api/field-reports', report({ areaId: own[2]!.id, count: 2, week: '2026-W09' }))
    expect(used.status).toBe(201)
    const del = await send(app, 'DELETE', '/api/field-reports/categories/skadegorelse')
    expect(del.status).toBe(409)
    expect(fields(del)).toEqual(['id'])
    const off = await send(app, 'PATCH', '/api/field-reports/categories/skadegorelse', { active: false })
    expect(off.body).toMatchObject({ active: false, inUse: true })
    const refused = await send(local, 'POST', '/api/field-reports', report({}))
    expect(refused.status).toBe(422)
    expect(fields(refused)).toEqual(['category'])
    // A report that already has it keeps it through an edit.
    const kept = await send(local, 'PATCH', `/api/field-reports/${used.body.id}`, { version: 1, count: 3 })
    expect(kept.status).toBe(200)
    expect(kept.body).toMatchObject({ category: 'skadegorelse', count: 3 })
    expect((await send(app, 'PATCH', '/api/field-reports/categories/skadegorelse', { active: true })).body.active).toBe(true)
  })

  it('keeps imports away from the indicator: its figures are only the reports', async () => {
    const csv = `indicator,layer,area_code,period,value\ntrygghetsrapporter,stadsomrade,${localCode},2026-W12,99\n`
    const res = await fetch(`${app.url}/api/imports/observations`, { method: 'POST', headers: { ...app.headers(), 'Content-Type': 'text/csv' }, body: csv })
    expect(res.status).toBe(422)
  })
})
