/** Hot spots, smoothed rates and tested change on the map, as an analyst, in Debian's Chromium. */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { insertCountIndicator } from '../helpers/fixtures'
import { post } from '../helpers/http'
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

  it('draws emerging hot spots over twelve months in their classes, with a Swedish legend, at 1280 and 320 px', async () => {
    // Twelve months of a count on primärområden: one neighbourhood rising throughout, one hot only in the last month.
    await insertCountIndicator(h.db, 'test_emerging_map', 'Planterade mönster')
    const areas = (await h.app.get('/api/layers/primaromrade/areas')).body
    const nb: Record<string, number[]> = (await h.app.get('/api/layers/primaromrade/neighbours')).body.neighbours
    const ids: number[] = areas.features.map((f: any) => f.id)
    const closed = (id: number) => [id, ...nb[String(id)]!]
    const rising = ids.find((id) => nb[String(id)]!.length >= 4)!
    const late = ids.find((id) => nb[String(id)]!.length >= 4 && !closed(id).some((j) => closed(rising).includes(j) || nb[String(j)]!.includes(rising)))!
    const months = Array.from({ length: 14 }, (_, i) => `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`)
    const rows = ['indicator,layer,area_code,period,value']
    areas.features.forEach((f: any, k: number) =>
      months.forEach((m, t) => {
        const v = closed(rising).includes(f.id) ? 30 + 5 * t : closed(late).includes(f.id) && t === months.length - 1 ? 70 : 12 + ((k * 7 + t * 3) % 5)
        rows.push(`test_emerging_map,primaromrade,${f.properties.code},${m},${v}`)
      }),
    )
    expect((await post(h.app, '/api/imports/observations?filename=emerging-map.csv', rows.join('\n') + '\n')).status).toBe(201)

    const ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 800 } }), h.app.url)
    const errors = ui.recordErrors()
    const before = await ui.givenTheMap('lager=primaromrade&indikator=test_emerging_map&period=2026-02&utsatta=0')
    await ui.chooseMode('Framväxande heta punkter')
    const key = await ui.waitForPaint(before)
    expect(key).toContain('emerging')
    // The default: the last twelve held months up to the map's period.
    const api = (await h.app.get('/api/analysis/emerging?indicator=test_emerging_map&layer=primaromrade&from=2025-03&to=2026-02')).body
    expect(api.periods).toHaveLength(12)
    const of = (id: number) => api.values.find((v: any) => v.areaId === id)
    expect(of(rising).class).toBe('intensifying_hot')
    expect(of(late).class).toBe('new_hot')
    const legend = await ui.legendCategories()
    expect(legend.map((l) => l.text).join(' ')).toMatch(/Intensifierande het punkt.*Ny het punkt|Ny het punkt.*Intensifierande het punkt/)
    for (const item of legend) expect(item.text).toContain(`(${api.values.filter((v: any) => v.class === item.id).length})`)
    const colorOf = new Map(legend.map((l) => [l.id, l.color]))
    const withClass = api.values.filter((v: any) => colorOf.has(v.class))
    const pixels = await ui.pixels(await ui.project(withClass.map((v: any) => areas.features.find((f: any) => f.id === v.areaId).properties.labelPoint)))
    withClass.forEach((v: any, i: number) => {
      if (pixels[i]) expect(closeTo(pixels[i]!, hexToRgb(colorOf.get(v.class)!)), `${v.areaId} ${v.class}`).toBe(true)
    })
    // The tooltip names the pattern and shows the months.
    const [at] = await ui.project([areas.features.find((f: any) => f.id === rising).properties.labelPoint])
    await ui.hoverMapAt(at!)
    expect(await ui.tooltipText()).toMatch(/Intensifierande het punkt: het 12 och kall 0 av 12 perioder[\s\S]*▲{12}/)
    await ui.screenshot(join(ARTEFACTS, 'map-emerging-1280.png'))
    await ui.screenshotOf('legend', join(ARTEFACTS, 'map-emerging-legend.png'))

    // Another start: the URL keeps it, and the map follows the API for that range.
    await ui.choose('Från period', '2025-06')
    await ui.waitForPaint(key)
    expect(ui.page.url()).toContain('sedan=2025-06')
    const shorter = (await h.app.get('/api/analysis/emerging?indicator=test_emerging_map&layer=primaromrade&from=2025-06&to=2026-02')).body
    for (const item of await ui.legendCategories()) expect(item.text).toContain(`(${shorter.values.filter((v: any) => v.class === item.id).length})`)

    await ui.page.mouse.move(0, 0) // the tooltip goes
    await ui.page.setViewportSize({ width: 320, height: 700 })
    expect(await ui.horizontalOverflow()).toEqual({ overflow: 0, culprits: [] })
    await ui.screenshot(join(ARTEFACTS, 'map-emerging-320.png'))
    expect(errors).toEqual([])
    await ui.close()
  })
})
