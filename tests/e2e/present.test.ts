/** A deck built on a published snapshot, stepped through with the keyboard by the public, in Chromium. */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { schemePurples } from 'd3'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { ARTEFACTS, pdfSkipReason, useBrowserApp } from '../helpers/browser'
import { send } from '../helpers/http'
import { LagesbildDriver } from './driver'

describe.skipIf(pdfSkipReason !== null)('presentation mode in Chromium', () => {
  const h = useBrowserApp()

  it('an analyst builds a deck; the public steps through it with the keyboard and sees hidden values as hidden', async () => {
    const created = await send(h.app, 'POST', '/api/snapshots', {
      title: 'Strategiskt forum 2025',
      indicators: ['demo_ran', 'demo_otrygg_kvall'],
      layers: ['stadsomrade', 'primaromrade'],
    })
    expect(created.status).toBe(201)
    const id = created.body.id
    expect((await send(h.app, 'POST', `/api/snapshots/${id}/publish`)).status).toBe(200)

    // The analyst adds a text slide and a map slide in the editor and saves.
    const ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1400, height: 900 } }), h.app.url)
    const errors = ui.recordErrors()
    await ui.givenThePage(`/present/${id}?redigera=1`)
    await ui.waitForDeckEditor()
    await ui.addSlide('text')
    await ui.editSlide({ Rubrik: 'Lägesbild 2025', Text: 'Gemensam lägesbild för staden och polisen.' })
    await ui.addSlide('map', { Indikator: 'demo_ran', Indelning: 'primaromrade', Period: '2025' })
    await ui.addSlide('priorities')
    await ui.saveDeck()
    const deck = (await h.app.get(`/api/snapshots/${id}/deck`)).body
    expect(deck.slides.map((s: any) => s.kind)).toEqual(['text', 'map', 'priorities'])
    await ui.close()

    // The public: no editor, arrow keys and PageDown step through, the map slide keeps its key in view.
    const show = new LagesbildDriver(await h.newPage({ viewport: { width: 1400, height: 900 } }, 'public'), h.app.url)
    show.recordErrors({ into: errors })
    await show.givenThePage(`/present/${id}`)
    await show.waitForSlideHeading('Lägesbild 2025')
    expect(await show.text('slide-counter')).toBe('1 / 3')
    expect(await show.deckEditorCount()).toBe(0)
    await show.press('ArrowRight')
    await show.waitForSlide('2 / 3')
    await show.waitForPaint()
    const values = (await (await h.app.as('public')).get(`/api/snapshots/${id}/values?indicator=demo_ran&layer=primaromrade&period=2025`)).body
    const hidden = values.values.filter((v: any) => v.suppressed).length
    expect(hidden).toBeGreaterThan(0)
    expect(await show.suppressedLabelCount()).toBe(hidden)
    expect(await show.text('slide-disclosure')).toMatch(/Värden under 5 visas inte/)
    expect(await show.text('slide-meta')).toMatch(/DEMO/)
    expect(await show.legendLineCount()).toBeGreaterThan(3)
    await show.screenshot(join(ARTEFACTS, 'present-map-slide.png'), { fullPage: false })
    await show.press('PageDown')
    await show.waitForSlide('3 / 3')
    expect(await show.text('slide')).toMatch(/Särskilt utsatta områden/)
    await show.press('ArrowLeft')
    await show.waitForSlide('2 / 3')
    await show.press('Home')
    await show.waitForSlide('1 / 3')

    // The whole deck as one PDF: a page per slide, the legend and source as text.
    const pdf = await show.download('Exportera PDF', { timeout: 120_000 })
    expect(pdf.suggestedFilename()).toMatch(/^lagesbild_presentation-strategiskt-forum-2025_\d{4}-\d{2}-\d{2}\.pdf$/)
    const pdfPath = join(ARTEFACTS, 'presentation.pdf')
    await pdf.saveAs(pdfPath)
    expect(readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-')
    expect(execFileSync('pdfinfo', [pdfPath]).toString()).toMatch(/Pages:\s+3\b/)
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-']).toString()
    expect(text).toContain('Lägesbild 2025')
    expect(text).toMatch(/Dolt: färre än 5 fall/)
    expect(text).toMatch(/Källa: DEMO/)
    expect(text).toMatch(/Värden under 5 visas inte/)
    expect(text).toMatch(/bild 2 av 3/)
    await show.waitForSlide('1 / 3')

    // One map view as PNG: the size of the drawn map plus its key, and not blank.
    await show.press('ArrowRight')
    await show.waitForSlide('2 / 3')
    const png = await show.download('Spara kartan som PNG')
    expect(png.suggestedFilename()).toMatch(/^lagesbild_karta-demo-ran-primaromrade-2025_\d{4}-\d{2}-\d{2}\.png$/)
    const pngPath = join(ARTEFACTS, 'map-slide.png')
    await png.saveAs(pngPath)
    const image = PNG.sync.read(readFileSync(pngPath))
    const mapCanvas = await show.mapCanvasSize()
    expect(image.width).toBeGreaterThan(mapCanvas.w)
    expect(image.height).toBeGreaterThan(mapCanvas.h)
    const colours = new Set<number>()
    for (let i = 0; i < image.data.length; i += 4 * 97) colours.add((image.data[i]! << 16) | (image.data[i + 1]! << 8) | image.data[i + 2]!)
    expect(colours.size).toBeGreaterThan(20)
    expect(errors).toEqual([])
    await show.close()
    // Editor, viewer, and two exports that draw the map again at print resolution: slow on a busy machine.
  }, 240_000)
  it('an analyst adds the snapshot map, as it is set, to the presentation in one click', async () => {
    const created = await send(h.app, 'POST', '/api/snapshots', { title: 'Karta till presentation', indicators: ['demo_otrygg_kvall'], layers: ['stadsomrade', 'deso'] })
    const id = created.body.id
    expect((await send(h.app, 'POST', `/api/snapshots/${id}/publish`)).status).toBe(200)
    const ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1400, height: 900 } }), h.app.url)
    await ui.givenThePage(`/lagesbilder/${id}?lager=deso&indikator=demo_otrygg_kvall&period=2023&klassning=equal&klasser=4&palett=Purples`)
    await ui.waitForPaint()
    await ui.clickButton('Lägg kartan i presentationen')
    await ui.waitForStatus('Tillagd som bild 1.')
    const deck = (await h.app.get(`/api/snapshots/${id}/deck`)).body
    expect(deck.slides).toEqual([
      { kind: 'map', title: expect.stringContaining('2023'), indicator: 'demo_otrygg_kvall', layer: 'deso', period: '2023', method: 'equal', classes: 4, palette: 'Purples', measure: 'value', per: 1000, note: '' },
    ])
    await ui.followLink('Öppna presentationen')
    await ui.waitForSlide('1 / 1')
    await ui.waitForPaint()
    const swatches = await ui.slideLegendColors()
    expect(swatches).toEqual([...schemePurples[4]!])
    await ui.close()
  }, 120_000)
})
