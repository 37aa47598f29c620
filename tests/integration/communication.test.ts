import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { readCsv } from '../../server/core/csv'
import { testEngines } from '../helpers/engines'
import { insertCountIndicator, measureBody } from '../helpers/fixtures'
import { post, send, startApp, type Client, type RunningApp } from '../helpers/http'

const INDICATOR = 'test_skjutningar'

/** Signs in with any account over HTTP, as the browser would. */
async function signInAs(url: string, email: string, password: string): Promise<Client> {
  const res = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) })
  if (res.status !== 200) throw new Error(`sign-in as ${email} failed: ${res.status}`)
  const h = { Cookie: res.headers.get('set-cookie')!.split(';')[0]!, 'X-CSRF-Token': ((await res.json()) as { csrfToken: string }).csrfToken }
  return {
    url,
    role: 'analyst',
    headers: () => ({ ...h }),
    async get(path) {
      const r = await fetch(url + path, { headers: h })
      return { status: r.status, body: await r.json(), headers: r.headers }
    },
    as: () => {
      throw new Error('not a demo client')
    },
  }
}

/** Joint communication (issue 17): the communication plan, the two-party statement and the public page per stadsområde. */
describe.each(testEngines())('joint communication on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let staden: Client
  let polisen: Client
  let admin: Client
  let local: Client
  let anonymous: Client
  let published: number
  let draft: number
  let areaCodes: string[]
  let hisingen: { id: number; code: string }

  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    staden = app
    admin = await app.as('admin')
    local = await app.as('local')
    anonymous = await app.as('public')
    const created = await send(admin, 'POST', '/api/users', { email: 'polis@test.se', name: 'Polisens analytiker', password: 'ett-langt-losenord', role: 'analyst', organisation: 'polisen' })
    expect(created.status).toBe(201)
    polisen = await signInAs(app.url, 'polis@test.se', 'ett-langt-losenord')

    // Small counts per stadsområde, so that the published lägesbild hides some of them.
    await insertCountIndicator(db, INDICATOR, 'Skjutningar (test)', 5)
    const areas = (await send(app, 'GET', '/api/areas')).body.filter((a: any) => a.layer === 'stadsomrade')
    areaCodes = areas.map((a: any) => a.code)
    hisingen = areas.find((a: any) => a.name === 'Hisingen')
    const counts = [2, 40, 7, 55]
    const rows = areas.flatMap((a: any, i: number) => [`${INDICATOR};stadsomrade;${a.code};2025;${counts[i % 4]}`, `${INDICATOR};stadsomrade;${a.code};2024;${counts[(i + 1) % 4]! + 1}`])
    expect((await post(app, '/api/imports/observations', ['indicator;layer;area_code;period;value', ...rows].join('\n'))).status).toBe(201)

    const cycles = (await send(app, 'GET', '/api/cycles')).body
    const problemAreas = (await send(app, 'GET', `/api/cycles/${cycles.find((c: any) => c.current).id}/problem-areas`)).body
    const measure = await send(app, 'POST', '/api/measures', measureBody({ title: 'Trygghetsvandringar på Hisingen', problemAreaId: problemAreas[0].id, areaIds: [hisingen.id], startDate: '2026-03-01' }))
    expect(measure.status).toBe(201)

    const snap = await send(app, 'POST', '/api/snapshots', { title: 'Lägesbild 2026 (test)', indicators: [INDICATOR, 'demo_ran'] })
    expect(snap.status).toBe(201)
    published = snap.body.id
    expect((await send(app, 'POST', `/api/snapshots/${published}/publish`)).status).toBe(200)
    draft = (await send(app, 'POST', '/api/snapshots', { title: 'Utkast (test)', indicators: [INDICATOR] })).body.id
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const lastAudit = () => db.kysely.selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
  const statement = (c: Client, id = published) => send(c, 'GET', `/api/snapshots/${id}/statement`)
  const approve = (c: Client, body: unknown = {}, id = published) => send(c, 'POST', `/api/snapshots/${id}/statement/approve`, body)

  it('keeps a versioned communication plan: members read it, analysts save it, a stale save is refused', async () => {
    const empty = await send(local, 'GET', '/api/communication-plan')
    expect(empty.status).toBe(200)
    expect(empty.body).toMatchObject({ version: 0, rows: [] })
    expect((await send(anonymous, 'GET', '/api/communication-plan')).status).toBe(401)
    const rows = [
      { topic: 'Skjutningar', organisation: 'polisen', function: 'Presstjänsten, Polisregion Väst', contact: '114 14' },
      { topic: 'Skjutningar', organisation: 'staden', function: 'Stadsledningskontorets kommunikatör' },
      { topic: 'Lägesbilden', organisation: 'staden', function: 'Planeringsledare Trygg i Göteborg', contact: 'trygg@goteborg.se' },
      { topic: 'Trygghetsvandringar', organisation: 'staden', function: 'Utvecklingsledare i stadsområdet' },
    ]
    expect((await send(local, 'PUT', '/api/communication-plan', { version: 0, rows })).status).toBe(403)

    const bad = await send(staden, 'PUT', '/api/communication-plan', { version: 0, rows: [{ topic: '', organisation: 'kommunen', function: 'x' }, rows[0]] })
    expect(bad.status).toBe(422)
    expect(bad.body.error.details.map((d: any) => d.field).sort()).toEqual(['rows.0.organisation', 'rows.0.topic'])
    const twice = await send(staden, 'PUT', '/api/communication-plan', { version: 0, rows: [rows[0], rows[1], rows[0]] })
    expect(twice.status).toBe(422)
    expect(twice.body.error.details).toEqual([{ field: 'rows.2.topic', message: 'Skjutningar har redan en rad för polisen' }])
    expect((await send(local, 'GET', '/api/communication-plan')).body.version).toBe(0)

    const saved = await send(staden, 'PUT', '/api/communication-plan', { version: 0, rows })
    expect(saved.status).toBe(200)
    expect(saved.body).toMatchObject({ version: 1, updatedBy: 'analytiker@demo.lagesbild.se' })
    expect(saved.body.rows).toEqual(rows.map((r) => ({ contact: '', ...r })))
    const audit = await lastAudit()
    expect(audit).toMatchObject({ entity: 'communication_plan', action: 'create', user_email: 'analytiker@demo.lagesbild.se' })

    const stale = await send(polisen, 'PUT', '/api/communication-plan', { version: 0, rows: rows.slice(0, 1) })
    expect(stale.status).toBe(409)
    expect(stale.body.error.details[0].field).toBe('version')
    const second = await send(polisen, 'PUT', '/api/communication-plan', { version: 1, rows: rows.slice(0, 3) })
    expect(second.body.version).toBe(2)
    expect((await send(local, 'GET', '/api/communication-plan')).body.rows).toHaveLength(3)
    expect(await lastAudit()).toMatchObject({ entity: 'communication_plan', action: 'update', user_email: 'polis@test.se' })
  })

  it('needs one approval from staden and one from polisen before anyone without an account sees the statement', async () => {
    expect((await statement(anonymous)).status).toBe(404)
    expect((await send(local, 'POST', `/api/snapshots/${published}/statement`, { text: 'Kapad' })).status).toBe(403)
    expect((await send(staden, 'POST', `/api/snapshots/${published}/statement`, { text: '  ' })).body.error.details[0].field).toBe('text')

    const written = await send(staden, 'POST', `/api/snapshots/${published}/statement`, { text: 'Staden och polisen ser en minskning av skjutningar.' })
    expect(written.status).toBe(200)
    expect(written.body).toMatchObject({ version: 1, approvals: [], approved: false, updatedBy: 'analytiker@demo.lagesbild.se' })
    expect(await lastAudit()).toMatchObject({ entity: 'statement', action: 'create', entity_id: String(published) })

    // An account without organisation approves for no one; a local group member is not an approver at all.
    const noOrg = await approve(admin)
    expect(noOrg.status).toBe(403)
    expect(noOrg.body.error.message).toMatch(/staden eller polisen/)
    expect(noOrg.body.error.details[0].field).toBe('organisation')
    expect((await approve(local)).status).toBe(403)

    const first = await approve(staden, { version: 1 })
    expect(first.status).toBe(200)
    expect(first.body.approvals).toEqual([expect.objectContaining({ organisation: 'staden', email: 'analytiker@demo.lagesbild.se' })])
    expect(first.body.approved).toBe(false)
    expect((await statement(anonymous)).status).toBe(404)
    expect((await send(anonymous, 'GET', `/api/stadsomraden/${hisingen.code}`)).body.statement).toBeNull()

    const twice = await approve(staden)
    expect(twice.status).toBe(409)
    expect(twice.body.error.message).toMatch(/redan godkänd för staden/)
    expect((await approve(polisen, { version: 2 })).status).toBe(409)

    const both = await approve(polisen, { version: 1 })
    expect(both.status).toBe(200)
    expect(both.body.approved).toBe(true)
    expect(await lastAudit()).toMatchObject({ entity: 'statement', action: 'approve', user_email: 'polis@test.se' })

    const seen = await statement(anonymous)
    expect(seen.status).toBe(200)
    expect(seen.body).toMatchObject({ text: 'Staden och polisen ser en minskning av skjutningar.', approved: true })
    expect(seen.body.approvals.map((a: any) => a.organisation).sort()).toEqual(['polisen', 'staden'])
    // Who approved is for analysts; the public sees the parties and when.
    expect(JSON.stringify(seen.body)).not.toMatch(/@/)
    expect((await send(anonymous, 'GET', `/api/stadsomraden/${hisingen.code}`)).body.statement.text).toBe('Staden och polisen ser en minskning av skjutningar.')
  })

  it('withdraws both approvals when the text changes, and takes them back only for the new text', async () => {
    const same = await send(polisen, 'POST', `/api/snapshots/${published}/statement`, { text: 'Staden och polisen ser en minskning av skjutningar.' })
    expect(same.body).toMatchObject({ version: 1, approved: true })
    expect((await send(polisen, 'POST', `/api/snapshots/${published}/statement`, { text: 'Ny text', version: 0 })).status).toBe(409)

    const changed = await send(polisen, 'POST', `/api/snapshots/${published}/statement`, { text: 'Skjutningarna har minskat i tre av fyra stadsområden.', version: 1 })
    expect(changed.status).toBe(200)
    expect(changed.body).toMatchObject({ version: 2, approvals: [], approved: false })
    const audit = await lastAudit()
    expect(audit).toMatchObject({ entity: 'statement', action: 'update' })
    expect((audit.before as any).approvals.map((a: any) => a.organisation).sort()).toEqual(['polisen', 'staden'])
    expect((await statement(anonymous)).status).toBe(404)
    expect((await send(anonymous, 'GET', `/api/stadsomraden/${hisingen.code}`)).body.statement).toBeNull()

    expect((await approve(polisen)).status).toBe(200)
    expect((await approve(staden)).body.approved).toBe(true)
    expect((await statement(anonymous)).body.text).toBe('Skjutningarna har minskat i tre av fyra stadsområden.')
  })

  it('drafts a statement on an unpublished lägesbild but approves it only once published; the public does not see drafts', async () => {
    expect((await send(staden, 'POST', `/api/snapshots/${draft}/statement`, { text: 'Förslag' })).status).toBe(200)
    const early = await approve(staden, {}, draft)
    expect(early.status).toBe(409)
    expect(early.body.error.details[0]).toMatchObject({ field: 'id', message: 'inte publicerad' })
    expect((await statement(anonymous, draft)).status).toBe(404)
    expect((await send(anonymous, 'GET', `/api/stadsomraden/${hisingen.code}?snapshot=${draft}`)).status).toBe(404)
    expect((await send(anonymous, 'GET', `/api/snapshots/${draft}/stadsomraden/${hisingen.code}.csv`)).status).toBe(404)
    expect((await approve(staden, {}, 987654)).status).toBe(404)
  })

  it('gives the public page of a stadsområde in one call: published figures, the measures there, the statement', async () => {
    const page = await send(anonymous, 'GET', `/api/stadsomraden/${hisingen.code}`)
    expect(page.status).toBe(200)
    expect(page.body.snapshot).toMatchObject({ id: published, title: 'Lägesbild 2026 (test)' })
    expect(page.body.area).toMatchObject({ id: hisingen.id, code: hisingen.code, name: 'Hisingen' })
    expect(page.body.areas.map((a: any) => a.code).sort()).toEqual([...areaCodes].sort())
    const shootings = page.body.figures.find((f: any) => f.indicator === INDICATOR)
    expect(shootings.period).toBe('2025')
    const values = (await send(anonymous, 'GET', `/api/snapshots/${published}/values?indicator=${INDICATOR}&layer=stadsomrade&period=2025`)).body
    const frozen = values.values.find((v: any) => v.areaId === hisingen.id)
    expect({ value: shootings.value, suppressed: shootings.suppressed }).toEqual({ value: frozen.value, suppressed: frozen.suppressed })
    expect(page.body.priorities).toContainEqual(expect.objectContaining({ action: 'Trygghetsvandringar på Hisingen', status: 'pagaende', startDate: '2026-03-01', issue: expect.any(String) }))
    expect(page.body.priorities.every((p: any) => p.issue.length > 0)).toBe(true)
    expect(page.body.csvPath).toBe(`/api/snapshots/${published}/stadsomraden/${hisingen.code}.csv`)
    const elsewhere = await send(anonymous, 'GET', `/api/stadsomraden/${areaCodes.find((c) => c !== hisingen.code)}`)
    expect(elsewhere.body.priorities.some((p: any) => p.action === 'Trygghetsvandringar på Hisingen')).toBe(false)
    const unknown = await send(anonymous, 'GET', '/api/stadsomraden/atlantis')
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.details[0].field).toBe('code')
  })

  it('offers the figures as CSV with every hidden cell empty and flagged, never its number', async () => {
    let hidden = 0
    for (const code of areaCodes) {
      const res = await fetch(`${app.url}/api/snapshots/${published}/stadsomraden/${code}.csv`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/text\/csv/)
      expect(res.headers.get('content-disposition')).toMatch(/attachment/)
      const bytes = new Uint8Array(await res.arrayBuffer())
      const csv = await readCsv((async function* () {
        yield bytes
      })())
      const header = csv.header
      const rows: string[][] = []
      for await (const r of csv.rows) rows.push(r.values)
      const col = (name: string) => header.indexOf(name)
      expect(rows.length).toBeGreaterThan(0)
      for (const row of rows) {
        const [indicator, period] = [row[col('Indikator-id')]!, row[col('Period')]!]
        const publicValues = (await send(anonymous, 'GET', `/api/snapshots/${published}/values?indicator=${indicator}&layer=stadsomrade&period=${period}`)).body
        const v = publicValues.values.find((x: any) => x.code === code)
        if (v.suppressed) {
          hidden++
          expect(row[col('Värde')]).toBe('')
          expect(row[col('Dold')]).toBe('ja')
        } else {
          expect(row[col('Dold')]).toBe('nej')
          expect(Number(row[col('Värde')]!.replace(',', '.'))).toBeCloseTo(v.value, 6)
        }
      }
    }
    // The test data hide some cells: the check above has something to check.
    expect(hidden).toBeGreaterThan(0)
  })
})
