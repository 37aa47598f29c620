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
    const page = await h.newPage({ viewport: { width: 1400, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    const ui = new LagesbildDriver(page, h.app.url)
    await ui.givenThePage(`/present/${id}?redigera=1`)
    const editor = page.getByRole('complementary', { name: 'Redigera presentationen' })
    await editor.waitFor()
    await editor.getByLabel('Sort').selectOption('text')
    await editor.getByRole('button', { name: 'Lägg till' }).click()
    await editor.getByLabel('Rubrik').fill('Lägesbild 2025')
    await editor.getByLabel('Text').fill('Gemensam lägesbild för staden och polisen.')
    await editor.getByLabel('Sort').selectOption('map')
    await editor.getByLabel('Indikator').selectOption('demo_ran')
    await editor.getByLabel('Indelning').selectOption('primaromrade')
    await editor.getByLabel('Period').selectOption('2025')
    await editor.getByRole('button', { name: 'Lägg till' }).click()
    await editor.getByLabel('Sort').selectOption('priorities')
    await editor.getByRole('button', { name: 'Lägg till' }).click()
    await editor.getByRole('button', { name: 'Spara presentationen' }).click()
    await editor.getByRole('status').getByText('Sparad.').waitFor()
    const deck = (await h.app.get(`/api/snapshots/${id}/deck`)).body
    expect(deck.slides.map((s: any) => s.kind)).toEqual(['text', 'map', 'priorities'])
    await page.close()

    // The public: no editor, arrow keys and PageDown step through, the map slide keeps its key in view.
    const viewer = await h.newPage({ viewport: { width: 1400, height: 900 } }, 'public')
    viewer.on('pageerror', (e) => errors.push(e.message))
    const show = new LagesbildDriver(viewer, h.app.url)
    await show.givenThePage(`/present/${id}`)
    await viewer.getByTestId('slide').getByRole('heading', { name: 'Lägesbild 2025' }).waitFor()
    expect(await viewer.getByTestId('slide-counter').innerText()).toBe('1 / 3')
    expect(await viewer.getByRole('complementary', { name: 'Redigera presentationen' }).count()).toBe(0)
    await viewer.keyboard.press('ArrowRight')
    await viewer.getByTestId('slide-counter').getByText('2 / 3').waitFor()
    await show.waitForPaint()
    const values = (await (await h.app.as('public')).get(`/api/snapshots/${id}/values?indicator=demo_ran&layer=primaromrade&period=2025`)).body
    const hidden = values.values.filter((v: any) => v.suppressed).length
    expect(hidden).toBeGreaterThan(0)
    expect(await viewer.locator('.map-label-suppressed').count()).toBe(hidden)
    expect(await viewer.getByTestId('slide-disclosure').innerText()).toMatch(/Värden under 5 visas inte/)
    expect(await viewer.getByTestId('slide-meta').innerText()).toMatch(/DEMO/)
    expect(await viewer.locator('[data-testid=legend] li').count()).toBeGreaterThan(3)
    await viewer.screenshot({ path: join(ARTEFACTS, 'present-map-slide.png') })
    await viewer.keyboard.press('PageDown')
    await viewer.getByTestId('slide-counter').getByText('3 / 3').waitFor()
    expect(await viewer.getByTestId('slide').innerText()).toMatch(/Särskilt utsatta områden/)
    await viewer.keyboard.press('ArrowLeft')
    await viewer.getByTestId('slide-counter').getByText('2 / 3').waitFor()
    await viewer.keyboard.press('Home')
    await viewer.getByTestId('slide-counter').getByText('1 / 3').waitFor()

    // The whole deck as one PDF: a page per slide, the legend and source as text.
    const [pdf] = await Promise.all([viewer.waitForEvent('download', { timeout: 120_000 }), viewer.getByRole('button', { name: 'Exportera PDF' }).click()])
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
    await viewer.getByTestId('slide-counter').getByText('1 / 3').waitFor()

    // One map view as PNG: the size of the drawn map plus its key, and not blank.
    await viewer.keyboard.press('ArrowRight')
    await viewer.getByTestId('slide-counter').getByText('2 / 3').waitFor()
    const [png] = await Promise.all([viewer.waitForEvent('download'), viewer.getByRole('button', { name: 'Spara kartan som PNG' }).click()])
    expect(png.suggestedFilename()).toMatch(/^lagesbild_karta-demo-ran-primaromrade-2025_\d{4}-\d{2}-\d{2}\.png$/)
    const pngPath = join(ARTEFACTS, 'map-slide.png')
    await png.saveAs(pngPath)
    const image = PNG.sync.read(readFileSync(pngPath))
    const mapCanvas = await viewer.evaluate(() => ({ w: window.__lagesbildMap!.getCanvas().width, h: window.__lagesbildMap!.getCanvas().height }))
    expect(image.width).toBeGreaterThan(mapCanvas.w)
    expect(image.height).toBeGreaterThan(mapCanvas.h)
    const colours = new Set<number>()
    for (let i = 0; i < image.data.length; i += 4 * 97) colours.add((image.data[i]! << 16) | (image.data[i + 1]! << 8) | image.data[i + 2]!)
    expect(colours.size).toBeGreaterThan(20)
    expect(errors).toEqual([])
    await viewer.close()
  })
  it('an analyst adds the snapshot map, as it is set, to the presentation in one click', async () => {
    const created = await send(h.app, 'POST', '/api/snapshots', { title: 'Karta till presentation', indicators: ['demo_otrygg_kvall'], layers: ['stadsomrade', 'deso'] })
    const id = created.body.id
    expect((await send(h.app, 'POST', `/api/snapshots/${id}/publish`)).status).toBe(200)
    const page = await h.newPage({ viewport: { width: 1400, height: 900 } })
    const ui = new LagesbildDriver(page, h.app.url)
    await ui.givenThePage(`/lagesbilder/${id}?lager=deso&indikator=demo_otrygg_kvall&period=2023&klassning=equal&klasser=4&palett=Purples`)
    await ui.waitForPaint()
    await page.getByRole('button', { name: 'Lägg kartan i presentationen' }).click()
    await page.getByRole('status').getByText('Tillagd som bild 1.').waitFor()
    const deck = (await h.app.get(`/api/snapshots/${id}/deck`)).body
    expect(deck.slides).toEqual([
      { kind: 'map', title: expect.stringContaining('2023'), indicator: 'demo_otrygg_kvall', layer: 'deso', period: '2023', method: 'equal', classes: 4, palette: 'Purples', measure: 'value', note: '' },
    ])
    await page.getByRole('link', { name: 'Öppna presentationen' }).click()
    await page.getByTestId('slide-counter').getByText('1 / 1').waitFor()
    await ui.waitForPaint()
    const swatches = await page.locator('[data-testid=slide] [data-testid=legend] li[data-lo]').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.color))
    expect(swatches).toEqual([...schemePurples[4]!])
    await page.close()
  }, 120_000)
})
