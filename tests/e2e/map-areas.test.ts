/**
 * Areas on the map (issue 14): their names as labels that never pile up, choosing one zooms to it, its panel
 * closes with Esc and hands the focus back, and rates per 1 000 are the default where there is a population.
 */
import bbox from '@turf/bbox'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { LagesbildDriver } from './driver'

type Box = { left: number; top: number; right: number; bottom: number }
const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
type Bounds = [[number, number], [number, number]]
/** Whether the map's bounds hold the area's whole extent ([west, south, east, north]). */
const holds = ([[west, south], [east, north]]: Bounds, [w, s, e, n]: number[]) => west <= w! && south <= s! && east >= e! && north >= n!

describe.skipIf(browserSkipReason !== null)('areas on the map in Chromium', () => {
  const h = useBrowserApp()
  const opened: LagesbildDriver[] = []
  // Reduced motion: the map jumps to a chosen area, so the test reads where it came to rest at once.
  const open = async (width: number, height: number, role?: 'local' | 'public') => {
    const ui = new LagesbildDriver(await h.newPage({ viewport: { width, height }, reducedMotion: 'reduce' }, role), h.app.url)
    opened.push(ui)
    return ui
  }
  afterEach(async () => {
    for (const ui of opened.splice(0)) await ui.close()
  })

  // One test per screen: three layers each is slow on a busy machine.
  it.each([
    [1280, 800],
    [320, 640],
  ] as const)('names the stadsområden on the map at %i×%i, and shows only names that do not overlap on the dense layers', async (width, height) => {
    const ui = await open(width, height)
    const errors = ui.recordErrors()
    await ui.givenTheMap('lager=stadsomrade&indikator=demo_ran&period=2025')
    const names = (await h.app.get('/api/layers/stadsomrade/areas')).body.features.map((f: any) => f.properties.name)
    await ui.waitForNameLabels(names.length)
    expect((await ui.mapNameLabels()).map((l) => l.text).sort()).toEqual([...names].sort())
    await ui.screenshot(join(ARTEFACTS, `map-labels-stadsomrade-${width}.png`))

    for (const layer of ['primaromrade', 'deso']) {
      await ui.givenTheMap(`lager=${layer}&indikator=demo_ran&period=2025`)
      const all = (await h.app.get(`/api/layers/${layer}/areas`)).body.features.length
      await ui.waitForNameLabels(all)
      const labels = await ui.mapNameLabels()
      // Never all of a dense layer at city zoom (the larger areas' names on a wide screen), none on top of another.
      expect(labels.length).toBeLessThan(all)
      if (width >= 1280 && layer === 'primaromrade') expect(labels.length).toBeGreaterThan(5)
      for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) expect(overlap(labels[i]!, labels[j]!), `${labels[i]!.text} / ${labels[j]!.text}`).toBe(false)
      await ui.screenshot(join(ARTEFACTS, `map-labels-${layer}-${width}.png`))
    }
    expect(errors).toEqual([])
  })

  it('zooms to an area chosen in the value table, announces it, and Esc closes the panel and returns the focus', async () => {
    const ui = await open(1280, 800)
    await ui.givenTheMap('lager=primaromrade&indikator=demo_ran&period=2025&utsatta=0')
    const city = await ui.mapBounds()
    const areas = (await h.app.get('/api/layers/primaromrade/areas')).body
    const hjallbo = areas.features.find((f: any) => f.properties.name === 'Hjällbo')
    const extent = bbox(hjallbo)

    await ui.chooseAreaInTable('Hjällbo')
    await ui.waitForAreaPanel()
    await ui.waitForMapMoved(city)
    // The whole area in view (once the panel beside it has narrowed the map), zoomed in on it, not on the city.
    await expect.poll(async () => holds(await ui.mapBounds(), extent)).toBe(true)
    const [[west], [east]] = await ui.mapBounds()
    expect(east - west).toBeLessThan((city[1][0] - city[0][0]) / 4)
    expect(await ui.text('area-announcement')).toBe('Visar Hjällbo')
    expect(ui.currentQuery()).toMatch(new RegExp(`omrade=${hjallbo.properties.id}`))

    await ui.focusAreaPanel()
    await ui.press('Escape')
    await ui.waitForAreaPanelClosed()
    expect(await ui.focusedText()).toBe('Hjällbo')
    expect(ui.currentQuery()).not.toMatch(/omrade=/)
  })

  it('zooms to the area a link names', async () => {
    const areas = (await h.app.get('/api/layers/stadsomrade/areas')).body
    const nordost = areas.features.find((f: any) => f.properties.name === 'Nordost')
    const extent = bbox(nordost)
    for (const [width, height] of [
      [1280, 800],
      [320, 640],
    ] as const) {
      const ui = await open(width, height)
      await ui.givenTheMap(`lager=stadsomrade&indikator=demo_ran&omrade=${nordost.properties.id}`)
      await ui.waitForAreaPanel()
      await expect.poll(async () => holds(await ui.mapBounds(), extent)).toBe(true)
      await ui.screenshot(join(ARTEFACTS, `map-area-link-${width}.png`))
    }
  })

  it('shows rates per 1 000 by default, per 100 000 on request, and says when a population is estimated', async () => {
    const ui = await open(1280, 800, 'local')
    const key = await ui.givenTheMap('lager=stadsomrade&indikator=demo_ran&period=2025')
    expect(await ui.measureChoices()).toEqual({ offered: ['Per 1 000 invånare', 'Per 100 000 invånare (Brå)', 'Antal'], checked: 'Per 1 000 invånare' })
    expect(await ui.legendCaption()).toMatch(/per 1\u00a0000 invånare/)
    expect(ui.currentQuery()).not.toMatch(/matt=|per=/)
    expect(await ui.text('population-note')).toMatch(/Befolkning 2025/)

    // Counts on purpose are kept in the link as antal.
    await ui.chooseMode('Antal')
    const counted = await ui.waitForPaint(key)
    expect(ui.currentQuery()).toMatch(/matt=antal/)
    expect(await ui.legendCaption()).toMatch(/antal/)

    // Brå's unit, kept in the link.
    await ui.chooseMode('Per 100 000 invånare (Brå)')
    await ui.waitForPaint(counted)
    expect(ui.currentQuery()).toMatch(/per=100000/)
    expect(await ui.legendCaption()).toMatch(/per 100\u00a0000 invånare/)

    // DeSO have no population of their own in the demo: it is interpolated by area, and the note says so.
    await ui.givenTheMap('lager=deso&indikator=demo_ran&period=2025')
    expect((await ui.measureChoices()).checked).toBe('Per 1 000 invånare')
    expect(await ui.text('population-note')).toMatch(/uppskattad/)
  })
})
