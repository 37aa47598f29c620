/**
 * Figures whose LP audit has not finished are withheld, never shown unaudited. With a budget of 0 the first
 * answer after a start can prove nothing: every part of the cube holding a hidden cell is withheld (analysts
 * see it marked 'unaudited'), the audit goes on in the background, and the final verdicts replace it. A
 * snapshot taken meanwhile waits for the final verdicts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { insertCountIndicator } from '../helpers/fixtures'
import { post, send, startApp, type Client, type RunningApp } from '../helpers/http'
import { weeklyIncidentsCsv, weeks } from '../helpers/weekly-incidents'

/** A lägesbild of one indicator on the primärområden. */
const freeze = (client: Client, title: string, indicator: string) =>
  send(client, 'POST', '/api/snapshots', {
    title,
    settings: { layer: 'primaromrade', indicator, period: '2025-02', classification: 'quantile', classes: 5 },
    indicators: [indicator],
    layers: ['primaromrade'],
  })

const PATH = '/api/indicators/test_inbrott/values?layer=primaromrade&period=2025-02'

describe.each(testEngines())('figures the disclosure audit has not finished, on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let local: Client
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db, { config: { lpAuditBudgetMs: 0 } })
    local = await app.as('local')
    // A new indicator's figures: those a published lägesbild holds (the demo's) keep their published state.
    await insertCountIndicator(db, 'test_inbrott', 'Inbrott (test)', 5)
    const csv = await weeklyIncidentsCsv(db, weeks(2025, 3, 11), (code) => (code.endsWith('1') ? 0 : code.endsWith('2') ? 9 : 2))
    expect((await post(app, '/api/imports/incidents?crs=EPSG:3006&map=R%C3%A5n:test_inbrott', csv)).status).toBe(201)
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  it('withholds them until the audit is done, then shows the final verdicts; a snapshot taken meanwhile waits for them', async () => {
    const first = (await local.get(PATH)).body
    expect(first.suppression.pending).toBe(true)
    const internal = (await app.get(PATH)).body
    expect(internal.suppression.pending).toBe(true)
    const withheld = internal.values.filter((v: any) => v.hiddenOutside === 'unaudited')
    expect(withheld.length).toBeGreaterThan(0)
    // Everything the analyst sees marked is null for the local group, the withheld figures included.
    const outside = new Map(first.values.map((v: any) => [v.areaId, v]))
    for (const v of internal.values) {
      const o: any = outside.get(v.areaId)
      expect(o.suppressed, v.name).toBe(Boolean(v.hiddenOutside))
      if (o.suppressed) expect(o.value).toBeNull()
    }
    // The CSV says why, and so does its note.
    const csv = await (await fetch(`${app.url}${PATH}&format=csv`, { headers: app.headers() })).text()
    expect(csv).toContain('nej (döljs utanför analys: granskas ännu)')
    expect(csv).toContain('granskas ännu mot röjande')

    // A snapshot taken now waits for the final verdicts: a release carries what it hides into every later
    // one of unchanged data, so it must not freeze figures withheld only for want of time.
    const created = await freeze(app, 'Under granskning', 'test_inbrott')
    expect(created.status).toBe(201)
    const frozen = (await app.get(`/api/snapshots/${created.body.id}/values?indicator=test_inbrott&layer=primaromrade&period=2025-02`)).body
    expect(frozen.suppression).toEqual({ threshold: 5, internal: false })

    // The live answer follows once the background audit is done (the client asks again while `pending`).
    let settled = first
    for (let i = 0; i < 600 && settled.suppression.pending; i++) {
      await new Promise((r) => setTimeout(r, 100))
      settled = (await local.get(PATH)).body
    }
    expect(settled.suppression.pending).toBeUndefined()
    const hiddenCount = (b: any) => b.values.filter((v: any) => v.suppressed).length
    expect(hiddenCount(settled)).toBeLessThan(hiddenCount(first))
    expect(hiddenCount(settled)).toBeGreaterThan(0)
    // The snapshot holds the final verdicts, not the interim ones.
    expect(frozen.values).toEqual(settled.values)
    const after = (await app.get(PATH)).body
    expect(after.values.some((v: any) => v.hiddenOutside === 'unaudited')).toBe(false)
    expect(after.suppression.pending).toBeUndefined()
  })

  it('refuses a snapshot with 503 audit_pending when the audit takes longer than freezing may wait, and stores nothing', async () => {
    // New figures (a new data version, so a new audit), and an app that waits no time at all for it.
    await insertCountIndicator(db, 'test_ran', 'Rån (test)', 5)
    const csv = await weeklyIncidentsCsv(db, weeks(2025, 3, 11), (code) => (code.endsWith('3') ? 1 : 0))
    expect((await post(app, '/api/imports/incidents?crs=EPSG:3006&map=R%C3%A5n:test_ran', csv)).status).toBe(201)
    const impatient = await startApp(db, { config: { lpAuditBudgetMs: 0, lpAuditWaitMs: 0 } })
    try {
      const before = (await impatient.get('/api/snapshots')).body.length
      const refused = await freeze(impatient, 'För tidigt', 'test_ran')
      expect(refused.status).toBe(503)
      expect(refused.body.error.code).toBe('audit_pending')
      expect(refused.body.error.message).toContain('Rån (test)')
      expect(refused.body.error.details).toEqual([{ field: 'indicators', message: 'test_ran: granskningen är inte klar' }])
      expect((await impatient.get('/api/snapshots')).body.length).toBe(before)
    } finally {
      await impatient.close()
    }
  })
})
