/**
 * The process in the browser (issue 16): the Trygg i-hjulet per perspective, steps with their details,
 * problem areas with targets, history and orsaksanalys; a local group offered only what it may change.
 */
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { linkDemoIndicators } from '../../geodata/seed'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('priorities in Chromium', () => {
  const h = useBrowserApp({ prepare: (db) => linkDemoIndicators(db.kysely) })
  let ui: LagesbildDriver
  let indicatorName: (id: string) => string
  beforeAll(async () => {
    ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 800 } }), h.app.url)
    const indicators = (await h.app.get('/api/indicators')).body as Array<{ id: string; name: string }>
    indicatorName = (id) => indicators.find((i) => i.id === id)!.name
  })

  it('draws the wheel for each perspective, and an analyst sets a step with its details and reorders the steps', async () => {
    await ui.givenThePage('/prioriteringar')
    await ui.waitFor('cycle-wheel')
    expect((await ui.wheel()).map((s) => s.status)).toEqual(['ej_paborjad', 'ej_paborjad', 'ej_paborjad', 'ej_paborjad', 'ej_paborjad'])
    expect((await ui.wheel())[0]!.title).toBe('1. Kartläggning och lägesbild: Ej påbörjad')

    await ui.setCycleStep('Åtgärdsplan, Staden', 'pagar')
    await ui.waitForWheelStatus(3, 'pagar')
    await ui.saveStepDetails('Åtgärdsplan', { date: '2026-03-02', responsible: 'Planeringsledare', note: 'Utkast till ledningsgruppen i april' })
    const cycle = (await h.app.get('/api/cycles')).body.find((c: any) => c.current)
    const stored = (await h.app.get(`/api/cycles/${cycle.id}/status`)).body.find((s: any) => s.stepId === cycle.steps[2].id && s.areaId === null)
    expect(stored).toMatchObject({ status: 'pagar', date: '2026-03-02', responsible: 'Planeringsledare', note: 'Utkast till ledningsgruppen i april' })

    // Another perspective has its own round.
    await ui.choosePerspective('Nordost')
    expect((await ui.wheel()).map((s) => s.status)).toEqual(['ej_paborjad', 'ej_paborjad', 'ej_paborjad', 'ej_paborjad', 'ej_paborjad'])
    await ui.setCycleStep('Kartläggning och lägesbild, Nordost', 'klar')
    await ui.waitForWheelStatus(1, 'klar')
    expect(ui.currentQuery()).toMatch(/perspektiv=\d+/)
    await ui.screenshot(join(ARTEFACTS, 'priorities-wheel.png'), { fullPage: false })

    // moveStep waits for a GET of the cycles, which may be an earlier refetch's: the order is polled for.
    await ui.moveStep('Uppföljning', 'upp')
    await expect.poll(() => ui.stepNames(), { timeout: 10_000 }).toEqual(['1. Kartläggning och lägesbild', '2. Prioritering och orsaksanalys', '3. Åtgärdsplan', '4. Uppföljning', '5. Genomförande'])
    expect((await ui.wheel()).map((s) => s.title.replace(/:.*/, ''))).toEqual(['1. Kartläggning och lägesbild', '2. Prioritering och orsaksanalys', '3. Åtgärdsplan', '4. Uppföljning', '5. Genomförande'])
    await ui.moveStep('Uppföljning', 'ner')
    await expect.poll(async () => (await ui.stepNames()).at(-1), { timeout: 10_000 }).toBe('5. Uppföljning')
  })

  it('writes a problem area with a measurable target and its orsaksanalys, whose figure comes from the data, then retires it and shows its versions', async () => {
    await ui.givenThePage('/prioriteringar')
    await ui.waitFor('problem-areas')
    await ui.clickButton('Nytt problemområde')
    await ui.fillProblemArea({
      title: 'Rån mot unga i Nordost',
      area: 'Stadsområde Nordost',
      analysis: 'Rånen sker kvällstid vid hållplatser och köpcentrum.',
      goals: 'Färre rån mot unga och tryggare vägar hem.',
      indicators: [indicatorName('demo_ran')],
      targets: [{ indicator: indicatorName('demo_ran'), target: '40', period: '2027' }],
    })
    await ui.saveProblemArea()
    expect(await ui.problemAreaText('Rån mot unga i Nordost')).toMatch(/Mätbara mål:\s*Rån.*: 40 \(2027\)/)
    expect(await ui.text('problem-areas')).toMatch(/Nordost[\s\S]*Rån mot unga i Nordost/)

    await ui.problemAreaAction('Rån mot unga i Nordost', 'Orsaksanalys')
    await ui.addCause('Rån mot unga i Nordost', {
      kind: 'Plats',
      title: 'Mörka hållplatser',
      sources: 'Trygghetsvandring 2025',
      evidence: [{ indicator: indicatorName('demo_ran'), area: 'Nordost', period: '2025' }],
    })
    const nordost = (await h.app.get('/api/areas')).body.find((a: any) => a.layer === 'stadsomrade' && a.name === 'Nordost').id
    const value = (await h.app.get('/api/indicators/demo_ran/values?layer=stadsomrade&period=2025')).body.values.find((v: any) => v.areaId === nordost).value
    const causes = await ui.causesText('Rån mot unga i Nordost')
    expect(causes).toMatch(/Plats\s+Mörka hållplatser/)
    expect(causes).toContain(`Nordost, 2025: ${new Intl.NumberFormat('sv-SE').format(value)}`)
    expect(causes).toMatch(/Källor: Trygghetsvandring 2025/)
    await ui.screenshot(join(ARTEFACTS, 'priorities-causes.png'))

    await ui.problemAreaAction('Rån mot unga i Nordost', 'Avsluta')
    await ui.page.getByText(/^Avslutat \d{4}-\d{2}-\d{2}$/).waitFor()
    const versions = await ui.problemAreaVersions('Rån mot unga i Nordost')
    expect(versions).toHaveLength(2)
    expect(versions[0]).toMatch(/Version 2 \(nuvarande\)[\s\S]*Inget beslut angivet[\s\S]*avslutat \d{4}-\d{2}-\d{2}/)
    expect(versions[1]).toMatch(/Version 1[\s\S]*Skapat/)
  })

  it('offers a local group the status of its own stadsområde and its own problem areas only', async () => {
    const local = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 800 } }, 'local'), h.app.url)
    await local.givenThePage('/prioriteringar')
    await local.waitFor('cycle-wheel')
    // Its own stadsområde is shown first, with the status it may set.
    await local.choosePerspective('Nordost')
    expect(await local.statusChoices()).toBe(5)
    expect(await local.countButtons('Starta ny cykel')).toBe(0)
    expect(await local.countButtons('Flytta upp Åtgärdsplan')).toBe(0)
    await local.choosePerspective('Centrum')
    expect(await local.statusChoices()).toBe(0)
    expect(await local.text('cycle-steps')).toMatch(/Åtgärdsplan\s+Ej påbörjad/)
    await local.choosePerspective('Staden som helhet')
    expect(await local.statusChoices()).toBe(0)
    expect(await local.text('cycle-steps')).toMatch(/Åtgärdsplan\s+Pågår\s+2026-03-02\s+Planeringsledare/)

    expect(await local.problemAreaButtons('Välfärdsbrottslighet')).toEqual(['Orsaksanalys', 'Versioner'])
    expect(await local.problemAreaButtons('Rån mot unga i Nordost')).toEqual(['Orsaksanalys', 'Versioner', 'Ändra', 'Återuppta'])
    await local.screenshot(join(ARTEFACTS, 'priorities-local.png'))
    await local.close()
  })

  it('starts the next cycle from the form and reads at 320 px without sideways scrolling', async () => {
    await ui.givenThePage('/prioriteringar')
    await ui.waitFor('cycle-wheel')
    await ui.startCycle({ name: 'Lägesbildscykel 2026–2028', startYear: '2026', endYear: '2028' })
    expect(ui.currentQuery()).toMatch(/cykel=\d+/)
    expect(await ui.rowCount('cycle-steps')).toBe(5)
    await ui.waitForText('problem-areas', 'Välfärdsbrottslighet')
    // The retired one stays behind.
    expect(await ui.text('problem-areas')).not.toMatch(/Rån mot unga i Nordost/)

    const phone = new LagesbildDriver(await h.newPage({ viewport: { width: 320, height: 640 } }), h.app.url)
    await phone.givenThePageSettled('/prioriteringar')
    await phone.waitFor('cycle-wheel')
    await phone.problemAreaAction('Välfärdsbrottslighet', 'Orsaksanalys')
    await phone.clickButton('Nytt problemområde')
    expect(await phone.horizontalOverflow()).toEqual({ overflow: 0, culprits: [] })
    await phone.screenshot(join(ARTEFACTS, 'priorities-320.png'))
    await phone.close()
  })
})
