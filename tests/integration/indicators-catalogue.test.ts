import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { post, send, startApp, type Client, type RunningApp } from '../helpers/http'

/** A valid new indicator; `over` replaces fields. */
const definition = (over: Record<string, unknown> = {}) => ({
  id: 'kontroller_trafik',
  name: 'Trafikkontroller',
  description: 'Polisens trafikkontroller per område.',
  unit: 'count',
  category: 'aktivitet',
  polarity: 'neutral',
  source: 'Polisen region Väst',
  licence: 'CC BY 4.0',
  minPublishCount: 5,
  survey: false,
  ...over,
})

describe.each(testEngines())('the indicator catalogue on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let local: Client
  let pub: Client
  let primar: Array<{ id: number; code: string; name: string }>
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    local = await app.as('local')
    pub = await app.as('public')
    primar = (await app.get('/api/areas')).body.filter((a: any) => a.layer === 'primaromrade').slice(0, 20)
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const indicatorRows = async () => (await db.kysely.selectFrom('indicators').select('id').execute()).length
  const auditOf = (id: string) => db.kysely.selectFrom('audit_log').selectAll().where('entity', '=', 'indicator').where('entity_id', '=', id).orderBy('id').execute()
  const catalogueEntry = async (id: string) => (await app.get('/api/indicators')).body.find((i: any) => i.id === id)
  /** A table of counts for some primärområden, as the observations import reads it. */
  const table = (id: string, period: string, values: number[]) =>
    ['indicator,layer,area_code,period,value', ...values.map((v, i) => `${id},primaromrade,${primar[i]!.code},${period},${v}`)].join('\n') + '\n'

  it('creates an indicator (201), lists it with licence, survey, version and updatedAt, and audits it', async () => {
    const res = await send(app, 'POST', '/api/indicators', definition())
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ ...definition(), version: 1, demo: false, periods: [], layers: [] })
    expect(Date.parse(res.body.updatedAt)).not.toBeNaN()
    expect(await catalogueEntry('kontroller_trafik')).toEqual(res.body)
    // Everyone reads the catalogue, the new fields included.
    expect((await pub.get('/api/indicators')).body.find((i: any) => i.id === 'kontroller_trafik')).toMatchObject({ licence: 'CC BY 4.0', survey: false, version: 1 })
    const audit = await auditOf('kontroller_trafik')
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ action: 'create', user_email: 'analytiker@demo.lagesbild.se' })
    expect(audit[0]!.after).toMatchObject({ name: 'Trafikkontroller', unit: 'count', version: 1 })
  })

  it('defaults polarity by category (aktivitet: neutral), threshold 5, no licence, not a survey', async () => {
    const { polarity: _p, minPublishCount: _m, licence: _l, survey: _s, description: _d, ...bare } = definition({ id: 'narkotika_beslag' })
    const res = await send(app, 'POST', '/api/indicators', bare)
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ polarity: 'neutral', minPublishCount: 5, licence: '', survey: false, description: '' })
    const skydd = await send(app, 'POST', '/api/indicators', { ...bare, id: 'fritidsgardar', category: 'skyddsfaktor', name: 'Fritidsgårdar' })
    expect(skydd.body.polarity).toBe('higher_is_better')
  })

  it('refuses a taken id with 409 naming id, and the demo prefix with 422', async () => {
    const taken = await send(app, 'POST', '/api/indicators', definition())
    expect(taken.status).toBe(409)
    expect(taken.body.error.details).toEqual([expect.objectContaining({ field: 'id' })])
    const demo = await send(app, 'POST', '/api/indicators', definition({ id: 'demo_kontroller' }))
    expect(demo.status).toBe(422)
    expect(demo.body.error.details).toEqual([expect.objectContaining({ field: 'id', message: expect.stringMatching(/demo_/) })])
  })

  it('refuses bad input with 422 naming each field in Swedish, and writes nothing', async () => {
    const before = { indicators: await indicatorRows(), audit: (await db.kysely.selectFrom('audit_log').select('id').execute()).length }
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ id: 'Stora Bokstäver' }, 'id'],
      [{ id: '1_borjar_med_siffra' }, 'id'],
      [{ id: 'x'.repeat(65) }, 'id'],
      [{ name: '' }, 'name'],
      [{ unit: 'liter' }, 'unit'],
      [{ category: 'trafik' }, 'category'],
      [{ polarity: 'upp' }, 'polarity'],
      [{ source: '' }, 'source'],
      [{ minPublishCount: 0 }, 'minPublishCount'],
      [{ minPublishCount: 2.5 }, 'minPublishCount'],
      [{ survey: 'ja' }, 'survey'],
      // Cross-field rules: a survey estimate is a share; an aktivitet is neither better nor worse.
      [{ survey: true }, 'survey'],
      [{ polarity: 'higher_is_worse' }, 'polarity'],
    ]
    for (const [over, field] of cases) {
      const res = await send(app, 'POST', '/api/indicators', definition({ id: 'ny_indikator', ...over }))
      expect(res.status, JSON.stringify(over)).toBe(422)
      expect(res.body.error.details.map((d: any) => d.field), JSON.stringify(over)).toEqual([field])
      // Swedish: å, ä, ö or a Swedish word, never zod's English.
      expect(res.body.error.details[0].message).not.toMatch(/\b(expected|invalid|required)\b/i)
    }
    // Several at once: one answer names them all.
    const many = await send(app, 'POST', '/api/indicators', definition({ id: 'demo_x', unit: 'liter', survey: true, minPublishCount: -1 }))
    expect(many.body.error.details.map((d: any) => d.field).sort()).toEqual(['id', 'minPublishCount', 'survey', 'unit'])
    expect(await indicatorRows()).toBe(before.indicators)
    expect((await db.kysely.selectFrom('audit_log').select('id').execute()).length).toBe(before.audit)
    // A survey share is fine.
    const share = await send(app, 'POST', '/api/indicators', definition({ id: 'trygg_park', name: 'Trygg i parken', unit: 'percent', category: 'otrygghet', polarity: 'higher_is_better', survey: true }))
    expect(share.status).toBe(201)
  })

  it('refuses local groups (403) and the public (401), and writes nothing', async () => {
    const count = await indicatorRows()
    for (const [who, status] of [[local, 403], [pub, 401]] as const) {
      expect((await send(who, 'POST', '/api/indicators', definition({ id: 'lokal' }))).status).toBe(status)
      expect((await send(who, 'PATCH', '/api/indicators/kontroller_trafik', { version: 1, name: 'Lokal' })).status).toBe(status)
      expect((await send(who, 'DELETE', '/api/indicators/kontroller_trafik?version=1')).status).toBe(status)
      expect((await send(who, 'GET', '/api/indicators/kontroller_trafik/history')).status).toBe(status)
    }
    expect(await indicatorRows()).toBe(count)
    expect((await catalogueEntry('kontroller_trafik')).name).toBe('Trafikkontroller')
  })

  it('edits at the version read: history, audit with before and after; a stale version gets 409 with what changed', async () => {
    const edited = await send(app, 'PATCH', '/api/indicators/kontroller_trafik', { version: 1, name: 'Trafikkontroller (polisen)', licence: 'CC0' })
    expect(edited.status).toBe(200)
    expect(edited.body).toMatchObject({ id: 'kontroller_trafik', name: 'Trafikkontroller (polisen)', licence: 'CC0', unit: 'count', version: 2 })

    const stale = await send(app, 'PATCH', '/api/indicators/kontroller_trafik', { version: 1, minPublishCount: 3 })
    expect(stale.status).toBe(409)
    const byField = Object.fromEntries(stale.body.error.details.map((d: any) => [d.field, d.message]))
    expect(Object.keys(byField).sort()).toEqual(['licence', 'name'])
    expect(byField.name).toMatch(/namn har ändrats: nu "Trafikkontroller \(polisen\)" \(var "Trafikkontroller"\)/)
    expect(byField.licence).toMatch(/nu "CC0" \(var "CC BY 4.0"\)/)
    expect((await catalogueEntry('kontroller_trafik')).minPublishCount).toBe(5)

    // Saving what is there already is no new version.
    const same = await send(app, 'PATCH', '/api/indicators/kontroller_trafik', { version: 2, name: 'Trafikkontroller (polisen)' })
    expect(same.body.version).toBe(2)
    // The id never changes; the rules hold for the merged definition.
    expect((await send(app, 'PATCH', '/api/indicators/kontroller_trafik', { version: 2, id: 'annat_id' })).body.error.details[0].field).toBe('id')
    expect((await send(app, 'PATCH', '/api/indicators/kontroller_trafik', { version: 2, survey: true })).body.error.details[0].field).toBe('survey')
    expect((await send(app, 'PATCH', '/api/indicators/kontroller_trafik', { version: 2, minPublishCount: 0 })).body.error.details[0].field).toBe('minPublishCount')
    expect((await send(app, 'PATCH', '/api/indicators/okand', { version: 1, name: 'Okänd' })).status).toBe(404)

    // No values yet: the unit may change.
    const unit = await send(app, 'PATCH', '/api/indicators/kontroller_trafik', { version: 2, unit: 'rate_per_1000' })
    expect(unit.body).toMatchObject({ unit: 'rate_per_1000', version: 3 })
    const back = await send(app, 'PATCH', '/api/indicators/kontroller_trafik', { version: 3, unit: 'count' })
    expect(back.body.version).toBe(4)

    const history = await app.get('/api/indicators/kontroller_trafik/history')
    expect(history.status).toBe(200)
    expect(history.body.map((v: any) => v.version)).toEqual([4, 3, 2, 1])
    expect(history.body.map((v: any) => v.current)).toEqual([true, false, false, false])
    expect(history.body[3].definition).toMatchObject({ name: 'Trafikkontroller', licence: 'CC BY 4.0', unit: 'count' })
    expect(history.body[2].definition).toMatchObject({ name: 'Trafikkontroller (polisen)', licence: 'CC0' })
    expect(history.body[1].definition.unit).toBe('rate_per_1000')
    expect(history.body.every((v: any) => v.savedBy === 'analytiker@demo.lagesbild.se')).toBe(true)

    const audit = (await auditOf('kontroller_trafik')).filter((a) => a.action === 'update')
    expect(audit).toHaveLength(3)
    expect(audit[0]!.before).toMatchObject({ name: 'Trafikkontroller', version: 1 })
    expect(audit[0]!.after).toMatchObject({ name: 'Trafikkontroller (polisen)', licence: 'CC0', version: 2 })
  })

  it('keeps a seeded indicator’s first definition in its history when it is first edited', async () => {
    const ran = await catalogueEntry('demo_ran')
    expect((await app.get('/api/indicators/demo_ran/history')).body).toEqual([expect.objectContaining({ version: ran.version, current: true, savedBy: null })])
    const res = await send(app, 'PATCH', '/api/indicators/demo_ran', { version: ran.version, description: 'Rån enligt BRÅ:s definition.' })
    expect(res.status).toBe(200)
    const history = (await app.get('/api/indicators/demo_ran/history')).body
    expect(history.map((v: any) => [v.version, v.savedBy])).toEqual([[ran.version + 1, 'analytiker@demo.lagesbild.se'], [ran.version, null]])
    expect(history[1].definition.description).toBe(ran.description)
  })

  it('accepts values for a new indicator in the observations import, and then keeps its unit', async () => {
    const refused = await post(app, '/api/imports/observations', table('ny_kontroll', '2025', [12, 30]))
    expect(refused.status).toBe(422)
    expect(refused.body.error.details[0]).toMatchObject({ field: 'indicator', message: expect.stringMatching(/okänd indikator/) })

    expect((await send(app, 'POST', '/api/indicators', definition({ id: 'ny_kontroll', name: 'Kontroller' }))).status).toBe(201)
    const imported = await post(app, '/api/imports/observations?filename=kontroller.csv', table('ny_kontroll', '2025', [12, 30, 44]))
    expect(imported.status).toBe(201)
    expect(imported.body).toMatchObject({ rowsRead: 3, rowsAccepted: 3 })
    const values = await app.get('/api/indicators/ny_kontroll/values?layer=primaromrade&period=2025')
    expect(values.status).toBe(200)
    expect(values.body.values.map((v: any) => [v.code, v.value])).toEqual(expect.arrayContaining([[primar[0]!.code, 12], [primar[1]!.code, 30], [primar[2]!.code, 44]]))
    const entry = await catalogueEntry('ny_kontroll')
    expect(entry.periods).toEqual(['2025'])
    expect(entry.layers.map((l: any) => l.layer)).toContain('primaromrade')

    const unit = await send(app, 'PATCH', '/api/indicators/ny_kontroll', { version: 1, unit: 'percent' })
    expect(unit.status).toBe(409)
    expect(unit.body.error.details).toEqual([expect.objectContaining({ field: 'unit', message: expect.stringMatching(/3 värden/) })])
    expect((await catalogueEntry('ny_kontroll')).unit).toBe('count')
  })

  it('shows a raised threshold in the figures at once: more cells hidden outside the analysts', async () => {
    const small = [2, 6, 7, 8, 9, 6, 7, 8, 9, 60, 70, 80, 90, 100]
    expect((await send(app, 'POST', '/api/indicators', definition({ id: 'gransprov', name: 'Gränsprov' }))).status).toBe(201)
    expect((await post(app, '/api/imports/observations', table('gransprov', '2025', small))).status).toBe(201)
    const url = '/api/indicators/gransprov/values?layer=primaromrade&period=2025'
    const shown = (body: any) => body.values.filter((v: any) => !v.suppressed).map((v: any) => v.value as number)

    const before = (await local.get(url)).body
    expect(before.suppression.threshold).toBe(5)
    // One below the new threshold that the public sees now (secondary suppression may hide some others).
    const between = before.values.find((v: any) => !v.suppressed && v.value < 10)
    expect(between).toBeDefined()
    const seriesUrl = `/api/indicators/gransprov/series?areas=${between.areaId}`
    expect((await local.get(seriesUrl)).body.series[0].points[0]).toMatchObject({ period: '2025', value: between.value, suppressed: false })

    const version = (await catalogueEntry('gransprov')).version
    expect((await send(app, 'PATCH', '/api/indicators/gransprov', { version, minPublishCount: 10 })).status).toBe(200)

    const after = (await local.get(url)).body
    expect(after.suppression.threshold).toBe(10)
    expect(shown(after).length).toBeGreaterThan(0)
    expect(shown(after).every((v: number) => v >= 10)).toBe(true)
    expect(after.values.filter((v: any) => v.suppressed).length).toBeGreaterThan(before.values.filter((v: any) => v.suppressed).length)
    expect((await local.get(seriesUrl)).body.series[0].points[0]).toMatchObject({ value: null, suppressed: true })
    // Analysts still see every value, now marked as hidden outside.
    const internal = (await app.get(url)).body
    expect(internal.values.find((v: any) => v.areaId === between.areaId)).toMatchObject({ value: between.value, hiddenOutside: 'primary' })
  })

  it('keeps a published snapshot’s frozen definition and figures after a rename and a new threshold', async () => {
    expect((await send(app, 'POST', '/api/indicators', definition({ id: 'frusen', name: 'Frusen' }))).status).toBe(201)
    expect((await post(app, '/api/imports/observations', table('frusen', '2025', [3, 6, 8, 40, 50, 60, 70]))).status).toBe(201)
    const created = await send(app, 'POST', '/api/snapshots', {
      title: 'Lägesbild med aktivitet',
      description: '',
      settings: { layer: 'primaromrade', indicator: 'frusen', period: '2025' },
      indicators: ['frusen'],
      layers: ['primaromrade'],
    })
    expect(created.status).toBe(201)
    const id = created.body.id
    expect((await send(app, 'POST', `/api/snapshots/${id}/publish`)).status).toBe(200)
    const indicatorsUrl = `/api/snapshots/${id}/indicators`
    const valuesUrl = `/api/snapshots/${id}/values?indicator=frusen&layer=primaromrade&period=2025`
    const frozenInfo = (await pub.get(indicatorsUrl)).body
    const frozenValues = (await pub.get(valuesUrl)).body
    expect(frozenInfo).toEqual([expect.objectContaining({ id: 'frusen', name: 'Frusen', minPublishCount: 5 })])
    // The meeting pack calls an aktivitet's difference neither worse nor better: it passes the neutral direction on.
    const meeting = await pub.get(`/api/snapshots/${id}/meeting?layer=primaromrade&area=${primar[4]!.id}&date=2026-03-01`)
    expect(meeting.status).toBe(200)
    expect(meeting.body.indicators).toEqual([expect.objectContaining({ indicator: 'frusen', category: 'aktivitet', polarity: 'neutral' })])

    const version = (await catalogueEntry('frusen')).version
    const edit = await send(app, 'PATCH', '/api/indicators/frusen', { version, name: 'Omdöpt', minPublishCount: 45 })
    expect(edit.status).toBe(200)
    // The live figures follow the edit…
    const live = (await local.get('/api/indicators/frusen/values?layer=primaromrade&period=2025')).body
    expect(live.suppression.threshold).toBe(45)
    // …the published snapshot does not.
    expect((await pub.get(indicatorsUrl)).body).toEqual(frozenInfo)
    expect((await pub.get(valuesUrl)).body).toEqual(frozenValues)
    expect(frozenValues.suppression.threshold).toBe(5)
    expect(frozenValues.values.filter((v: any) => !v.suppressed).map((v: any) => v.value)).toEqual(expect.arrayContaining([40, 50]))
  })

  it('deletes only an unused indicator at the version read; otherwise 409 naming what holds it', async () => {
    const withValues = await send(app, 'DELETE', '/api/indicators/ny_kontroll?version=1')
    expect(withValues.status).toBe(409)
    expect(withValues.body.error.details).toEqual([expect.objectContaining({ field: 'values', message: expect.stringMatching(/3 värden/) })])

    expect((await send(app, 'POST', '/api/indicators', definition({ id: 'att_ta_bort', name: 'Att ta bort' }))).status).toBe(201)
    // A measure follows it up.
    const cycles = (await app.get('/api/cycles')).body
    const problemArea = (await app.get(`/api/cycles/${cycles.find((c: any) => c.current).id}/problem-areas`)).body[0]
    const measure = await send(app, 'POST', '/api/measures', {
      title: 'Fler kontroller',
      problemAreaId: problemArea.id,
      purpose: 'brottsforebyggande',
      prevention: 'situationell',
      level: 'operativ',
      owners: ['polisen'],
      areaIds: [primar[0]!.id],
      status: 'planerad',
      startDate: '2025-01-01',
      followUp: [{ indicatorId: 'att_ta_bort', baselinePeriod: '2024', target: 20, targetPeriod: '2025' }],
    })
    expect(measure.status).toBe(201)
    const byMeasure = await send(app, 'DELETE', '/api/indicators/att_ta_bort?version=1')
    expect(byMeasure.status).toBe(409)
    expect(byMeasure.body.error.details).toEqual([expect.objectContaining({ field: 'measures', message: expect.stringMatching(/Fler kontroller/) })])
    expect((await send(app, 'DELETE', `/api/measures/${measure.body.id}?version=${measure.body.version}`)).status).toBe(204)

    // A problem area follows it (linked in the priorities' data).
    await db.kysely.insertInto('problem_area_indicators').values({ problem_area_id: problemArea.id, indicator_id: 'att_ta_bort' }).execute()
    const byProblemArea = await send(app, 'DELETE', '/api/indicators/att_ta_bort?version=1')
    expect(byProblemArea.status).toBe(409)
    expect(byProblemArea.body.error.details).toEqual([expect.objectContaining({ field: 'problemAreas', message: expect.stringContaining(problemArea.title) })])
    expect(await db.kysely.selectFrom('problem_area_indicators').select('indicator_id').where('indicator_id', '=', 'att_ta_bort').execute()).toHaveLength(1)
    await db.kysely.deleteFrom('problem_area_indicators').where('indicator_id', '=', 'att_ta_bort').execute()

    const stale = await send(app, 'PATCH', '/api/indicators/att_ta_bort', { version: 1, name: 'Att ta bort nu' })
    expect(stale.status).toBe(200)
    const staleDelete = await send(app, 'DELETE', '/api/indicators/att_ta_bort?version=1')
    expect(staleDelete.status).toBe(409)
    expect(staleDelete.body.error.details.map((d: any) => d.field)).toEqual(['name'])
    expect((await send(app, 'DELETE', '/api/indicators/att_ta_bort')).status).toBe(400)

    expect((await send(app, 'DELETE', '/api/indicators/att_ta_bort?version=2')).status).toBe(204)
    expect(await catalogueEntry('att_ta_bort')).toBeUndefined()
    expect(await db.kysely.selectFrom('indicator_history').select('version').where('indicator_id', '=', 'att_ta_bort').execute()).toEqual([])
    const audit = await auditOf('att_ta_bort')
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'delete'])
    expect(audit[2]!.before).toMatchObject({ name: 'Att ta bort nu', version: 2 })
    expect((await app.get('/api/indicators/att_ta_bort/history')).status).toBe(404)
  })
})
