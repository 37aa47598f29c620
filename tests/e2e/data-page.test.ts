import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('data page in Chromium (embedded database)', () => {
  const h = useBrowserApp()
  let ui: LagesbildDriver
  let consoleErrors: string[]
  beforeAll(async () => {
    ui = new LagesbildDriver(await h.newPage(), h.app.url)
    consoleErrors = ui.recordErrors({ console: true })
  })

  it('lists the layers with their area counts and the demo indicators labelled as demo', async () => {
    await ui.givenThePage('/data')
    const rows = await ui.layerAreaCounts()
    expect(rows).toEqual({
      stadsomrade: '4',
      stadsdel: '10',
      lokalpolisomrade: '4',
      utsatt_omrade: '8',
      primaromrade: '96',
      regso: '147',
      deso: '320',
    })
    expect(await ui.text('health')).toMatch(/inbyggd \(PGlite\), PostGIS 3\./)
    const crimes = await ui.listItems('indicators-brott')
    expect(crimes.length).toBeGreaterThanOrEqual(4)
    for (const c of crimes) expect(c).toMatch(/DEMO – syntetiska data/)
    for (const c of crimes) expect(c).toMatch(/Källa: DEMO – syntetiska data framtagna av Lägesbild/)
    // Effort counts have a group of their own.
    expect((await ui.listItems('indicators-aktivitet')).join('\n')).toMatch(/Narkotikabrott \(demo\)/)
    expect((await ui.listItems('indicators-otrygghet')).join('\n')).toMatch(/urvalsundersökning/)
    await ui.screenshot(join(ARTEFACTS, 'data-page.png'))
    expect(consoleErrors).toEqual([])
  })

  it('serves the app shell for client routes', async () => {
    const res = await fetch(`${h.app.url}/karta/primaromrade`)
    expect(res.status).toBe(200)
    expect(await res.text()).toMatch(/<div id="root">/)
  })
})
