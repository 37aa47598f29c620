/**
 * A layer not published for a period (server/disclosure/unpublished.ts), in Chromium: after 36 robberies in
 * one corner of Centrum in February 2026, a local group opening the hexagons of that month is told why the
 * map is empty and what to choose instead, at 1280 and 320 px; an analyst sees the figures and how many of
 * them are not published.
 */
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { post } from '../helpers/http'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('a layer not published for a period, in Chromium', () => {
  const h = useBrowserApp()
  const opened: LagesbildDriver[] = []
  const open = async (width: number, height: number, role: 'analyst' | 'local') => {
    const ui = new LagesbildDriver(await h.newPage({ viewport: { width, height } }, role), h.app.url)
    opened.push(ui)
    return ui
  }
  const VIEW = 'lager=hex&indikator=demo_ran&period=2026-02&utsatta=0'

  beforeAll(async () => {
    const places = [[11.9667, 57.7072], [11.9702, 57.7051], [11.9741, 57.7034], [11.9588, 57.7043]]
    const rows = Array.from({ length: 36 }, (_, i) => `2026-02-${String(1 + (i % 28)).padStart(2, '0')},demo_ran,${places[i % 4]![0]},${places[i % 4]![1]}`)
    const imported = await post(h.app, '/api/imports/incidents?filename=ran-februari.csv', `date,category,lon,lat\n${rows.join('\n')}\n`)
    expect(imported.status, JSON.stringify(imported.body)).toBe(201)
  })
  afterEach(async () => {
    for (const ui of opened.splice(0)) await ui.close()
  })

  it('tells a local group why the hexagons of the month are empty, as the API says, at 1280 and 320 px', async () => {
    const api = (await (await h.app.as('local')).get('/api/indicators/demo_ran/values?layer=hex&period=2026-02')).body
    expect(api.suppression.unpublished).toBe(true)
    for (const [width, height] of [[1280, 800], [320, 700]] as const) {
      const ui = await open(width, height, 'local')
      await ui.givenTheMap(VIEW)
      expect(await ui.text('unpublished-note')).toMatch(/^Indelningen publiceras inte för perioden: nästan alla områden har färre än 5 fall\. Välj en grövre indelning eller en längre period\.$/)
      expect(await ui.horizontalOverflow()).toEqual({ overflow: 0, culprits: [] })
      await ui.screenshot(join(ARTEFACTS, `unpublished-local-${width}.png`), { fullPage: false })
    }
  })

  it('shows an analyst the figures, and how many of them others do not see because the layer is not published', async () => {
    const ui = await open(1280, 800, 'analyst')
    await ui.givenTheMap(VIEW)
    expect(await ui.text('internal-notice')).toMatch(/\d+ för att indelningen inte publiceras för perioden/)
    expect(await ui.text('unpublished-note')).toMatch(/^Indelningen publiceras inte för perioden/)
  })
})
