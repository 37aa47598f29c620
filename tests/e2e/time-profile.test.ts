/**
 * The weekday × hour heat table in the map's area panel, in Chromium: incidents with times in Centrum in
 * January–March 2026; the table shows what the API says, for an analyst and for a local group, at 1280 and 320 px.
 */
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { post } from '../helpers/http'
import { LagesbildDriver } from './driver'

const DAYS = ['Mån', 'Tis', 'Ons', 'Tors', 'Fre', 'Lör', 'Sön']

describe.skipIf(browserSkipReason !== null)('weekday × hour table in Chromium', () => {
  const h = useBrowserApp()
  let centrum: number
  const opened: LagesbildDriver[] = []
  const open = async (width: number, height: number, role: 'analyst' | 'local' = 'analyst') => {
    const ui = new LagesbildDriver(await h.newPage({ viewport: { width, height } }, role), h.app.url)
    opened.push(ui)
    return ui
  }

  beforeAll(async () => {
    // Robberies in central Göteborg, mostly on weekend nights, some with a date only.
    const rows: string[] = []
    for (let month = 1; month <= 3; month++) {
      for (let i = 0; i < 400; i++) {
        const lon = 11.96 + ((i * 37) % 100) / 7_000
        const lat = 57.7 + ((i * 53) % 100) / 14_000
        const day = String(1 + (i % 28)).padStart(2, '0')
        const hour = [22, 23, 0, 1, 2, 21, 20, 14, 17, 23][i % 10]!
        const stamp = i % 25 === 0 ? `2026-0${month}-${day}` : `2026-0${month}-${day} ${String(hour).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`
        rows.push(`${stamp},demo_ran,${lon.toFixed(5)},${lat.toFixed(5)}`)
      }
    }
    const imported = await post(h.app, '/api/imports/incidents?filename=ran-tider.csv', `date,category,lon,lat\n${rows.join('\n')}\n`)
    expect(imported.status, JSON.stringify(imported.body)).toBe(201)
    expect(imported.body.rowsWithoutTime).toBe(48)
    const areas = (await h.app.get('/api/areas')).body
    centrum = areas.find((a: any) => a.layer === 'stadsomrade' && a.name === 'Centrum').id
  })
  afterEach(async () => {
    for (const ui of opened.splice(0)) await ui.close()
  })

  const api = async (role: 'analyst' | 'local', from: string, to: string) => {
    const client = role === 'analyst' ? h.app : await h.app.as(role)
    const res = await client.get(`/api/analysis/time-profile?indicator=demo_ran&layer=stadsomrade&area=${centrum}&from=${from}&to=${to}`)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body
  }
  // Numbers compared without their thousands separator (the page groups 1 200 with a narrow space).
  const shown = (c: { count: number | null; hidden: boolean }) => (c.hidden ? 'dolt' : String(c.count))
  const expectTableMatches = (raw: Awaited<ReturnType<LagesbildDriver['timeProfile']>>, body: any) => {
    const n = (s: string) => s.replace(/\s/g, '')
    const table = { ...raw, rows: raw.rows.map((r) => ({ ...r, cells: r.cells.map(n), total: n(r.total) })), footer: raw.footer.map(n) }
    expect(table.hours).toEqual(body.hours.map((x: any) => (x.hour === 24 ? 'Okänd' : String(x.hour).padStart(2, '0'))))
    expect(table.rows.map((r) => r.day)).toEqual(DAYS)
    table.rows.forEach((r, i) => {
      expect(r.cells).toEqual(body.hours.map((x: any) => shown(body.cells.find((c: any) => c.weekday === i + 1 && c.hour === x.hour))))
      expect(r.total).toBe(shown(body.weekdays[i]))
    })
    expect(table.footer).toEqual([...body.hours.map(shown), shown(body.total)])
  }

  it('an analyst sees every count of the quarter, as the API gives it, and can pick a month', async () => {
    const ui = await open(1280, 800)
    await ui.givenTheMap(`lager=stadsomrade&indikator=demo_ran&omrade=${centrum}&utsatta=0`)
    const table = await ui.timeProfile()
    const body = await api('analyst', '2026-01', '2026-03')
    expect(body.untimed).toBe(true)
    expectTableMatches(table, body)
    expect(table.rows.flatMap((r) => r.cells)).not.toContain('dolt')
    expect(table.legend).toMatch(/visas inte för andra/)
    await ui.screenshotOf('area-time-profile', join(ARTEFACTS, 'time-profile-analyst-1280.png'))
    await ui.screenshot(join(ARTEFACTS, 'time-profile-map-1280.png'), { fullPage: false })

    await ui.chooseTimeProfileRange('februari 2026')
    expectTableMatches(await ui.timeProfile(), await api('analyst', '2026-02', '2026-02'))
  })

  it('a local group sees the disclosed table with "dolt" explained, and the page does not scroll sideways at 320 px', async () => {
    const ui = await open(320, 700, 'local')
    await ui.givenTheMap(`lager=stadsomrade&indikator=demo_ran&omrade=${centrum}&utsatta=0`)
    const table = await ui.timeProfile()
    const body = await api('local', '2026-01', '2026-03')
    expectTableMatches(table, body)
    expect(table.rows.flatMap((r) => r.cells)).toContain('dolt')
    expect(table.legend).toMatch(/dolt = färre än 5 fall/)
    expect(await ui.horizontalOverflow()).toEqual({ overflow: 0, culprits: [] })
    // The map hides Centrum's months from a local group (only Centrum has 2026 robberies: the city's total would
    // give it away), so the table's total is hidden too, and so is enough of its margins that it cannot be summed.
    const march = (await (await h.app.as('local')).get('/api/indicators/demo_ran/values?layer=stadsomrade&period=2026-03')).body
    if (march.values.find((v: any) => v.areaId === centrum).suppressed) {
      expect(body.total.hidden).toBe(true)
      expect(body.weekdays.some((w: any) => w.hidden)).toBe(true)
      expect(body.hours.some((x: any) => x.hidden)).toBe(true)
    }
    await ui.screenshotOf('area-time-profile', join(ARTEFACTS, 'time-profile-local-320.png'))
    await ui.screenshot(join(ARTEFACTS, 'time-profile-page-320.png'))
  })
})
