/**
 * The city-wide group's year in Chromium (issue 17): an analyst plans four meetings of Ledningsgrupp Trygg i
 * Göteborg (one a full day, the chair alternating) and sees the rules kept, attaches the published demo
 * lägesbild to a meeting, holds it from its pack (the city's figures, the areas side by side, problem areas,
 * samverkansformer; "förra mötet" from the register), exports it as PDF, and records a decision at it.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO_SNAPSHOT_TITLE } from '../../server/demo-content'
import { ARTEFACTS, pdfSkipReason, useBrowserApp } from '../helpers/browser'
import { LagesbildDriver } from './driver'

describe.skipIf(pdfSkipReason !== null)('the city-wide meeting pack in Chromium', () => {
  const h = useBrowserApp()
  let ui: LagesbildDriver
  const year = new Date().getFullYear()
  const dates = [`${year}-01-02`, `${year}-04-14`, `${year}-09-08`, `${year}-11-24`]
  const city = () => ui.page.locator('section[data-group="trygg_i_goteborg"]')
  let errors: string[]
  beforeAll(async () => {
    ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 800 } }), h.app.url)
    errors = ui.recordErrors()
  })

  it('plans a year for Ledningsgrupp Trygg i Göteborg: four meetings, one a full day, the chair alternating', async () => {
    await ui.givenThePage('/moten')
    await ui.waitForHeading('Möten', 1)
    const rule = (id: string) => ui.page.locator(`[data-rule="trygg_i_goteborg:${id}"]`)
    await rule('minst_fyra_moten').waitFor()
    expect(await rule('minst_fyra_moten').textContent()).toMatch(/^Varning:/)
    for (const [i, date] of dates.entries()) {
      await city().getByRole('button', { name: 'Planera möte' }).click()
      const form = ui.page.getByTestId('meeting-form')
      await form.getByLabel('Datum').fill(date)
      expect(await form.getByLabel('Ordförande').inputValue()).toBe(i % 2 === 0 ? 'staden' : 'polisen')
      if (i === 3) await form.getByLabel('Heldagsmöte').check()
      await form.getByRole('button', { name: 'Planera mötet' }).click()
      await city().locator('tbody tr').nth(i).waitFor()
    }
    for (const id of ['minst_fyra_moten', 'heldagsmote', 'ordforande_vaxlar', 'anteckningar_motpart']) {
      await expect.poll(() => rule(id).textContent()).toMatch(/^Uppfyllt:/)
    }
  })

  it('attaches the published demo lägesbild to a meeting and holds it from its pack, as slides and as PDF', async () => {
    await city().getByRole('button', { name: `Öppna mötet ${dates[1]}` }).click()
    const pack = ui.page.getByTestId('meeting-pack')
    await expect.poll(() => pack.getByLabel('Publicerad lägesbild').locator('option:checked').textContent()).toBe(DEMO_SNAPSHOT_TITLE)
    await pack.getByRole('button', { name: 'Bifoga underlaget' }).click()
    await pack.getByRole('link', { name: 'Öppna mötesunderlaget' }).waitFor()
    const meetings = (await h.app.get(`/api/meetings?group=trygg_i_goteborg&year=${year}`)).body as any[]
    const meeting = meetings.find((m) => m.date === dates[1])
    const snapshotId = meeting.snapshotId
    expect(snapshotId).toBeGreaterThan(0)
    await pack.getByRole('link', { name: 'Öppna mötesunderlaget' }).click()

    // The pack is the meeting's: its date, and "förra mötet" the group's meeting before it in the register.
    const api = (await h.app.get(`/api/snapshots/${snapshotId}/meeting?meetingId=${meeting.id}`)).body
    expect(api).toMatchObject({ kind: 'city', date: dates[1], previousDate: dates[0], meeting: { id: meeting.id, previous: { date: dates[0] } } })
    await ui.waitForSlideHeading('Mötesunderlag: Ledningsgrupp Trygg i Göteborg')
    expect(await ui.text('slide')).toMatch(/ur mötesregistret/)
    const total = Number((await ui.text('slide-counter')).split('/')[1])

    // The city's key figures: every indicator on a slide, its value and the API's verdict.
    const seen: string[] = []
    let sideBySide = 0
    for (let k = 2; k <= total; k++) {
      await ui.press('ArrowRight')
      await ui.waitForSlide(`${k} / ${total}`)
      const keyTable = ui.page.getByTestId('city-keyfigures')
      if (await keyTable.count()) {
        for (const row of await keyTable.locator('tbody tr').all()) {
          const id = (await row.getAttribute('data-indicator'))!
          const want = api.indicators.find((i: any) => i.indicator === id)
          seen.push(id)
          expect(await row.locator('td').last().getAttribute('data-verdict')).toBe(want.change.verdict)
          if (want.current && !want.current.suppressed && want.unit === 'count') {
            expect((await row.locator('td').first().innerText()).replace(/\D/g, '')).toContain(String(want.current.value))
          }
        }
      }
      const side = ui.page.getByTestId('side-by-side')
      if (await side.count()) {
        const layerId = await side.getAttribute('data-layer')
        const layer = api.layers.find((l: any) => l.layer === layerId)
        expect(await side.locator('thead th').allInnerTexts()).toEqual(['Indikator', ...layer.areas.map((a: any) => a.name)])
        for (const row of await side.locator('tbody tr').all()) {
          const indicatorId = await row.getAttribute('data-indicator')
          const ind = layer.indicators.find((i: any) => i.indicator === indicatorId)
          expect(await row.locator('td').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-verdict')))).toEqual(ind.changes.map((c: any) => c.verdict))
        }
        if (sideBySide++ === 0) {
          await ui.screenshot(join(ARTEFACTS, 'city-meeting-side-by-side-1280.png'), { fullPage: false })
          // On a phone the table scrolls inside the slide; the page itself does not widen.
          const phone = new LagesbildDriver(await h.newPage({ viewport: { width: 320, height: 640 } }), h.app.url)
          await phone.givenThePage(new URL(ui.page.url()).pathname + new URL(ui.page.url()).search)
          await phone.page.getByTestId('side-by-side').waitFor()
          expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
          await phone.screenshot(join(ARTEFACTS, 'city-meeting-side-by-side-320.png'))
          await phone.close()
        }
      }
      if (await ui.page.getByTestId('problem-areas-followup').count()) await ui.screenshot(join(ARTEFACTS, 'city-meeting-problem-areas-1280.png'), { fullPage: false })
    }
    expect(seen.sort()).toEqual(api.indicators.map((i: any) => i.indicator).sort())
    expect(sideBySide).toBeGreaterThanOrEqual(api.layers.length)
    // The last slide: the five samverkansformer with their status.
    await ui.waitForSlideHeading('Samverkansformerna: status och åtgärder')
    expect(await ui.page.getByTestId('samverkansformer').locator('tbody tr').count()).toBe(5)
    await ui.screenshot(join(ARTEFACTS, 'city-meeting-samverkansformer-1280.png'), { fullPage: false })

    const pdf = await ui.download('Exportera PDF', { timeout: 120_000 })
    expect(pdf.suggestedFilename()).toMatch(new RegExp(`^lagesbild_motesunderlag-ledningsgrupp-trygg-i-goteborg-${dates[1]}-`))
    const pdfPath = join(ARTEFACTS, 'city-motesunderlag.pdf')
    await pdf.saveAs(pdfPath)
    expect(execFileSync('pdfinfo', [pdfPath]).toString()).toMatch(new RegExp(`Pages:\\s+${total}\\b`))
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-']).toString()
    expect(text).toContain('Stadens nyckeltal')
    expect(text).toContain('förändring sedan förra mötet')
    expect(text).toContain('Samverkansformerna')
    expect(text).not.toContain('?')
    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', String(Math.min(total, 4)), pdfPath, join(ARTEFACTS, 'city-motesunderlag')])
  }, 300_000)

  it('records a decision at the meeting: the decision form offers the group and its meeting', async () => {
    await ui.givenThePage('/moten')
    await city().getByRole('button', { name: `Öppna mötet ${dates[1]}` }).click()
    // The meeting shows its pack, with the lägesbild named, on a desktop and on a phone.
    await expect.poll(() => ui.text('meeting-pack')).toContain(`Ur lägesbilden ”${DEMO_SNAPSHOT_TITLE}”`)
    await ui.screenshotOf('meeting-pack', join(ARTEFACTS, 'city-meeting-pack-section-1280.png'))
    const phone = new LagesbildDriver(await h.newPage({ viewport: { width: 320, height: 640 } }), h.app.url)
    await phone.givenThePage('/moten')
    await phone.page.locator('section[data-group="trygg_i_goteborg"]').getByRole('button', { name: `Öppna mötet ${dates[1]}` }).click()
    await phone.page.getByTestId('meeting-pack').getByRole('link', { name: 'Öppna mötesunderlaget' }).waitFor()
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    await phone.screenshotOf('meeting-pack', join(ARTEFACTS, 'city-meeting-pack-section-320.png'))
    await phone.close()
    await ui.followLink('Registrera eller se beslut i beslutsregistret')
    const decision = ui.page.getByTestId('decision-form')
    await decision.waitFor()
    expect(await decision.getByLabel('Grupp').inputValue()).toBe('trygg_i_goteborg')
    await expect.poll(() => decision.getByLabel('Möte').locator('option:checked').textContent()).toContain(dates[1])
    await decision.getByLabel('Beslut', { exact: true }).fill('Ledningsgruppen fastställer lägesbilden som underlag för årets prioriteringar.')
    await decision.getByRole('button', { name: 'Registrera beslut' }).click()
    await ui.waitForStatus('Beslutet')
    await ui.givenThePage('/moten')
    await city().getByRole('button', { name: `Öppna mötet ${dates[1]}` }).click()
    await ui.waitForText('meeting-decisions', 'Ledningsgruppen fastställer lägesbilden som underlag för årets prioriteringar.')
    expect(errors).toEqual([])
  })
})
