/** Hot spots, smoothed rates and tested change on the map, as an analyst, in Debian's Chromium. */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { closeTo, hexToRgb, LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('analysis on the map in Chromium', () => {
  const h = useBrowserApp()

  it('paints Gi* hot spots in their class colours with a legend that counts them, and turns FDR on', async () => {
    const ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1400, height: 900 } }), h.app.url)
    const errors = ui.recordErrors()
    const before = await ui.givenTheMap('lager=primaromrade&indikator=demo_misshandel_utomhus&period=2024&utsatta=0')
    await ui.chooseMode('Hot spots (Getis–Ord Gi*)')
    const key = await ui.waitForPaint(before)
    expect(key).toContain('gistar')
    // On rates per 1 000, the default where the layer carries a population.
    const api = (await h.app.get('/api/analysis/hotspots?indicator=demo_misshandel_utomhus&layer=primaromrade&period=2024&method=gistar&measure=rate')).body
    const legend = await ui.legendCategories()
    for (const item of legend) expect(item.text).toContain(`(${api.values.filter((v: any) => v.class === item.id).length})`)
    expect(legend.map((l) => l.id)).toEqual(expect.arrayContaining(['ns']))
    // Every area's pixel has its class's colour.
    const areas = (await h.app.get('/api/layers/primaromrade/areas')).body
    const colorOf = new Map(legend.map((l) => [l.id, l.color]))
    const withClass = api.values.filter((v: any) => colorOf.has(v.class))
    const pixels = await ui.pixels(await ui.project(withClass.map((v: any) => areas.features.find((f: any) => f.id === v.areaId).properties.labelPoint)))
    withClass.forEach((v: any, i: number) => {
      if (pixels[i]) expect(closeTo(pixels[i]!, hexToRgb(colorOf.get(v.class)!)), `${v.areaId} ${v.class}`).toBe(true)
    })
    await ui.screenshot(join(ARTEFACTS, 'map-gistar.png'))

    // Controlled by the URL, which updates a moment after the click.
    await ui.toggle('Korrigera för många test (FDR)', true)
    expect(await ui.waitForPaint(key)).toContain('fdr')
    expect(await ui.legendText()).toMatch(/FDR-korrigerade/)
    expect(errors).toEqual([])
    await ui.close()
  })

  it('shows smoothed rates with a note on why they differ, and a change map that says where nothing changed for sure', async () => {
    const ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1400, height: 900 } }), h.app.url)
    const first = await ui.givenTheMap('lager=primaromrade&indikator=demo_ran&period=2025&utsatta=0&matt=per1000')
    await ui.choose('Utjämning av tal per 1 000', 'eb')
    await ui.waitForPaint(first)
    expect(await ui.text('smooth-note')).toMatch(/drar små områdens tal mot stadens/)
    expect(await ui.legendCaption()).toMatch(/empirisk bayes \(global\)/i)

    // DeSO carry no population of their own in the demo: rates on one interpolated by area, said to be estimated.
    await ui.givenTheMap('lager=deso&indikator=demo_ran&period=2025&utsatta=0&matt=per1000')
    expect(await ui.text('population-note')).toMatch(/uppskattad/)
    expect(await ui.legendCaption()).toMatch(/per 1\u00a0000 invånare/)

    await ui.givenTheMap('lager=stadsomrade&indikator=demo_ran&period=2025&lage=forandring&fran=2024&utsatta=0')
    const test = (await h.app.get('/api/analysis/change?indicator=demo_ran&layer=stadsomrade&from=2024&to=2025')).body
    expect(await ui.text('change-test-note')).toMatch(/exakt test för två Poisson-tal/)
    const notSure = test.values.filter((v: any) => v.significant === false).length
    expect(await ui.legendEntryCount('extra')).toBe(notSure > 0 ? 1 : 0)
    if (notSure > 0) expect(await ui.legendEntryText('extra')).toMatch(/Ingen säker förändring/)
    await ui.close()
  })
})
