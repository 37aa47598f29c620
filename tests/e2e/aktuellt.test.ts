/**
 * Aktuellt in Chromium (issue 18): an analyst imports a police export (through the API) in which
 * robberies in one primärområde rose from 6 to 30 a week (weeks 3–11 of 2024–2026); Aktuellt for its stadsområde then shows the alert the
 * import raised (its figures as the alerts API gives them) and the tested 28-day change; the analyst marks the
 * alert seen and handled with a note; the page prints as a one-page weekly summary; a local group member
 * reads it at 320 px without sideways scrolling. (A field report refused for a personnummer: field-reports.test.ts.)
 */
import { execFileSync } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, pdfSkipReason, useBrowserApp } from '../helpers/browser'
import { post } from '../helpers/http'
import { weeklyIncidentsCsv, weeks } from '../helpers/weekly-incidents'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('Aktuellt in Chromium', () => {
  const h = useBrowserApp()
  let ui: LagesbildDriver
  let stadsomrade: { id: number; name: string }
  const dir = join(ARTEFACTS, 'aktuellt')

  beforeAll(async () => {
    await mkdir(dir, { recursive: true })
    ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 800 } }), h.app.url)
    const { rows } = await sql<{ id: number; name: string }>`
      SELECT s.id, s.name FROM areas p JOIN area_parents ap ON ap.child_id = p.id JOIN areas s ON s.id = ap.parent_id AND s.layer_id = 'stadsomrade' AND s.valid_to IS NULL
      WHERE p.layer_id = 'primaromrade' AND p.code = '612' AND p.valid_to IS NULL`.execute(h.db.kysely)
    stadsomrade = rows[0]!
  })

  it('shows the alert an import raised, with the API’s figures, beside the tested 28-day change', { timeout: 300_000 }, async () => {
    const csv = await weeklyIncidentsCsv(
      h.db,
      [...weeks(2024, 3, 11), ...weeks(2025, 3, 11), ...weeks(2026, 3, 11)],
      (code, w) => (code === '612' ? (weeks(2026, 8, 11).includes(w) ? 30 : 6) : code === '116' ? 12 : code.endsWith('1') ? 0 : 4),
      { points: 100, pointsIn: { '116': 600, '612': 600 }, withTime: true },
    )
    // Through the import API (the import page has its own test): the police export as an analyst sends it.
    const imported = await post(h.app, '/api/imports/incidents?crs=EPSG:3006&map=R%C3%A5n:demo_ran', csv)
    expect(imported.status).toBe(201)

    await ui.givenThePage('/jamfor')
    await ui.followLink('Aktuellt')
    await ui.waitForHeading('Aktuellt', 1)
    await ui.choose('Område', stadsomrade.name)
    await expect.poll(() => ui.text('aktuellt-period'), { timeout: 60_000 }).toMatch(/vecka 11, 2026: de senaste 28 dagarna är 16 feb\.?–15 mars 2026/)
    await ui.waitFor('aktuellt-alerts', { timeout: 120_000 })

    const api = (await h.app.get(`/api/alerts?layer=stadsomrade&area=${stadsomrade.id}`)).body.alerts
    expect(api.length).toBeGreaterThan(0)
    const shown = await ui.page.locator('[data-alert]').evaluateAll((els) => els.map((e) => ({ id: Number(e.getAttribute('data-alert')), text: e.textContent ?? '' })))
    expect(shown.map((s) => s.id).sort()).toEqual(api.map((a: any) => a.id).sort())
    for (const a of api) {
      const text = shown.find((s) => s.id === a.id)!.text.replace(/\s+/g, ' ')
      expect(text).toContain(`Larm: ${a.indicatorName} har ökat – ${a.window === '1w' ? 'vecka 11, 2026' : '4 veckor t.o.m. vecka 11, 2026'}: ${a.observed.toLocaleString('sv-SE')} mot väntat ${a.expected.toLocaleString('sv-SE', { maximumFractionDigits: 1, minimumFractionDigits: 1 })}`)
    }

    // The changes table: the same comparison the operational API makes for the week's Sunday.
    const compare = (await h.app.get('/api/operational/compare?indicator=demo_ran&layer=stadsomrade&end=2026-03-15&window=28d')).body
    const row = compare.areas.find((x: any) => x.areaId === stadsomrade.id)
    expect(row.verdict).toBe('increase')
    const tr = ui.page.locator('[data-testid="aktuellt-changes"] tr[data-indicator="demo_ran"]')
    expect(await tr.getAttribute('data-verdict')).toBe('increase')
    const cells = (await tr.locator('td').allInnerTexts()).map((t) => t.replace(/\s/g, ''))
    expect(cells.slice(0, 3)).toEqual([row.current, row.previous, row.lastYear].map((n: number) => n.toLocaleString('sv-SE').replace(/\s/g, '')))

    // When it happens: the weekday × hour table of the stadsområde, its total as the API gives it.
    const section = ui.page.getByTestId('area-time-profile')
    await section.waitFor({ timeout: 60_000 })
    const range = await section.getByTestId('time-profile-range').inputValue()
    expect(range).toBe('2026-Q1')
    const table = (await h.app.get(`/api/analysis/time-profile?indicator=demo_ran&layer=stadsomrade&area=${stadsomrade.id}&from=2026-01&to=2026-03`)).body
    expect(table.total.count).toBeGreaterThan(0)
    await expect.poll(() => section.textContent()).toContain(table.total.count.toLocaleString('sv-SE'))
    await ui.screenshot(join(dir, 'aktuellt-1280.png'))
  })

  it('records that the alert was seen and handled, with a note', async () => {
    const first = ui.page.locator('[data-alert]').first()
    const id = await first.getAttribute('data-alert')
    await first.getByRole('button', { name: 'Markera som sett' }).click()
    await expect.poll(() => ui.page.locator(`[data-alert="${id}"]`).textContent()).toMatch(/Sett av /)
    await ui.page.locator(`[data-alert="${id}"]`).getByPlaceholder('Anteckning (valfri)').fill('Polisen ökar närvaron vid torget')
    await ui.page.locator(`[data-alert="${id}"]`).getByRole('button', { name: 'Markera som hanterat' }).click()
    await expect.poll(() => ui.page.locator(`[data-alert="${id}"]`).getAttribute('data-status')).toBe('handled')
    const a = (await h.app.get(`/api/alerts?layer=stadsomrade&area=${stadsomrade.id}`)).body.alerts.find((x: any) => String(x.id) === id)
    expect(a).toMatchObject({ status: 'handled', note: 'Polisen ökar närvaron vid torget' })
    expect(a.seenBy).not.toBeNull()
    expect(await ui.page.locator(`[data-alert="${id}"]`).textContent()).toContain('Anteckning: Polisen ökar närvaron vid torget')
  })

  it.skipIf(pdfSkipReason !== null)('prints the week as a one-page summary', async () => {
    const pdf = join(dir, 'aktuellt.pdf')
    await ui.printToPdf(pdf)
    const info = execFileSync('pdfinfo', [pdf]).toString()
    expect(info).toMatch(/^Pages:\s+1$/m)
    expect(info).toMatch(/^Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)$/m)
    const text = execFileSync('pdftotext', [pdf, '-']).toString().replace(/\s+/g, ' ')
    for (const words of [`Aktuellt – ${stadsomrade.name}`, 'vecka 11, 2026', 'Larm', 'Rån (demo) har ökat', 'Förändringar de senaste 28 dagarna', 'Pågående åtgärder']) expect(text).toContain(words)
    expect(text).not.toContain('Skriv ut veckosammanfattning')
    execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', pdf, join(dir, 'aktuellt-pdf')])
  })

  it('fits a 320 px screen for a local group member', async () => {
    const narrow = new LagesbildDriver(await h.newPage({ viewport: { width: 320, height: 700 } }, 'local'), h.app.url)
    await narrow.givenThePage(`/aktuellt?layer=stadsomrade&area=${stadsomrade.id}`)
    await narrow.waitForHeading('Aktuellt', 1)
    await narrow.waitFor('aktuellt-alerts', { timeout: 120_000 })
    expect((await narrow.horizontalOverflow()).overflow).toBeLessThanOrEqual(0)
    await narrow.screenshot(join(dir, 'aktuellt-320.png'))
  })
})
