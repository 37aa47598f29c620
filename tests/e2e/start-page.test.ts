import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { ARTEFACTS, browserSkipReason, buildClient, launchBrowser } from '../helpers/browser'
import { testEngines } from '../helpers/engines'
import { startApp, type RunningApp } from '../helpers/http'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('start page in Chromium (embedded database)', () => {
  let db: Db
  let app: RunningApp
  let browser: Browser
  let page: Page
  let clientDir: string
  const consoleErrors: string[] = []

  beforeAll(async () => {
    clientDir = await buildClient()
    db = await testEngines()[0]!.open()
    app = await startApp(db, clientDir)
    browser = await launchBrowser()
    page = await browser.newPage()
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()))
    page.on('pageerror', (e) => consoleErrors.push(e.message))
    await mkdir(ARTEFACTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await db?.close()
    if (clientDir) await rm(clientDir, { recursive: true, force: true })
  })

  it('shows the layers with their area counts and the demo indicators labelled as demo', async () => {
    const ui = new LagesbildDriver(page, app.url)
    await ui.givenTheStartPage()
    expect(await ui.layerRows()).toEqual({
      stadsomrade: '4',
      lokalpolisomrade: '4',
      utsatt_omrade: '8',
      primaromrade: '96',
      regso: '147',
      deso: '320',
    })
    expect(await ui.healthText()).toMatch(/inbyggd \(PGlite\), PostGIS 3\./)
    const crimes = await ui.indicatorTexts('brott')
    expect(crimes.length).toBeGreaterThanOrEqual(5)
    for (const c of crimes) expect(c).toMatch(/DEMO – syntetiska data/)
    await ui.screenshot(join(ARTEFACTS, 'start-page.png'))
    await ui.expectNoConsoleErrors(consoleErrors)
  })

  it('serves the app shell for client routes', async () => {
    const res = await fetch(`${app.url}/karta/primaromrade`)
    expect(res.status).toBe(200)
    expect(await res.text()).toMatch(/<div id="root">/)
  })
})
