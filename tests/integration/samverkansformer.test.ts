import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { send, startApp, type Client, type RunningApp } from '../helpers/http'

/**
 * The samverkansformer register (issue 17): agreement, parties and status, versioned; a status change is
 * the city-wide group's decision; local adaptations per stadsområde; the decisions and measures that name one.
 */
describe.each(testEngines())('samverkansformer register on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let local: Client
  let admin: Client
  let anonymous: Client
  let localCode: string
  let otherCode: string

  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    local = await app.as('local')
    admin = await app.as('admin')
    anonymous = await app.as('public')
    localCode = (await db.kysely.selectFrom('users').select('stadsomrade_code').where('role', '=', 'local').where('stadsomrade_code', 'is not', null).executeTakeFirstOrThrow()).stadsomrade_code!
    const areas = (await send(app, 'GET', '/api/areas')).body
    otherCode = areas.find((a: any) => a.layer === 'stadsomrade' && a.code !== localCode).code
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const lastAudit = () => db.kysely.selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
  const auditCount = async () => Number((await db.kysely.selectFrom('audit_log').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
  const fields = (res: { body: any }) => res.body.error.details.map((d: any) => d.field)
  const decide = async (group: string, text: string) => {
    const res = await send(app, 'POST', '/api/decisions', { date: '2026-02-01', group, text, affects: [] })
    expect(res.status).toBe(201)
    return res.body.id as number
  }

  it('lists the five with their agreement fields, for members only', async () => {
    const res = await send(local, 'GET', '/api/samverkansformer')
    expect(res.status).toBe(200)
    expect(res.body.map((s: any) => s.id).sort()).toEqual(['GVI', 'SIG', 'SSPF', 'organiserad_brottslighet', 'otillaten_paverkan'])
    for (const s of res.body) {
      expect(s).toMatchObject({ status: 'aktiv', version: 1, agreement: '', agreementRef: '' })
      expect(s.parties).toEqual(['Göteborgs Stad', 'Polismyndigheten'])
    }
    expect((await send(anonymous, 'GET', '/api/samverkansformer')).status).toBe(401)
    expect((await send(anonymous, 'GET', '/api/samverkansformer/SSPF')).status).toBe(401)
    expect((await send(local, 'GET', '/api/samverkansformer/finns_inte')).status).toBe(404)
  })

  it('revises the agreement as an analyst, versioned and audited; a local group may not', async () => {
    expect((await send(local, 'PATCH', '/api/samverkansformer/SIG', { version: 1, agreement: 'x' })).status).toBe(403)
    const before = await auditCount()
    const res = await send(app, 'PATCH', '/api/samverkansformer/SIG', { version: 1, agreement: 'Parterna åtar sig att …', agreementRef: 'Bilaga 3', parties: ['Göteborgs Stad', 'Polismyndigheten', 'Kriminalvården'] })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: 'SIG', version: 2, agreement: 'Parterna åtar sig att …', agreementRef: 'Bilaga 3', status: 'aktiv' })
    expect(res.body.parties).toEqual(['Göteborgs Stad', 'Polismyndigheten', 'Kriminalvården'])
    expect(await auditCount()).toBe(before + 1)
    const audit = await lastAudit()
    expect(audit).toMatchObject({ entity: 'samverkansform', entity_id: 'SIG', action: 'update' })
    expect((await send(local, 'GET', '/api/samverkansformer/SIG')).body.agreementRef).toBe('Bilaga 3')
    // The list carries the same fields.
    expect((await send(local, 'GET', '/api/samverkansformer')).body.find((s: any) => s.id === 'SIG')).toMatchObject({ version: 2, agreementRef: 'Bilaga 3' })
  })

  it('refuses a stale save naming what changed, and bad fields per field', async () => {
    const stale = await send(admin, 'PATCH', '/api/samverkansformer/SIG', { version: 1, description: 'Ny beskrivning' })
    expect(stale.status).toBe(409)
    expect(fields(stale).sort()).toEqual(['agreement', 'agreementRef', 'parties'])
    const bad = await send(app, 'PATCH', '/api/samverkansformer/SIG', { version: 2, description: '', parties: ['A', 'A'], status: 'pausad' })
    expect(bad.status).toBe(422)
    expect(fields(bad).sort()).toEqual(['description', 'parties', 'status'])
    expect((await send(app, 'PATCH', '/api/samverkansformer/SIG', { description: 'x' })).status).toBe(422)
  })

  it('changes status only with a decision of Ledningsgrupp Trygg i Göteborg, which is then linked', async () => {
    const count = await auditCount()
    const none = await send(app, 'PATCH', '/api/samverkansformer/GVI', { version: 1, status: 'vilande' })
    expect(none.status).toBe(422)
    expect(fields(none)).toEqual(['decisionId'])
    const localDecision = await decide(`lokal:${localCode}`, 'Lokal ledningsgrupp vill pausa GVI.')
    const wrong = await send(app, 'PATCH', '/api/samverkansformer/GVI', { version: 1, status: 'vilande', decisionId: localDecision })
    expect(wrong.status).toBe(422)
    expect(fields(wrong)).toEqual(['decisionId'])
    expect((await send(app, 'PATCH', '/api/samverkansformer/GVI', { version: 1, status: 'vilande', decisionId: 999999 })).status).toBe(422)
    expect(await auditCount()).toBe(count + 1) // only the local decision itself

    const city = await decide('trygg_i_goteborg', 'GVI vilar under 2026 i väntan på utvärdering.')
    const ok = await send(app, 'PATCH', '/api/samverkansformer/GVI', { version: 1, status: 'vilande', decisionId: city })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ status: 'vilande', version: 2 })
    expect(ok.body.decisions).toEqual([{ id: city, date: '2026-02-01', group: 'trygg_i_goteborg', groupName: 'Ledningsgrupp Trygg i Göteborg', text: 'GVI vilar under 2026 i väntan på utvärdering.' }])
    expect(await lastAudit()).toMatchObject({ entity: 'samverkansform', entity_id: 'GVI' })
    // The register now shows the decision as naming GVI.
    const named = (await send(local, 'GET', '/api/decisions?kind=samverkansform&ref=GVI')).body
    expect(named.map((d: any) => d.id)).toEqual([city])
  })

  it('lists the register decisions that name it, of any group', async () => {
    const res = await send(app, 'POST', '/api/decisions', { date: '2026-03-01', group: `lokal:${localCode}`, text: 'SSPF införs lokalt.', affects: [{ kind: 'samverkansform', id: 'SSPF' }] })
    expect(res.status).toBe(201)
    const sspf = (await send(local, 'GET', '/api/samverkansformer/SSPF')).body
    expect(sspf.decisions.map((d: any) => d.id)).toContain(res.body.id)
    expect(sspf.decisions.find((d: any) => d.id === res.body.id).groupName).toMatch(/^Ledningsgrupp Trygg i /)
  })

  it('lists the measures that run in it', async () => {
    const [first] = await db.kysely.selectFrom('measures').select('id').orderBy('id').limit(1).execute()
    expect(first).toBeDefined()
    await db.kysely.updateTable('measures').set({ samverkansform: 'otillaten_paverkan' }).where('id', '=', first!.id).execute()
    const expected = (await send(local, 'GET', '/api/measures?samverkansform=otillaten_paverkan')).body
    const res = (await send(local, 'GET', '/api/samverkansformer/otillaten_paverkan')).body
    expect(res.measures.map((m: any) => m.id).sort()).toEqual(expected.map((m: any) => m.id).sort())
    const m = res.measures.find((x: any) => x.id === first!.id)
    const full = expected.find((x: any) => x.id === first!.id)
    expect(m).toMatchObject({ title: full.title, status: full.status, followUps: full.followUp.length })
    expect(m.areaIds.sort()).toEqual([...full.areaIds].sort())
  })

  it('keeps local adaptations per stadsområde: analysts any, a local group its own', async () => {
    const before = (await send(local, 'GET', '/api/samverkansformer/SSPF')).body
    expect(before.adaptations.length).toBeGreaterThan(1)
    expect(before.adaptations.find((a: any) => a.stadsomradeCode === localCode)).toMatchObject({ text: '', updatedAt: null, editable: true })
    expect(before.adaptations.find((a: any) => a.stadsomradeCode === otherCode).editable).toBe(false)

    const own = await send(local, 'PUT', `/api/samverkansformer/SSPF/adaptations/${localCode}`, { text: 'Träffar varannan vecka på skolan.' })
    expect(own.status).toBe(200)
    expect(own.body.adaptations.find((a: any) => a.stadsomradeCode === localCode).text).toBe('Träffar varannan vecka på skolan.')
    expect(await lastAudit()).toMatchObject({ entity: 'samverkansform_adaptation', entity_id: `SSPF:${localCode}`, action: 'create' })

    const count = await auditCount()
    const other = await send(local, 'PUT', `/api/samverkansformer/SSPF/adaptations/${otherCode}`, { text: 'Inte mitt område' })
    expect(other.status).toBe(403)
    expect(await auditCount()).toBe(count)
    expect((await send(anonymous, 'PUT', `/api/samverkansformer/SSPF/adaptations/${otherCode}`, { text: 'x' })).status).toBe(401)
    expect((await send(app, 'PUT', `/api/samverkansformer/SSPF/adaptations/finns_inte`, { text: 'x' })).status).toBe(404)
    expect(fields(await send(app, 'PUT', `/api/samverkansformer/SSPF/adaptations/${otherCode}`, { text: 5 }))).toEqual(['text'])

    const analyst = await send(app, 'PUT', `/api/samverkansformer/SSPF/adaptations/${otherCode}`, { text: 'Samordnare i stadsområdet.' })
    expect(analyst.status).toBe(200)
    expect(analyst.body.adaptations.find((a: any) => a.stadsomradeCode === otherCode).editable).toBe(true)
    const removed = await send(app, 'PUT', `/api/samverkansformer/SSPF/adaptations/${otherCode}`, { text: '' })
    expect(removed.body.adaptations.find((a: any) => a.stadsomradeCode === otherCode)).toMatchObject({ text: '', updatedAt: null })
    expect(await lastAudit()).toMatchObject({ entity: 'samverkansform_adaptation', action: 'delete' })
  })
})
