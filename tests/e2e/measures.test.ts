/** A local group creates a measure in the browser, sees it on the map and in the follow-up view. */
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { linkDemoIndicators } from '../../geodata/seed'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('measures in Chromium', () => {
  const h = useBrowserApp({ prepare: (db) => linkDemoIndicators(h.db.kysely) })
  let ui: LagesbildDriver
  beforeAll(async () => {
    ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1400, height: 900 } }), h.app.url)
  })

  it('shows the cycle and the problem areas, whose indicators open on the map', async () => {
    await ui.givenThePage('/prioriteringar')
    await ui.waitFor('problem-areas')
    expect(await ui.text('problem-areas')).toMatch(/Välfärdsbrottslighet/)
    expect(await ui.rowCount('cycle-steps')).toBe(5)
    await ui.setCycleStep('Åtgärdsplan, Staden', 'pagar')
    await ui.followLink('Elever i åk 9 behöriga till gymnasiet, andel (demo)')
    expect(await ui.waitForPaint()).toContain('demo_behoriga_gymnasiet')
  })

  it('refuses an incomplete measure field by field, then saves it, shows it on the map and in the follow-up', async () => {
    await ui.givenThePage('/atgarder')
    await ui.clickButton('Ny åtgärd')
    await ui.fillMeasure({ title: 'Tr' })
    await ui.saveMeasure()
    await ui.waitForFieldError('title')
    expect(await ui.fieldError('areaIds')).toMatch(/minst ett område/)

    const areas = (await h.app.get('/api/areas')).body
    const hjallbo = areas.find((a: any) => a.name === 'Hjällbo' && a.layer === 'primaromrade')
    const lovgardet = areas.find((a: any) => a.name === 'Lövgärdet' && a.layer === 'primaromrade')
    await ui.fillMeasure({
      title: 'Trygghetsvandringar i Hjällbo',
      purpose: 'trygghetsskapande',
      partners: ['Polisen'],
      status: 'pagaende',
      areaIds: [hjallbo.id],
      followUp: [
        { indicator: 'demo_otrygg_kvall', baselinePeriod: '2021', target: '35', targetPeriod: '2025' },
        { indicator: 'demo_misshandel_utomhus', baselinePeriod: '2021', target: '40', targetPeriod: '2026' },
      ],
      comparisonAreaId: lovgardet.id,
      bufferM: '400',
    })
    await ui.saveMeasure()
    expect(await ui.measureRow('Trygghetsvandringar i Hjällbo')).toMatch(/staden, polisen/)
    // The baseline is not typed: once saved, the form shows it as computed from the data.
    await ui.editMeasure('Trygghetsvandringar i Hjällbo')
    const baseline = (await h.app.get('/api/indicators/demo_otrygg_kvall/values?layer=primaromrade&period=2021')).body.values.find((v: any) => v.areaId === hjallbo.id)
    const [shown] = await ui.computedBaselines()
    expect(shown).toMatch(/^Beräknat utgångsvärde: Hjällbo \d+(,\d+)?\s%\s\(2021\)$/)
    expect(Number(shown!.match(/Hjällbo (\d+(?:,\d+)?)/)![1]!.replace(',', '.'))).toBeCloseTo(baseline.value, 1)
    await ui.clickButton('Avbryt')

    await ui.showMeasureOnMap('Trygghetsvandringar i Hjällbo')
    await ui.waitFor('measure-banner')
    await ui.waitForPaintMatching(/atgard\d+$/)
    expect((await ui.areaFeatureState(hjallbo.id)).measure).toBe(true)
    await ui.screenshot(join(ARTEFACTS, 'measure-on-map.png'), { fullPage: false })

    await ui.givenThePage(`/?lager=stadsomrade&omrade=${(await h.app.get('/api/areas')).body.find((a: any) => a.name === 'Nordost').id}`)
    await ui.waitFor('area-measures')
    expect(await ui.text('area-measures')).toMatch(/Trygghetsvandringar i Hjällbo/)
    // An area picked on the map starts a new measure there.
    await ui.followLink('Ny åtgärd i området')
    expect(await ui.measureFormAreas()).toEqual(['Nordost'])

    await ui.givenThePage('/uppfoljning')
    await ui.waitFor('measure-mix')
    const followUp = await ui.followUpOf('Trygghetsvandringar i Hjällbo')
    // Computed baseline, latest and target per indicator and area, with the status in words.
    expect(followUp).toMatch(/Hjällbo\s+[\d,]+\s%\s\(2021\)\s+[\d,]+\s%\s\(2025\)\s+35,0\s%\s\(2025\)\s+[\d,<\s]+\s+(Grön|Gul|Röd)/)
    expect(followUp).toMatch(/Förskjutning/)
    expect(followUp).toMatch(/Jämförelseområde Lövgärdet; buffertzon inom 400 m/)
    expect(followUp).toMatch(/WDD|dolt/)
    // Every measure (the demo's and this one), and those under way, as the register holds them.
    const all = (await h.app.get('/api/measures')).body as Array<{ status: string }>
    expect(all.length).toBeGreaterThan(1)
    expect(await ui.text('measure-mix')).toContain(`Staden som helhet: ${all.length} åtgärder (${all.filter((m) => m.status === 'pagaende').length} pågående)`)
    await ui.screenshot(join(ARTEFACTS, 'follow-up.png'))
  })

  it('draws a place on the map, saves it and starts a measure there', async () => {
    await ui.givenTheMap('lager=stadsomrade&utsatta=0')
    await ui.clickButton('Rita en plats')
    await ui.fill('Platsens namn', 'Brunnsparken')
    // Corners in the wrong order make a bow tie: Turf says so before anything is sent.
    const bowTie = await ui.project([[11.966, 57.707], [11.975, 57.712], [11.975, 57.707], [11.966, 57.712]])
    for (const c of bowTie) await ui.clickMapAt(c)
    await expect.poll(() => ui.text('place-problem'), { timeout: 30_000 }).toMatch(/kanterna korsar varandra/)
    expect(await ui.buttonDisabled('Spara platsen')).toBe(true)
    for (let i = 0; i < 4; i++) await ui.clickButton('Ångra hörn')
    // A point with a radius is a circle; going back to corners starts afresh.
    await ui.chooseMode('Punkt med radie')
    await ui.clickMapAt(bowTie[0]!)
    // The check follows the click's render: on a loaded machine it may come a moment later.
    await expect.poll(() => ui.text('place-check'), { timeout: 30_000 }).toMatch(/En cirkel med radien 100 m, 3,1 ha/)
    await ui.chooseMode('Klicka ut hörnen')
    const corners = await ui.project([[11.966, 57.707], [11.975, 57.707], [11.975, 57.712], [11.966, 57.712]])
    for (const c of corners) await ui.clickMapAt(c)
    // 0.009° × 0.005° at 57.7° N: about 536 m × 557 m = 29.8 ha, give or take the clicks' whole pixels.
    await expect.poll(() => ui.text('place-check'), { timeout: 30_000 }).toMatch(/^4 hörn, /)
    const hectares = Number((await ui.text('place-check')).match(/^4 hörn, (\d+,\d) ha/)?.[1]?.replace(',', '.'))
    expect(hectares).toBeGreaterThan(27)
    expect(hectares).toBeLessThan(33)
    await ui.clickButton('Spara platsen')
    await ui.waitFor('place-saved')
    // No area was selected by those clicks: they were corners.
    expect(ui.currentQuery()).not.toMatch(/omrade=/)
    await ui.followLink('Ny åtgärd på platsen')
    expect(await ui.measureFormAreas()).toEqual(['Brunnsparken'])
    const places = (await h.app.get('/api/areas')).body.filter((a: any) => a.layer === 'plats')
    expect(places.map((p: any) => p.name)).toEqual(['Brunnsparken'])
  })
})
