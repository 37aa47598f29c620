/**
 * Mötesunderlag in Chromium: a local management group chooses its area and meeting, steps through the pack
 * and exports it; what the slides say is checked against the meeting API and the PDF against poppler.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ARTEFACTS, pdfSkipReason, useBrowserApp } from '../helpers/browser'
import { createHjallboMeasure } from '../helpers/fixtures'
import { send } from '../helpers/http'
import { LagesbildDriver } from './driver'

describe.skipIf(pdfSkipReason !== null)('meeting packs in Chromium', () => {
  const h = useBrowserApp()

  it('gives a local management group its area against the city and the last meeting, hot spots and measures, as slides and as PDF', async () => {
    const local = await h.app.as('local')
    const { measureId, areaId } = await createHjallboMeasure(local)
    const created = await send(h.app, 'POST', '/api/snapshots', {
      title: 'Lägesbild hösten 2026',
      indicators: ['demo_ran', 'demo_narkotikabrott', 'demo_otrygg_kvall'],
      layers: ['stadsomrade', 'lokalpolisomrade', 'primaromrade'],
    })
    expect(created.status).toBe(201)
    const id = created.body.id
    expect((await send(h.app, 'POST', `/api/snapshots/${id}/publish`)).status).toBe(200)

    // The group's own stadsområde is chosen for it; it gives the dates and makes the pack in one click.
    const ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1400, height: 900 } }, 'local'), h.app.url)
    const errors = ui.recordErrors()
    await ui.givenThePage(`/present/${id}`)
    await ui.followLink('Mötesunderlag')
    await ui.waitForMeetingForm()
    await expect.poll(() => ui.meetingArea()).toBe('Nordost')
    await ui.fillMeetingForm({ date: '2026-12-01', previous: '2026-12-05' })
    await ui.waitForMeetingFormAlert('Förra mötet måste ligga före mötet.')
    await ui.fillMeetingForm({ previous: '2025-12-01' })
    await ui.createMeetingPack()

    const nordost = areaId('stadsomrade', 'Nordost')
    const meeting = (await local.get(`/api/snapshots/${id}/meeting?layer=stadsomrade&area=${nordost}&date=2026-12-01&previous=2025-12-01`)).body
    const hotSlides = meeting.hotspots.filter((x: any) => x.values.some((v: any) => x.inside.includes(v.areaId) && /^(hot|cold)/.test(v.class)))
    // Crime, effort (aktivitet) and the other indicators get key-figure slides of their own (three indicators: one each).
    const groups = new Set(meeting.indicators.map((i: any) => (i.category === 'brott' || i.category === 'aktivitet' ? i.category : 'annat'))).size
    expect(groups).toBe(3)
    const total = 1 + groups + Math.max(1, hotSlides.length) + 1
    await ui.waitForSlideHeading('Mötesunderlag: Nordost')
    expect(await ui.text('slide-counter')).toBe(`1 / ${total}`)
    const changed = meeting.indicators.filter((i: any) => i.change.verdict === 'increase' || i.change.verdict === 'decrease')
    const intro = await ui.text('slide')
    expect(intro).toMatch(/1 december 2026/)
    if (changed.length) for (const i of changed) expect(intro).toContain(i.name)
    else expect(intro).toMatch(/Inga säkra förändringar/)

    // Key figures: every indicator on one of the slides, every verdict the API's, and only tested changes called changes.
    const shown: string[] = []
    let ups = 0
    for (let k = 0; k < groups; k++) {
      await ui.press('ArrowRight')
      await ui.waitForSlide(`${2 + k} / ${total}`)
      const table = await ui.keyFigures()
      for (const row of table.rows) {
        const expected = meeting.indicators.find((x: any) => x.indicator === row.indicator)
        shown.push(row.indicator)
        expect(expected, row.indicator).toBeTruthy()
        expect(row.versusCity).toBe(expected.versusCity.verdict)
        expect(row.change).toBe(expected.change.verdict)
      }
      ups += table.increases
    }
    expect(shown.sort()).toEqual(meeting.indicators.map((i: any) => i.indicator).sort())
    expect(ups).toBe(meeting.indicators.filter((i: any) => i.change.verdict === 'increase').length)
    expect(meeting.indicators.find((i: any) => i.indicator === 'demo_ran').current.period).toBe('2025')
    expect(meeting.indicators.find((i: any) => i.indicator === 'demo_ran').previous.period).toBe('2024')

    // Hot spots: the map zoomed to Nordost, with a counted key and the hidden areas labelled.
    await ui.press('ArrowRight')
    await ui.waitForSlide(`${2 + groups} / ${total}`)
    if (hotSlides.length) {
      const h0 = hotSlides[0]
      await ui.waitForPaint()
      const inside = h0.values.filter((v: any) => h0.inside.includes(v.areaId))
      const hot = inside.filter((v: any) => v.class.startsWith('hot')).length
      if (hot) expect(await ui.text('hotspot-summary')).toContain(`${hot} primärområden i hot spots`)
      expect(await ui.suppressedLabelCount()).toBe(inside.filter((v: any) => v.suppressed).length)
      // Zoomed to Nordost: all of it in view, and less than the city's 0.32° of latitude (which a city view shows).
      const view = await ui.mapBounds()
      expect(view[1][1] - view[0][1]).toBeLessThan(0.3)
      const outline = (await send(local, 'GET', `/api/snapshots/${id}/areas?layer=stadsomrade`)).body.features.find((f: any) => f.id === nordost)
      for (const axis of [0, 1]) {
        const cs: number[] = outline.geometry.coordinates.flat(2).map((c: number[]) => c[axis]!)
        expect(Math.min(...cs)).toBeGreaterThanOrEqual(view[0][axis]!)
        expect(Math.max(...cs)).toBeLessThanOrEqual(view[1][axis]!)
      }
      await ui.screenshot(join(ARTEFACTS, 'meeting-hotspots.png'), { fullPage: false })
      const png = await ui.download('Spara kartan som PNG')
      expect(png.suggestedFilename()).toMatch(new RegExp(`^lagesbild_hot-spots-${h0.indicator.replace(/_/g, '-')}-nordost-${h0.period}_\\d{4}-\\d{2}-\\d{2}\\.png$`))
    } else {
      expect(await ui.text('slide')).toMatch(/Inga säkra hot spots/)
    }

    // Measures: the group's measure with its status and its follow-up chart from the frozen figures.
    await ui.press('End')
    await ui.waitForSlideHeading('Åtgärder i Nordost: status och uppföljning')
    expect(await ui.text('slide')).toMatch(/Trygghetsvandringar i Hjällbo\s+Pågående/)
    expect(await ui.chartPathCount(`slide-followup-${measureId}`)).toBeGreaterThan(0)
    await ui.screenshot(join(ARTEFACTS, 'meeting-measures.png'), { fullPage: false })

    // The pack as one PDF: a page per slide, tables as text, the chart as vectors (no image on its page).
    const pdf = await ui.download('Exportera PDF', { timeout: 120_000 })
    expect(pdf.suggestedFilename()).toMatch(/^lagesbild_motesunderlag-nordost-2026-12-01-lagesbild-hosten-2026_\d{4}-\d{2}-\d{2}\.pdf$/)
    const pdfPath = join(ARTEFACTS, 'motesunderlag.pdf')
    await pdf.saveAs(pdfPath)
    expect(execFileSync('pdfinfo', [pdfPath]).toString()).toMatch(new RegExp(`Pages:\\s+${total}\\b`))
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-']).toString()
    expect(text).toContain('Nyckeltal, brott: Nordost mot staden och förra mötet')
    expect(text).toContain('Mot staden')
    expect(text).toContain('Trygghetsvandringar i Hjällbo')
    expect(text).toMatch(/Benjamini/)
    const images = execFileSync('pdfimages', ['-list', pdfPath]).toString().split('\n').slice(2).filter(Boolean)
    const pagesWithImages = new Set(images.map((l) => Number(l.trim().split(/\s+/)[0])))
    expect(pagesWithImages.has(total)).toBe(false)
    expect(pagesWithImages.size).toBe(hotSlides.length)
    // The chart's own text (axis periods) is in the PDF as text, not pixels.
    const lastPage = execFileSync('pdftotext', ['-f', String(total), '-l', String(total), '-layout', pdfPath, '-']).toString()
    expect(lastPage).toMatch(/2023[\s\S]*2025/)
    expect(errors).toEqual([])
    await ui.close()
  }, 240_000)
})
