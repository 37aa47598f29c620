/**
 * Trends show one kind of period at a time, in time order, labelled in Swedish: years of the demo data plus
 * months of 2026 imported as incidents, in the area panel and on the compare page, in Chromium.
 */
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { post } from '../helpers/http'
import { LagesbildDriver } from './driver'

const KIND_LABELS: Record<string, string> = { year: 'År', half: 'Halvår', quarter: 'Kvartal', month: 'Månad', week: 'Vecka' }
const MONTHS = ['jan 2026', 'feb 2026', 'mar 2026', 'apr 2026']

describe.skipIf(browserSkipReason !== null)('trends by kind of period in Chromium', () => {
  const h = useBrowserApp()
  let centrum: number
  let hisingen: number
  let kinds: string[]
  const opened: LagesbildDriver[] = []
  const open = async (width: number, height: number) => {
    const ui = new LagesbildDriver(await h.newPage({ viewport: { width, height } }), h.app.url)
    opened.push(ui)
    return ui
  }

  beforeAll(async () => {
    // Given robberies in central Göteborg in January to April 2026, on top of the demo's years 2019–2025.
    const rows: string[] = []
    for (let month = 1; month <= 4; month++) {
      for (let i = 0; i < 20 + 5 * month; i++) {
        const lon = 11.96 + ((i * 37) % 100) / 7_000
        const lat = 57.7 + ((i * 53) % 100) / 14_000
        rows.push(`2026-0${month}-${String(1 + (i % 28)).padStart(2, '0')},demo_ran,${lon.toFixed(5)},${lat.toFixed(5)}`)
      }
    }
    const imported = await post(h.app, '/api/imports/incidents?filename=ran-2026.csv', `date,category,lon,lat\n${rows.join('\n')}\n`)
    expect(imported.status, JSON.stringify(imported.body)).toBe(201)
    expect(imported.body.rowsOutsideCity).toBe(0)
    const areas = (await h.app.get('/api/areas')).body
    centrum = areas.find((a: any) => a.layer === 'stadsomrade' && a.name === 'Centrum').id
    hisingen = areas.find((a: any) => a.layer === 'stadsomrade' && a.name === 'Hisingen').id
    const series = (await h.app.get(`/api/indicators/demo_ran/series?areas=${centrum}`)).body
    expect(series.periodKind).toBe('year')
    kinds = series.periodKinds
    expect(kinds).toEqual(expect.arrayContaining(['year', 'month']))
  })
  afterEach(async () => {
    for (const ui of opened.splice(0)) await ui.close()
  })

  it('the area panel shows years by default, offers the kinds there are, and keeps months in the link', async () => {
    const ui = await open(1280, 800)
    await ui.givenTheMap(`lager=stadsomrade&indikator=demo_ran&omrade=${centrum}&utsatta=0`)

    // Years by default, oldest first.
    await ui.waitForTrendKind('area-trend', 'year')
    const years = await ui.trend('area-trend')
    expect(years.rows).toEqual(['2019', '2020', '2021', '2022', '2023', '2024', '2025'])
    expect(years.labels.length).toBeGreaterThan(1)
    expect(years.labels).toEqual([...years.labels].sort())
    expect(years.labels.at(-1)).toBe('2025')
    expect(await ui.periodKinds('area-period-kinds')).toEqual({ offered: kinds.map((k) => KIND_LABELS[k]), checked: 'År' })
    await ui.screenshot(join(ARTEFACTS, 'trend-years-1280.png'))

    // When months are chosen (with the keyboard), the trend is January to April 2026 in order, and the link says so.
    await ui.choosePeriodKind('area-period-kinds', 'Månad')
    await ui.waitForTrendKind('area-trend', 'month')
    const months = await ui.trend('area-trend')
    expect(months.labels).toEqual(MONTHS)
    expect(months.labelPeriods).toEqual(['2026-01', '2026-02', '2026-03', '2026-04'])
    expect(months.rows).toEqual(['januari 2026', 'februari 2026', 'mars 2026', 'april 2026'])
    expect(ui.currentQuery()).toMatch(/(^|&)perioder=manad(&|$)/)
    await ui.screenshot(join(ARTEFACTS, 'trend-months-1280.png'))

    // A shared link keeps the choice.
    const again = await open(1280, 800)
    await again.givenTheMap(ui.currentQuery())
    await again.waitForTrendKind('area-trend', 'month')
    expect((await again.periodKinds('area-period-kinds')).checked).toBe('Månad')
    expect((await again.trend('area-trend')).labels).toEqual(MONTHS)
  })

  it('fits a 320 px wide screen: picker and chart inside, the axis labels apart', async () => {
    const ui = await open(320, 700)
    await ui.givenTheMap(`lager=stadsomrade&indikator=demo_ran&omrade=${centrum}&utsatta=0&perioder=manad`)
    await ui.waitForTrendKind('area-trend', 'month')
    const box = await ui.areaTrendLayout()
    expect(box.picker).toBeLessThanOrEqual(320)
    expect(box.chart).toBeLessThanOrEqual(320)
    expect(box.labels.length).toBeGreaterThan(1)
    box.labels.forEach((l, i) => {
      expect(l.left).toBeGreaterThanOrEqual(0)
      expect(l.right).toBeLessThanOrEqual(320)
      if (box.labels[i + 1]) expect(box.labels[i + 1]!.left).toBeGreaterThan(l.right)
    })
    await ui.screenshotOf('area-panel', join(ARTEFACTS, 'trend-months-320.png'))
  })

  it('the compare page has a picker per indicator, kept in the link', async () => {
    const ui = await open(1280, 800)
    await ui.givenThePage(`/jamfor?omraden=${centrum},${hisingen}&indikatorer=demo_ran,demo_otrygg_kvall&matt=antal`)
    await ui.waitForTrendKind(`multiples-demo_ran-${centrum}`, 'year')
    // The survey has years only: nothing to choose there.
    await ui.waitFor('bars-demo_otrygg_kvall')
    expect(await ui.count('period-kinds-demo_otrygg_kvall')).toBe(0)
    await ui.choosePeriodKind('period-kinds-demo_ran', 'Månad')
    await ui.waitForTrendKind(`multiples-demo_ran-${hisingen}`, 'month')
    expect((await ui.trend(`multiples-demo_ran-${centrum}`)).labelPeriods).toEqual(['2026-01', '2026-02', '2026-03', '2026-04'])
    expect(new URLSearchParams(ui.currentQuery()).get('perioder')).toBe('demo_ran:manad')
    // The bars read the latest period of the kind shown.
    expect(await ui.caption('bars-demo_ran')).toMatch(/^april 2026:/)
    await ui.screenshot(join(ARTEFACTS, 'compare-months-1280.png'))

    const narrow = await open(320, 700)
    await narrow.givenThePage(`/jamfor?${ui.currentQuery()}`)
    await narrow.waitForTrendKind(`multiples-demo_ran-${centrum}`, 'month')
    const rights = await narrow.comparePeriodRights('demo_ran')
    expect(rights.length).toBe(3)
    rights.forEach((r) => expect(r).toBeLessThanOrEqual(320))
    await narrow.screenshotOf('comparison-demo_ran', join(ARTEFACTS, 'compare-months-320.png'))
  })
})
