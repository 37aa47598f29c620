import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'

describe.skipIf(browserSkipReason !== null)('data page in Chromium (embedded database)', () => {
  const h = useBrowserApp()
  let page: Page
  const consoleErrors: string[] = []
  beforeAll(async () => {
    page = await h.newPage()
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()))
    page.on('pageerror', (e) => consoleErrors.push(e.message))
  })

  it('lists the layers with their area counts and the demo indicators labelled as demo', async () => {
    await page.goto(`${h.app.url}/data`)
    const table = page.getByTestId('layers')
    await table.waitFor()
    const rows: Record<string, string> = {}
    for (const r of await table.locator('tbody tr').all()) rows[(await r.getAttribute('data-layer'))!] = (await r.locator('td.num').innerText()).trim()
    expect(rows).toEqual({
      stadsomrade: '4',
      lokalpolisomrade: '4',
      utsatt_omrade: '8',
      primaromrade: '96',
      regso: '147',
      deso: '320',
    })
    expect(await page.getByTestId('health').innerText()).toMatch(/inbyggd \(PGlite\), PostGIS 3\./)
    const crimes = await page.getByTestId('indicators-brott').locator('li').allInnerTexts()
    expect(crimes.length).toBeGreaterThanOrEqual(5)
    for (const c of crimes) expect(c).toMatch(/DEMO – syntetiska data/)
    await page.screenshot({ path: join(ARTEFACTS, 'data-page.png'), fullPage: true })
    expect(consoleErrors).toEqual([])
  })

  it('serves the app shell for client routes', async () => {
    const res = await fetch(`${h.app.url}/karta/primaromrade`)
    expect(res.status).toBe(200)
    expect(await res.text()).toMatch(/<div id="root">/)
  })
})
