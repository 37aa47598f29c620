/**
 * Alerts feed the local group's next meeting (issue 18), in Chromium: an incident import in which robberies in
 * primärområde 612 rose from 6 to 30 a week (weeks 8–11 of 2026, against weeks 3–11 of 2024–2026) raises alerts;
 * on Möten, the next planned meeting of the local group of 612's stadsområde lists them under "Larm att ta upp"
 * (the open alerts of the stadsområde and of its primärområden, as the alerts API gives them) with a link to
 * Aktuellt; nothing scrolls sideways at 320 px.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { post, send } from '../helpers/http'
import { weeklyIncidentsCsv, weeks } from '../helpers/weekly-incidents'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('alerts at the next meeting in Chromium', () => {
  const h = useBrowserApp()
  const dir = join(ARTEFACTS, 'meeting-alerts')
  let stadsomrade: { id: number; name: string; code: string }
  let group: { id: string; name: string }
  let meetingDate: string

  beforeAll(async () => {
    await mkdir(dir, { recursive: true })
    const { rows } = await sql<{ id: number; name: string; code: string }>`
      SELECT s.id, s.name, s.code FROM areas p JOIN area_parents ap ON ap.child_id = p.id JOIN areas s ON s.id = ap.parent_id AND s.layer_id = 'stadsomrade' AND s.valid_to IS NULL
      WHERE p.layer_id = 'primaromrade' AND p.code = '612' AND p.valid_to IS NULL`.execute(h.db.kysely)
    stadsomrade = rows[0]!
    const csv = await weeklyIncidentsCsv(
      h.db,
      [...weeks(2024, 3, 11), ...weeks(2025, 3, 11), ...weeks(2026, 3, 11)],
      (code, w) => (code === '612' ? (weeks(2026, 8, 11).includes(w) ? 30 : 6) : code === '116' ? 12 : code.endsWith('1') ? 0 : 4),
      { points: 100, pointsIn: { '116': 600, '612': 600 } },
    )
    expect((await post(h.app, '/api/imports/incidents?crs=EPSG:3006&map=R%C3%A5n:demo_ran', csv)).status).toBe(201)
    group = (await h.app.get('/api/groups')).body.find((g: any) => g.stadsomradeCode === stadsomrade.code)
    // A planned meeting later this year (shown on Möten's default year), and an earlier one held.
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date())
    const later = new Date(Date.parse(`${today}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10)
    meetingDate = later.slice(0, 4) === today.slice(0, 4) ? later : `${today.slice(0, 4)}-12-31`
    const made = await send(h.app, 'POST', '/api/meetings', { groupId: group.id, date: meetingDate, fullDay: false, chairOrganisation: 'staden', agenda: 'Lägesbild och larm' })
    expect(made.status).toBe(201)
  }, 600_000)

  /** The open alerts the meeting should show: the stadsområde's and those of the primärområden in it. */
  const expected = async () => {
    const so = (await h.app.get(`/api/alerts?layer=stadsomrade&area=${stadsomrade.id}&status=open`)).body.alerts
    const inside = new Set((await h.app.get('/api/field-reports/areas')).body.filter((a: any) => a.stadsomradeCode === stadsomrade.code).map((a: any) => a.id))
    const po = (await h.app.get('/api/alerts?layer=primaromrade&status=open')).body.alerts.filter((a: any) => inside.has(a.areaId))
    return [...so, ...po]
  }

  it("lists the open alerts of the group's stadsområde at its next planned meeting, linked to Aktuellt", { timeout: 300_000 }, async () => {
    const ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 900 } }), h.app.url)
    await ui.givenThePage('/moten')
    await ui.waitForHeading('Möten', 1)
    const box = ui.page.locator(`section[data-group="${group.id}"] [data-testid="meeting-alerts"]`)
    await box.locator('[data-alert]').first().waitFor({ timeout: 120_000 })
    expect(await box.getByRole('heading').textContent()).toBe(`Larm att ta upp ${meetingDate}`)
    const want = await expected()
    expect(want.some((a: any) => a.layer === 'stadsomrade')).toBe(true)
    expect(want.some((a: any) => a.layer === 'primaromrade' && a.areaCode === '612')).toBe(true)
    const shown = await box.locator('[data-alert]').evaluateAll((els) => els.map((e) => ({ id: Number(e.getAttribute('data-alert')), text: (e.textContent ?? '').replace(/\s+/g, ' ') })))
    expect(shown.map((s) => s.id).sort((a, b) => a - b)).toEqual(want.map((a: any) => a.id).sort((a: number, b: number) => a - b))
    for (const a of want) expect(shown.find((s) => s.id === a.id)!.text).toContain(`${a.indicatorName} har ökat i ${a.areaName}`)
    expect(await box.getByRole('link').getAttribute('href')).toBe(`/aktuellt?layer=stadsomrade&area=${stadsomrade.id}`)
    // Only the next planned meeting carries it, and other local groups show their own (none here: 612 is the rise).
    expect(await ui.page.locator('[data-testid="meeting-alerts"]').count()).toBe(1)
    await ui.page.locator(`section[data-group="${group.id}"]`).screenshot({ path: join(dir, 'meeting-alerts-1280.png') })

    // A handled alert leaves the list.
    const first = want[0]
    expect((await send(h.app, 'PATCH', `/api/alerts/${first.id}`, { version: first.version, handled: true })).status).toBe(200)
    await ui.page.reload()
    await box.locator('[data-alert]').first().waitFor({ timeout: 60_000 })
    await expect.poll(() => box.locator(`[data-alert="${first.id}"]`).count()).toBe(0)
    await box.getByRole('link').click()
    await ui.waitForHeading('Aktuellt', 1)
  })

  it("fits a 320 px screen for the local group's member, who sees the alerts the API shows them", async () => {
    const narrow = new LagesbildDriver(await h.newPage({ viewport: { width: 320, height: 700 } }, 'local'), h.app.url)
    await narrow.givenThePage('/moten')
    await narrow.waitForHeading('Möten', 1)
    const box = narrow.page.locator(`section[data-group="${group.id}"] [data-testid="meeting-alerts"]`)
    await box.locator('[data-alert]').first().waitFor({ timeout: 60_000 })
    await box.scrollIntoViewIfNeeded()
    const local = await h.app.as('local')
    const so = (await local.get(`/api/alerts?layer=stadsomrade&area=${stadsomrade.id}&status=open`)).body.alerts
    const inside = new Set((await local.get('/api/field-reports/areas')).body.filter((a: any) => a.stadsomradeCode === stadsomrade.code).map((a: any) => a.id))
    const po = (await local.get('/api/alerts?layer=primaromrade&status=open')).body.alerts.filter((a: any) => inside.has(a.areaId))
    const ids = await box.locator('[data-alert]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-alert'))))
    expect(ids.sort((a, b) => a - b)).toEqual([...so, ...po].map((a: any) => a.id).sort((a: number, b: number) => a - b))
    await narrow.page.locator(`section[data-group="${group.id}"]`).screenshot({ path: join(dir, 'meeting-alerts-320.png') })
    expect(await narrow.horizontalOverflow()).toEqual({ overflow: 0, culprits: [] })
  })
})
