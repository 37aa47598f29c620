/**
 * The map, the area panel, the compare view and permalinks, in Debian's Chromium against the real server
 * on the embedded database with the demo data.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { closeTo, hexToRgb, LagesbildDriver, type LegendItem } from './driver'

/** The legend class a value belongs to: [lo, hi) except the last, which includes hi. */
function legendColor(legend: LegendItem[], v: number): string {
  const i = legend.findIndex((c, idx) => v >= c.lo && (v < c.hi || (idx === legend.length - 1 && v <= c.hi)))
  if (i < 0) throw new Error(`value ${v} is in no legend class ${JSON.stringify(legend)}`)
  return legend[i]!.color
}

describe.skipIf(browserSkipReason !== null)('the lägesbild map in Chromium', () => {
  const h = useBrowserApp()
  let ui: LagesbildDriver
  let errors: string[] = []
  beforeEach(async () => {
    await ui?.close()
    ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1400, height: 900 } }), h.app.url)
    errors = ui.recordErrors({ console: true })
  })

  /** Checks every shown area's pixel at its label point against the legend class of its API value. */
  async function expectChoroplethMatchesLegend(layer: string, indicator: string, period: string) {
    const [values, areas] = await Promise.all([
      h.app.get(`/api/indicators/${indicator}/values?layer=${layer}&period=${period}`),
      h.app.get(`/api/layers/${layer}/areas`),
    ])
    const legend = await ui.legend()
    expect(legend.length).toBeGreaterThanOrEqual(3)
    const shown = values.body.values.filter((v: any) => !v.suppressed && v.value !== null)
    const points = shown.map((v: any) => areas.body.features.find((f: any) => f.id === v.areaId).properties.labelPoint)
    const pixels = await ui.pixels(await ui.project(points))
    let checked = 0
    shown.forEach((v: any, i: number) => {
      if (!pixels[i]) return
      checked++
      expect(pixels[i], `${v.name} = ${v.value} want ${legendColor(legend, v.value)} got ${JSON.stringify(pixels[i])}`).toSatisfy((px: any) => closeTo(px, hexToRgb(legendColor(legend, v.value))))
    })
    expect(checked).toBe(shown.length)
    return legend
  }

  it('paints the choropleth in the legend’s colours, and repaints when the indicator changes', async () => {
    // Counts on purpose (rates are the default): the pixels are checked against the API's values.
    const key = await ui.givenTheMap('lager=primaromrade&indikator=demo_misshandel_utomhus&period=2024&utsatta=0&matt=antal')
    expect(key).toContain('primaromrade|demo_misshandel_utomhus|2024')
    const before = await expectChoroplethMatchesLegend('primaromrade', 'demo_misshandel_utomhus', '2024')
    await ui.screenshot(join(ARTEFACTS, 'map-misshandel.png'))

    // The tooltip: value, rate with its denominator, and source.
    const areas = await h.app.get('/api/layers/primaromrade/areas')
    const values = await h.app.get('/api/indicators/demo_misshandel_utomhus/values?layer=primaromrade&period=2024')
    const angered = values.body.values.find((v: any) => v.name === 'Angereds centrum')
    const [at] = await ui.project([areas.body.features.find((f: any) => f.id === angered.areaId).properties.labelPoint])
    await ui.hoverMapAt(at!)
    const tip = await ui.tooltipText()
    expect(tip).toContain('Angereds centrum')
    expect(tip).toContain(String(angered.value))
    expect(tip).toContain(`${((1000 * angered.numerator) / angered.denominator).toFixed(1).replace('.', ',')} per 1\u00a0000 inv.`)
    expect(tip).toMatch(/befolkning/)
    expect(tip).toMatch(/DEMO/)

    await ui.choose('Indikator', 'demo_otrygg_kvall')
    const next = await ui.waitForPaint(key)
    expect(next).toContain('primaromrade|demo_otrygg_kvall|2025')
    const after = await expectChoroplethMatchesLegend('primaromrade', 'demo_otrygg_kvall', '2025')
    expect(after).not.toEqual(before)
    expect(await ui.legendText()).toMatch(/Otrygg utomhus sen kväll/)
    expect(await ui.legendText()).toMatch(/%/)
    await ui.screenshot(join(ARTEFACTS, 'map-otrygghet.png'))
    expect(errors).toEqual([])
  })

  it('hatches hidden values for a local group, labels them "dolt" and explains why in the legend and tooltip', async () => {
    const local = new LagesbildDriver(await h.newPage({ viewport: { width: 1400, height: 900 } }, 'local'), h.app.url)
    await local.givenTheMap('lager=primaromrade&indikator=demo_ran&period=2025&utsatta=0')
    const values = await (await h.app.as('local')).get('/api/indicators/demo_ran/values?layer=primaromrade&period=2025')
    const hidden = values.body.values.filter((v: any) => v.suppressed)
    expect(hidden.length).toBeGreaterThan(0)
    expect(await local.legendEntryText('suppressed')).toMatch(/Dolt: färre än 5 fall, eller dolt för att ett annat dolt värde/)
    expect(await local.suppressedLabelCount()).toBe(hidden.length)
    expect(await local.count('internal-notice')).toBe(0)
    const areas = await h.app.get('/api/layers/primaromrade/areas')
    const target = areas.body.features.find((f: any) => f.id === hidden[0].areaId)
    const [at] = await local.project([target.properties.labelPoint])
    // Beside the label, the hatch's greys show: neither a class colour nor no-data grey.
    const [px] = await local.pixels([{ x: at!.x, y: at!.y + 12 }])
    const legend = await local.legend()
    expect(legend.some((c) => closeTo(px!, hexToRgb(c.color), 10))).toBe(false)
    await local.hoverMapAt({ x: at!.x + 4, y: at!.y + 12 })
    expect(await local.tooltipText()).toMatch(/Dolt: färre än 5 fall/)
    await local.close()
  })

  it('shows an analyst every value, telling which ones the others do not see', async () => {
    await ui.givenTheMap('lager=primaromrade&indikator=demo_ran&period=2025&utsatta=0')
    expect(await ui.suppressedLabelCount()).toBe(0)
    const internal = (await h.app.get('/api/indicators/demo_ran/values?layer=primaromrade&period=2025')).body
    const outside = internal.values.filter((v: any) => v.hiddenOutside).length
    expect(outside).toBeGreaterThan(0)
    expect(await ui.text('internal-notice')).toContain(`${outside} av ${internal.values.length} visas inte för andra`)
  })

  it('opens the area panel with value, rank and a trend chart when an area is clicked', async () => {
    await ui.givenTheMap('lager=stadsomrade&indikator=demo_otrygg_kvall&period=2023&utsatta=0')
    const areas = await h.app.get('/api/layers/stadsomrade/areas')
    const nordost = areas.body.features.find((f: any) => f.properties.name === 'Nordost')
    const [at] = await ui.project([nordost.properties.labelPoint])
    await ui.clickMapAt(at!)
    const panel = await ui.areaPanelSummary()
    expect(panel.heading).toBe('Nordost')
    const values = await h.app.get('/api/indicators/demo_otrygg_kvall/values?layer=stadsomrade&period=2023')
    const v = values.body.values.find((x: any) => x.name === 'Nordost')
    expect(panel.value).toBe(`${v.value.toFixed(1).replace('.', ',')}\u00a0%`)
    expect(panel.text).toMatch(/Plats \d av 4/)
    expect(panel.text).toMatch(/procentenheter jämfört med staden som helhet/)
    const chart = await ui.areaTrendChart()
    expect(chart.seriesCount).toBe('1')
    expect(chart.points).toBeGreaterThanOrEqual(4)
    expect(ui.currentQuery()).toMatch(new RegExp(`omrade=${nordost.id}`))
    await ui.screenshot(join(ARTEFACTS, 'area-panel.png'))
  })

  it('is keyboard operable: choosing an area from the list opens its panel', async () => {
    await ui.givenTheMap('lager=stadsomrade&indikator=demo_ran&utsatta=0')
    await ui.focus('Välj område')
    await ui.press('ArrowDown')
    await ui.waitForAreaPanel()
    expect(await ui.focusedId()).toBe('ctl-area')
    await ui.press('Escape')
  })

  it('reproduces a view from its permalink', async () => {
    const first = await ui.givenTheMap('indikator=demo_bostadsinbrott&utsatta=0')
    await ui.choose('Indelning', 'lokalpolisomrade')
    const second = await ui.waitForPaint(first)
    await ui.chooseMode('Förändring mellan två perioder')
    const third = await ui.waitForPaint(second)
    await ui.choose('Från', '2020')
    const fourth = await ui.waitForPaint(third)
    await ui.chooseMode('Antal')
    const key = await ui.waitForPaint(fourth)
    const legend = await ui.legend()
    const permalink = ui.currentQuery()
    expect(permalink).toMatch(/lager=lokalpolisomrade/)
    expect(permalink).toMatch(/lage=forandring/)
    expect(permalink).toMatch(/matt=antal/)
    expect(await ui.legendText()).toMatch(/förändring/)
    expect(await ui.text('metadata')).toMatch(/Ungefärliga/)

    const again = new LagesbildDriver(await h.newPage({ viewport: { width: 1400, height: 900 } }), h.app.url)
    expect(await again.givenTheMap(permalink)).toBe(key)
    expect(await again.legend()).toEqual(legend)
    const areas = await h.app.get('/api/layers/lokalpolisomrade/areas')
    const points = areas.body.features.map((f: any) => f.properties.labelPoint)
    expect(await again.pixels(await again.project(points))).toEqual(await ui.pixels(await ui.project(points)))
    await again.close()
  })

  it('toggles the outline of the utsatta områden', async () => {
    await ui.givenTheMap('lager=stadsomrade&indikator=demo_ran')
    expect(await ui.layerVisible('overlay-line')).toBe(true)
    await ui.toggle('Visa utsatta områden (polisens lista 2025)', false)
    await ui.waitForLayerHidden('overlay-line')
    expect(ui.currentQuery()).toMatch(/utsatta=0/)
  })

  it('compares areas of different layers: small multiples and bars against the city', async () => {
    const list = await h.app.get('/api/areas')
    const id = (layer: string, name: string) => list.body.find((a: any) => a.layer === layer && a.name === name).id
    const ids = [id('primaromrade', 'Hjällbo'), id('stadsomrade', 'Centrum'), id('lokalpolisomrade', 'Syd')]
    await ui.givenThePage(`/jamfor?omraden=${ids.join(',')}&indikatorer=demo_otrygg_kvall,demo_misshandel_utomhus`)
    const survey = await ui.comparison('demo_otrygg_kvall')
    expect(await ui.chosenAreaCount()).toBe(3)
    expect(survey.multiples).toBe(3)
    expect(survey.valueBars).toBe(3)
    expect(survey.text).toMatch(/Staden/)
    expect(survey.text).toMatch(/DEMO/)
    const crimes = await ui.comparison('demo_misshandel_utomhus')
    expect(crimes.text).toMatch(/per 1\u00a0000 invånare/)
    expect(crimes.text).toMatch(/ungefärliga/)

    // Adding a fourth area with the keyboard-operable picker, then the limit.
    await ui.addCompareArea('Bergsjön', 4)
    expect(await ui.compareAreaPickerDisabled()).toBe(true)
    await ui.screenshot(join(ARTEFACTS, 'compare.png'))

    // The comparison as Excel CSV: the rows the series API gives this viewer.
    const [file] = await Promise.all([ui.page.waitForEvent('download'), ui.page.getByTestId('download-demo_misshandel_utomhus').click()])
    expect(await ui.page.getByTestId('download-demo_misshandel_utomhus').textContent()).toBe('Ladda ner jämförelsen (CSV för Excel)')
    expect(file.suggestedFilename()).toMatch(/^lagesbild_demo_misshandel_utomhus_jamforelse_.+\.csv$/)
    const rows = (await readFile((await file.path())!, 'utf8')).replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(rows[0]).toBe('Område;Kod;Indelning;Period;Värde;Täljare;Befolkning;Dold;Källa;Anmärkning;Indikator')
    expect(rows.length).toBeGreaterThan(4)

    // Brå's unit, kept in the link.
    await ui.givenThePage(`/jamfor?omraden=${ids.join(',')}&indikatorer=demo_misshandel_utomhus&per=100000`)
    const per100k = await ui.comparison('demo_misshandel_utomhus')
    expect(per100k.text).toMatch(/per 100\u00a0000 invånare/)
    expect(errors).toEqual([])
  })

  it('draws without any network beyond its own server (offline style)', async () => {
    const requests = ui.recordRequests()
    await ui.givenTheMap('lager=deso&indikator=demo_otrygg_kvall')
    const foreign = requests.filter((url) => !url.startsWith(h.app.url) && !url.startsWith('blob:') && !url.startsWith('data:'))
    expect(foreign).toEqual([])
  })
  it('downloads the map view as GeoJSON with geometry and values, and as Excel CSV, named by what and when', async () => {
    await ui.givenTheMap('lager=stadsomrade&indikator=demo_ran&period=2025')
    await ui.page.getByRole('group', { name: 'Ladda ner' }).scrollIntoViewIfNeeded()
    await ui.screenshot(join(ARTEFACTS, 'map-downloads.png'))
    const geoFile = await ui.downloadLink('GeoJSON')
    expect(geoFile.suggestedFilename()).toBe('lagesbild_demo_ran_stadsomrade_2025.geojson')
    const geo = JSON.parse(await readFile((await geoFile.path())!, 'utf8'))
    const values = (await h.app.get('/api/indicators/demo_ran/values?layer=stadsomrade&period=2025')).body
    expect(geo.features.map((f: any) => [f.properties.code, f.properties.value])).toEqual(values.values.map((v: any) => [v.code, v.value]))
    expect(geo.features.every((f: any) => f.geometry?.type.endsWith('Polygon'))).toBe(true)
    expect(geo.metadata).toMatchObject({ indicator: 'demo_ran', layer: 'stadsomrade', period: '2025', source: values.source })
    const csvFile = await ui.downloadLink('CSV (Excel)')
    expect(csvFile.suggestedFilename()).toBe('lagesbild_demo_ran_stadsomrade_2025.csv')
    const csv = await readFile((await csvFile.path())!, 'utf8')
    expect(csv.startsWith('\uFEFFOmråde;Kod;Period;Värde')).toBe(true)
    expect(csv.trim().split('\r\n')).toHaveLength(values.values.length + 1)
    // At 320 px the links wrap; nothing scrolls sideways.
    await ui.page.setViewportSize({ width: 320, height: 800 })
    await ui.page.getByRole('group', { name: 'Ladda ner' }).scrollIntoViewIfNeeded()
    await ui.screenshot(join(ARTEFACTS, 'map-downloads-320.png'))
    expect(await ui.page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)
    expect(errors).toEqual([])
  })
  it('downloads a published lägesbild’s map as CSV and GeoJSON with its frozen figures, for the public', async () => {
    const pub = new LagesbildDriver(await h.newPage({ viewport: { width: 1400, height: 900 } }, 'public'), h.app.url)
    const publicApi = await h.app.as('public')
    const [snapshot] = (await publicApi.get('/api/snapshots')).body
    await pub.givenThePage(`/lagesbilder/${snapshot.id}`)
    await pub.waitForPaint()
    const csvFile = await pub.downloadLink('CSV (Excel)')
    expect(csvFile.suggestedFilename()).toMatch(/^lagesbild_\w+_\w+_[\w-]+\.csv$/)
    expect(await readFile((await csvFile.path())!, 'utf8')).toMatch(/^\uFEFFOmråde;Kod;Period;Värde/)
    const file = await pub.downloadLink('GeoJSON')
    expect(file.suggestedFilename()).toMatch(/^lagesbild_\w+_\w+_[\w-]+\.geojson$/)
    const geo = JSON.parse(await readFile((await file.path())!, 'utf8'))
    const { indicator, layer, period } = geo.metadata
    expect(geo.metadata.snapshot).toBe(snapshot.id)
    const frozen = (await publicApi.get(`/api/snapshots/${snapshot.id}/values?indicator=${indicator}&layer=${layer}&period=${period}`)).body
    expect(geo.features.map((f: any) => [f.properties.id, f.properties.value, f.properties.suppressed])).toEqual(frozen.values.map((v: any) => [v.areaId, v.value, v.suppressed]))
    await pub.close()
  })
})
