/** A deck built on a published snapshot, stepped through with the keyboard by the public, in Chromium. */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { send } from '../helpers/http'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('presentation mode in Chromium', () => {
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
    expect(errors).toEqual([])
    await viewer.close()
  })
})
