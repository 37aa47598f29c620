/**
 * Alerts of rises (issue 18), checked against the weekly figures the values API gives and the one-sided exact
 * Poisson test computed here from them (poissonRiseP equals R's poisson.test, alternative "greater"), with
 * Benjamini–Hochberg over every test of the layer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Db } from '../../db/connect'
import { parsePeriod } from '../../server/core/period'
import { benjaminiHochberg, poissonRiseP } from '../../server/statistics'
import { testEngines } from '../helpers/engines'
import { post, send, startApp, type Client, type RunningApp } from '../helpers/http'
import { weeklyIncidentsCsv, weeks } from '../helpers/weekly-incidents'

const IND = 'demo_ran'
const shift = (week: string, n: number) => {
  const d = new Date(Date.parse(`${parsePeriod(week)!.start}T00:00:00Z`) + n * 7 * 86_400_000)
  return [2024, 2025, 2026].flatMap((y) => weeks(y, 1, 52)).find((w) => parsePeriod(w)!.start === d.toISOString().slice(0, 10))!
}

describe.each(testEngines())('alerts on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let local: Client
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    local = await app.as('local')
    // Robberies in weeks 5–11 of 2024, 2025 and 2026: 6 a week in primärområde 612 until it rises to 30 a week in
    // 2026-W08…W11, 12 a week in 116, 4 in the others (none where the code ends in 1).
    const csv = await weeklyIncidentsCsv(
      db,
      [...weeks(2024, 5, 11), ...weeks(2025, 5, 11), ...weeks(2026, 5, 11)],
      (code, w) => (code === '612' ? (weeks(2026, 8, 11).includes(w) ? 30 : 6) : code === '116' ? 12 : code.endsWith('1') ? 0 : 4),
      { points: 100, pointsIn: { '116': 600, '612': 600 } },
    )
    const res = await post(app, '/api/imports/incidents?crs=EPSG:3006&map=R%C3%A5n:demo_ran', csv)
    expect(res.status).toBe(201)
  }, 600_000)
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  /** Sum and inhabitant-weeks per area over weeks, from the values API as the analyst sees them. */
  async function window(layer: string, ws: string[]) {
    const out = new Map<number, { count: number; exposure: number }>()
    for (const w of ws) {
      for (const x of (await app.get(`/api/indicators/${IND}/values?layer=${layer}&period=${w}`)).body.values) {
        const o = out.get(x.areaId) ?? { count: 0, exposure: 0 }
        o.count += x.numerator ?? x.value
        o.exposure += x.denominator || 1
        out.set(x.areaId, o)
      }
    }
    return out
  }

  it('raises a rise against the same weeks of earlier years, exactly where the test on the values API finds one', { timeout: 300_000 }, async () => {
    for (const layer of ['primaromrade', 'stadsomrade']) {
      const res = await app.get(`/api/alerts?layer=${layer}`)
      expect(res.status).toBe(200)
      const b = res.body
      const ran = b.evaluated.find((e: any) => e.indicator === IND)
      expect(ran).toMatchObject({ week: '2026-W11', baselineYears: 2 })
      // Only robberies hold weeks here, so the run's family is this indicator's areas in both windows.
      expect(b.evaluated.filter((e: any) => e.tested > 0).map((e: any) => e.indicator)).toEqual([IND])
      const expected: Array<{ areaId: number; window: string; p: number; observed: number; expectedCount: number }> = []
      for (const [win, current] of [['1w', ['2026-W11']], ['28d', weeks(2026, 8, 11)]] as const) {
        const cur = await window(layer, [...current])
        const base1 = await window(layer, current.map((w) => shift(w, -52)))
        const base2 = await window(layer, current.map((w) => shift(w, -104)))
        for (const [areaId, c] of cur) {
          const b1 = base1.get(areaId)!
          const b2 = base2.get(areaId)!
          const base = { count: b1.count + b2.count, exposure: b1.exposure + b2.exposure }
          expected.push({ areaId, window: win, p: poissonRiseP(base.count, base.exposure, c.count, c.exposure), observed: c.count, expectedCount: (base.count * c.exposure) / base.exposure })
        }
      }
      expect(ran.tested).toBe(expected.length)
      const adj = benjaminiHochberg(Float64Array.from(expected, (e) => e.p))
      const rises = expected.map((e, i) => ({ ...e, pAdjusted: adj[i]! })).filter((e) => e.pAdjusted < 0.05 && e.observed > e.expectedCount)
      expect(rises.length).toBeGreaterThan(0)
      const got = b.alerts.map((a: any) => `${a.areaId}|${a.window}`).sort()
      expect(got).toEqual(rises.map((e) => `${e.areaId}|${e.window}`).sort())
      for (const a of b.alerts) {
        const e = rises.find((r) => r.areaId === a.areaId && r.window === a.window)!
        expect(a.observed).toBe(e.observed)
        expect(a.expected).toBeCloseTo(e.expectedCount, 9)
        expect(a.p).toBeCloseTo(e.p, 12)
        expect(a.pAdjusted).toBeCloseTo(e.pAdjusted, 12)
        expect(a).toMatchObject({ indicator: IND, layer, week: '2026-W11', baselineYears: 2, status: 'open', seenBy: null, handledBy: null })
        expect(a.to).toBe('2026-03-15')
        expect(a.from).toBe(a.window === '1w' ? '2026-03-09' : '2026-02-16')
      }
      if (layer === 'primaromrade') {
        // 612 rose from 6 to 30 a week: both windows; no other primärområde changed.
        expect(b.alerts.map((a: any) => `${a.areaCode}|${a.window}|${a.observed}`).sort()).toEqual(['612|1w|30', '612|28d|120'])
        expect(b.alerts.find((a: any) => a.window === '28d').expected).toBeCloseTo(24, 6)
      }
    }
  })

  it('keeps one alert per rise however often it is asked, and shows the local group only what its map shows', async () => {
    const first = (await app.get('/api/alerts?layer=primaromrade')).body.alerts
    const again = (await app.get('/api/alerts?layer=primaromrade')).body.alerts
    expect(again.map((a: any) => a.id)).toEqual(first.map((a: any) => a.id))
    const theirs = (await local.get('/api/alerts?layer=primaromrade')).body.alerts
    // 612's weeks are 6 or more a week, shown to everyone: the local group gets them, with the same figures.
    expect(theirs.map((a: any) => a.id)).toEqual(first.map((a: any) => a.id))
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM alerts`.execute(db.kysely)
    expect(rows[0]!.n).toBe(first.length + (await app.get('/api/alerts?layer=stadsomrade')).body.alerts.length)
    // One area's alerts.
    const one = (await app.get(`/api/alerts?layer=primaromrade&area=${first[0].areaId}`)).body.alerts
    expect(one.every((a: any) => a.areaId === first[0].areaId)).toBe(true)
  })

  it('records who saw an alert and who handled it; a handled alert leaves the open list', async () => {
    const [a] = (await app.get('/api/alerts?layer=primaromrade')).body.alerts
    const seen = await send(local, 'PATCH', `/api/alerts/${a.id}`, { seen: true, version: a.version })
    expect(seen.status).toBe(200)
    expect(seen.body).toMatchObject({ seenBy: expect.stringContaining('@'), handledBy: null, status: 'open', version: a.version + 1 })
    const stale = await send(app, 'PATCH', `/api/alerts/${a.id}`, { handled: true, version: a.version })
    expect(stale.status).toBe(409)
    const handled = await send(app, 'PATCH', `/api/alerts/${a.id}`, { handled: true, note: 'Tas upp på lokala ledningsgruppens möte', version: seen.body.version })
    expect(handled.status).toBe(200)
    expect(handled.body).toMatchObject({ status: 'handled', seenBy: seen.body.seenBy, note: 'Tas upp på lokala ledningsgruppens möte' })
    expect(handled.body.handledBy).not.toBe(seen.body.seenBy)
    const open = (await app.get('/api/alerts?layer=primaromrade&status=open')).body.alerts
    expect(open.map((x: any) => x.id)).not.toContain(a.id)
    const log = await sql<{ summary: string }>`SELECT summary FROM audit_log WHERE entity = 'alert' ORDER BY id`.execute(db.kysely)
    expect(log.rows.map((r) => r.summary)).toEqual([expect.stringMatching(/: sett$/), expect.stringMatching(/: hanterat$/)])
  })

  it('answers bad questions with the field', async () => {
    expect((await app.get('/api/alerts')).body.error.details[0].field).toBe('layer')
    expect((await app.get('/api/alerts?layer=nope')).status).toBe(404)
    expect((await app.get('/api/alerts?layer=stadsomrade&status=x')).body.error.details[0].field).toBe('status')
    const [a] = (await app.get('/api/alerts?layer=primaromrade')).body.alerts
    const bad = await send(app, 'PATCH', `/api/alerts/${a.id}`, { handled: 'ja', version: a.version })
    expect(bad.status).toBe(422)
    expect(bad.body.error.details[0].field).toBe('handled')
    expect((await send(app, 'PATCH', '/api/alerts/999999', { seen: true, version: 1 })).status).toBe(404)
    expect((await (await app.as('public')).get('/api/alerts?layer=stadsomrade')).status).toBe(401)
  })
})
