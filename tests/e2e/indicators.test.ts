/** An analyst defines an indicator on the Indikatorer page, edits it, meets someone else's newer edit, and deletes it. */
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { send } from '../helpers/http'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('the indicator catalogue in Chromium', () => {
  const h = useBrowserApp()
  let ui: LagesbildDriver
  let errors: string[]
  beforeAll(async () => {
    ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 800 } }), h.app.url)
    errors = ui.recordErrors()
  })

  it('creates an aktivitet indicator: plain mistakes and a taken id shown at their fields, then listed under its category', async () => {
    await ui.givenThePage('/indikatorer')
    await ui.waitForHeading('Indikatorer', 1)
    // The demo's catalogue, grouped by category.
    expect(await ui.indicatorCategoryOf('demo_ran')).toBe('Brott')
    await ui.clickButton('Ny indikator')
    await ui.fillIndicator({ id: 'Trafik kontroller', name: 'T', source: 'Polisen region Väst', threshold: '0' })
    await ui.saveIndicator()
    expect(await ui.indicatorFieldError('id')).toMatch(/små bokstäver/)
    expect(await ui.indicatorFieldError('name')).toMatch(/minst 2 tecken/)
    expect(await ui.indicatorFieldError('minPublishCount')).toMatch(/minst 1/)

    // An aktivitet is neither better nor worse: the form offers only neutral.
    await ui.fillIndicator({ id: 'trafikkontroller', name: 'Trafikkontroller', description: 'Polisens trafikkontroller.', category: 'aktivitet', licence: 'CC BY 4.0', threshold: '3' })
    expect(await ui.indicatorChoices('Riktning')).toEqual(['Neutral (aktivitet)'])
    await ui.saveIndicator()
    await ui.waitForIndicatorFormClosed()
    const row = await ui.indicatorRow('trafikkontroller')
    expect(row).toMatchObject({ Namn: expect.stringMatching(/^Trafikkontroller/), Id: 'trafikkontroller', Enhet: 'Antal', Riktning: 'Neutral (aktivitet)', Källa: 'Polisen region Väst', Licens: 'CC BY 4.0', Gräns: '3', Urval: '–', Perioder: 'Inga värden', Version: '1' })
    expect(await ui.indicatorCategoryOf('trafikkontroller')).toBe('Aktivitet (insatser)')
    // The import now knows it.
    expect((await h.app.get('/api/indicators')).body.find((i: any) => i.id === 'trafikkontroller')).toMatchObject({ polarity: 'neutral', minPublishCount: 3 })

    // The same id again: the server's refusal lands on the id field.
    await ui.clickButton('Ny indikator')
    await ui.fillIndicator({ id: 'trafikkontroller', name: 'Kontroller igen', source: 'Polisen' })
    await ui.saveIndicator()
    expect(await ui.indicatorFieldError('id')).toMatch(/finns redan/)
    await ui.clickButton('Avbryt')
  })

  it('edits it; a save over a newer version shows what changed and offers the newer one; lists the versions', async () => {
    await ui.editIndicator('Trafikkontroller')
    await ui.fillIndicator({ name: 'Trafikkontroller (polisen)', threshold: '5' })
    await ui.saveIndicator()
    await ui.waitForIndicatorFormClosed()
    expect(await ui.indicatorRow('trafikkontroller', 'Trafikkontroller (polisen)')).toMatchObject({ Gräns: '5', Version: '2' })

    await ui.editIndicator('Trafikkontroller (polisen)')
    // Meanwhile a colleague changes the licence.
    expect((await send(h.app, 'PATCH', '/api/indicators/trafikkontroller', { version: 2, licence: 'CC0' })).status).toBe(200)
    await ui.fillIndicator({ description: 'Kontroller av trafiken, alla slag.' })
    await ui.saveIndicator()
    expect(await ui.indicatorProblem()).toMatch(/ändrats av någon annan/)
    expect(await ui.indicatorFieldError('licence')).toMatch(/licens har ändrats: nu "CC0" \(var "CC BY 4.0"\)/)
    await ui.screenshot(join(ARTEFACTS, 'indicators-stale-edit.png'), { fullPage: false })
    await ui.reloadIndicatorInForm()
    await ui.fillIndicator({ description: 'Kontroller av trafiken, alla slag.' })
    await ui.saveIndicator()
    await ui.waitForIndicatorFormClosed()
    expect(await ui.indicatorRow('trafikkontroller', 'Kontroller av trafiken')).toMatchObject({ Licens: 'CC0', Version: '4' })

    const versions = await ui.indicatorVersions('Trafikkontroller (polisen)')
    expect(versions).toHaveLength(4)
    expect(versions[0]).toMatch(/Version 4 \(nuvarande\)/)
    expect(versions[0]).toMatch(/beskrivning: Polisens trafikkontroller\. → Kontroller av trafiken, alla slag\./)
    expect(versions[1]).toMatch(/licens: CC BY 4\.0 → CC0/)
    expect(versions[2]).toMatch(/namn: Trafikkontroller → Trafikkontroller \(polisen\); publiceringsgräns: 3 → 5/)
    expect(versions[3]).toMatch(/Version 1.*analytiker@demo\.lagesbild\.se[\s\S]*Skapad/)
    await ui.screenshot(join(ARTEFACTS, 'indicators-1280.png'))
    await ui.clickButton('Stäng')
  })

  it('fits a 320 px screen, and deletes an indicator without values after confirming', async () => {
    await ui.givenTheScreen(320, 640)
    await ui.givenThePageSettled('/indikatorer')
    expect((await ui.horizontalOverflow()).overflow).toBe(0)
    await ui.clickButton('Ny indikator')
    await ui.screenshot(join(ARTEFACTS, 'indicators-320-form.png'))
    await ui.clickButton('Avbryt')
    await ui.deleteIndicator('trafikkontroller', 'Trafikkontroller (polisen)')
    expect((await h.app.get('/api/indicators')).body.some((i: any) => i.id === 'trafikkontroller')).toBe(false)
    await ui.screenshot(join(ARTEFACTS, 'indicators-320.png'))
    expect(errors).toEqual([])
  })
})
