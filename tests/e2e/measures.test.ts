/** A local group creates a measure in the browser, sees it on the map and in the follow-up view. */
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { linkDemoIndicators } from '../../geodata/seed'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('measures in Chromium', () => {
  const h = useBrowserApp({ prepare: (db) => linkDemoIndicators(h.db.kysely) })
  let page: Page
  beforeAll(async () => {
    page = await h.newPage({ viewport: { width: 1400, height: 900 } })
  })

  it('shows the cycle and the problem areas, whose indicators open on the map', async () => {
    await page.goto(`${h.app.url}/prioriteringar`)
    await page.getByTestId('problem-areas').waitFor()
    expect(await page.getByTestId('problem-areas').innerText()).toMatch(/Välfärdsbrottslighet/)
    expect(await page.getByTestId('cycle-steps').locator('tbody tr').count()).toBe(5)
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/status') && r.request().method() === 'PUT' && r.status() === 200),
      page.getByLabel('Åtgärdsplan, Staden').selectOption('pagar'),
    ])
    await page.getByRole('link', { name: 'Elever i åk 9 behöriga till gymnasiet, andel (demo)' }).click()
    const ui = new LagesbildDriver(page, h.app.url)
    expect(await ui.waitForPaint()).toContain('demo_behoriga_gymnasiet')
  })

  it('refuses an incomplete measure field by field, then saves it, shows it on the map and in the follow-up', async () => {
    await page.goto(`${h.app.url}/atgarder`)
    await page.getByRole('button', { name: 'Ny åtgärd' }).click()
    const form = page.getByTestId('measure-form')
    await form.getByLabel('Titel').fill('Tr')
    await form.getByRole('button', { name: 'Spara' }).click()
    await form.locator('.field-error[data-field=title]').waitFor()
    expect(await form.locator('.field-error[data-field=areaIds]').innerText()).toMatch(/minst ett område/)

    await form.getByLabel('Titel').fill('Trygghetsvandringar i Hjällbo')
    await form.getByLabel('Syfte').selectOption('trygghetsskapande')
    await form.getByLabel('Polisen').check()
    await form.getByLabel('Status').selectOption('pagaende')
    const hjallbo = (await h.app.get('/api/areas')).body.find((a: any) => a.name === 'Hjällbo' && a.layer === 'primaromrade')
    await form.getByLabel(/Områden där åtgärden genomförs/).selectOption([String(hjallbo.id)])
    await form.getByRole('button', { name: 'Lägg till uppföljningsindikator' }).click()
    await form.getByLabel('Indikator 1').selectOption('demo_otrygg_kvall')
    await form.getByLabel('Utgångsperiod 1').fill('2021')
    await form.getByLabel('Utgångsvärde 1').fill('44')
    await form.getByLabel('Målvärde 1').fill('35')
    await form.getByLabel('Målperiod 1').fill('2025')
    await form.getByRole('button', { name: 'Spara' }).click()
    const row = page.getByTestId('measures').locator('tbody tr', { hasText: 'Trygghetsvandringar i Hjällbo' })
    await row.waitFor()
    expect(await row.innerText()).toMatch(/staden, polisen/)

    await row.getByRole('link', { name: 'Visa på kartan' }).click()
    await page.getByTestId('measure-banner').waitFor()
    await page.waitForFunction(() => /atgard\d+$/.test(document.querySelector<HTMLElement>('[data-testid=map]')?.dataset.renderedKey ?? ''))
    expect(await page.evaluate((id) => window.__lagesbildMap!.getFeatureState({ source: 'areas', id }).measure, hjallbo.id)).toBe(true)
    await page.screenshot({ path: join(ARTEFACTS, 'measure-on-map.png') })

    await page.goto(`${h.app.url}/?lager=stadsomrade&omrade=${(await h.app.get('/api/areas')).body.find((a: any) => a.name === 'Nordost').id}`)
    await page.getByTestId('area-measures').waitFor()
    expect(await page.getByTestId('area-measures').innerText()).toMatch(/Trygghetsvandringar i Hjällbo/)
    // An area picked on the map starts a new measure there.
    await page.getByRole('link', { name: 'Ny åtgärd i området' }).click()
    const started = page.getByTestId('measure-form')
    await started.waitFor()
    expect(await started.getByLabel(/Områden där åtgärden genomförs/).evaluate((el) => [...(el as HTMLSelectElement).selectedOptions].map((o) => o.text))).toEqual(['Nordost'])

    await page.goto(`${h.app.url}/uppfoljning`)
    await page.getByTestId('measure-mix').waitFor()
    const followUp = page.locator('[data-testid^=followup-chart-]')
    await followUp.first().waitFor()
    expect(await page.locator('[data-testid^=followup-]').first().innerText()).toMatch(/utgångsvärde 44 \(2021\), mål 35 \(2025\)/)
    expect(await page.getByTestId('measure-mix').innerText()).toMatch(/1 åtgärder/)
    await page.screenshot({ path: join(ARTEFACTS, 'follow-up.png'), fullPage: true })
  })

  it('draws a place on the map, saves it and starts a measure there', async () => {
    const ui = new LagesbildDriver(page, h.app.url)
    await ui.givenTheMap('lager=stadsomrade&utsatta=0')
    await page.getByRole('button', { name: 'Rita en plats' }).click()
    const corners = await ui.project([[11.966, 57.707], [11.975, 57.707], [11.975, 57.712], [11.966, 57.712]])
    for (const c of corners) await ui.clickMapAt(c)
    await page.getByLabel('Platsens namn').fill('Brunnsparken')
    expect(await page.getByTestId('draw-place').innerText()).toMatch(/4 hittills/)
    await page.getByRole('button', { name: 'Spara platsen' }).click()
    await page.getByTestId('place-saved').waitFor()
    // No area was selected by those clicks: they were corners.
    expect(ui.currentQuery()).not.toMatch(/omrade=/)
    await page.getByRole('link', { name: 'Ny åtgärd på platsen' }).click()
    const form = page.getByTestId('measure-form')
    await form.waitFor()
    expect(await form.getByLabel(/Områden där åtgärden genomförs/).evaluate((el) => [...(el as HTMLSelectElement).selectedOptions].map((o) => o.text))).toEqual(['Brunnsparken'])
    const places = (await h.app.get('/api/areas')).body.filter((a: any) => a.layer === 'plats')
    expect(places.map((p: any) => p.name)).toEqual(['Brunnsparken'])
  })
})
