/**
 * A layer whose table for a period would be nearly all hidden is not published for it outside the analyst
 * role (server/disclosure/unpublished.ts): after an import of robberies in one corner of Centrum in one
 * month, the hexagons of that month say so to a local group (every value null, `suppression.unpublished`,
 * and the CSV's note), analysts see the figures marked `unpublished`, and the stadsområden stay published.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { cellKey } from '../../server/core/derivation'
import { indicatorCells } from '../../server/features/indicators/indicators.service'
import { testEngines } from '../helpers/engines'
import { insertCountIndicator } from '../helpers/fixtures'
import { post, startApp, type Client, type RunningApp } from '../helpers/http'

const values = (layer: string) => `/api/indicators/test_ran/values?layer=${layer}&period=2026-02`

describe.each(testEngines())('a table nearly all hidden, on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let local: Client
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    local = await app.as('local')
    await insertCountIndicator(db, 'test_ran', 'Rån (test)', 5)
    // 36 robberies in February 2026 at four places a few hundred metres apart in central Göteborg.
    const places = [[11.9667, 57.7072], [11.9702, 57.7051], [11.9741, 57.7034], [11.9588, 57.7043]]
    const rows = Array.from({ length: 36 }, (_, i) => `2026-02-${String(1 + (i % 28)).padStart(2, '0')},Rån,${places[i % 4]![0]},${places[i % 4]![1]}`)
    const imported = await post(app, '/api/imports/incidents?filename=ran.csv&map=R%C3%A5n:test_ran', `date,category,lon,lat\n${rows.join('\n')}\n`)
    expect(imported.status, JSON.stringify(imported.body)).toBe(201)
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  it('is not published to a local group: every value null, and the answer and the CSV say why', async () => {
    const res = await local.get(values('hex'))
    expect(res.status).toBe(200)
    expect(res.body.suppression).toMatchObject({ internal: false, unpublished: true })
    expect(res.body.values.length).toBeGreaterThan(1000)
    expect(res.body.values.every((v: any) => v.value === null && v.suppressed)).toBe(true)
    const csv = await (await fetch(`${app.url}${values('hex')}&format=csv`, { headers: local.headers() })).text()
    expect(csv).toContain('Indelningen publiceras inte för perioden')
  })

  it('shows analysts the figures, each marked as not published, as the cube decides', async () => {
    const res = await app.get(values('hex'))
    expect(res.body.suppression).toMatchObject({ internal: true, unpublished: true })
    expect(res.body.values.every((v: any) => v.hiddenOutside === 'unpublished')).toBe(true)
    const counts = res.body.values.map((v: any) => v.value as number)
    expect(counts.reduce((a: number, b: number) => a + b, 0)).toBe(36)
    expect(counts.filter((c: number) => c >= 5).length, 'some hexagons hold 5 or more, yet the table is under 5 %').toBeGreaterThan(0)

    const { derived, cube } = await indicatorCells(db.kysely, 'test_ran', { settled: true })
    const hexCells = derived.byLayerPeriod.get('hex|2026-02')!
    for (const c of hexCells) expect(cube!.hidden.get(cellKey(c.area, c.period))).toBe('unpublished')
    expect(cube!.unpublished).toBeGreaterThanOrEqual(hexCells.length)
    expect(cube!.audit).toMatchObject({ kind: 'lp', unfinished: 0 })
  })

  it('leaves the coarse layers of the same period published', async () => {
    for (const layer of ['stadsomrade', 'primaromrade']) {
      const res = await local.get(values(layer))
      expect(res.status).toBe(200)
      expect(res.body.suppression.unpublished, layer).toBeUndefined()
      const internal = await app.get(values(layer))
      expect(internal.body.values.some((v: any) => v.hiddenOutside === 'unpublished'), layer).toBe(false)
    }
    // The city's figure is published as it is.
    expect((await local.get(values('stadsomrade'))).body.city).toMatchObject({ value: 36, suppressed: false })
  })
})

describe.each(testEngines())('the overlay in the live audit (LP_AUDIT_OVERLAY), on $name', (engine) => {
  it('holds the containment between layers that do not nest when switched on, and only then', async () => {
    for (const on of [true, false]) {
      const db = await engine.open()
      const app = await startApp(db, { config: { lpAuditOverlay: on } })
      try {
        const { cube } = await indicatorCells(db.kysely, 'demo_ran', { settled: true })
        expect(cube!.audit).toMatchObject({ kind: 'lp', unfinished: 0 })
        if (on) expect(cube!.inequalities, 'DeSO, RegSO and hexagons against the primärområden').toBeGreaterThan(1000)
        else expect(cube!.inequalities).toBe(0)
        // A robbery that did not happen holds nobody; a share's 0 says it of everyone in the group.
        expect(cube!.zerosSafe).toBe(true)
        expect((await indicatorCells(db.kysely, 'demo_behoriga_gymnasiet', { settled: true })).cube!.zerosSafe).toBe(false)
      } finally {
        await app.close()
        await db.close()
      }
    }
  })
})
