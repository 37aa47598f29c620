/**
 * The agreement's loop in one walk (issue 16): an analyst sets a local problem area, analyses its causes
 * with a figure from the data, starts a measure against one cause, writes the åtgärdsplan, has it adopted by
 * a decision, and follows the measure up against a baseline the data give. Every figure the pages show is
 * checked against the API's own answers (values, evaluation), not against the page.
 */
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { linkDemoIndicators } from '../../geodata/seed'
import { poissonRateChange } from '../../server/statistics'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { send } from '../helpers/http'
import { LagesbildDriver } from './driver'

const PROBLEM_AREA = 'Bostadsinbrott i Sydväst'
const CAUSE = 'Villagator utan insyn nära motorvägen'
const MEASURE = 'Grannsamverkan och belysning i Sydvästs villaområden'
const INDICATOR = 'demo_bostadsinbrott'
const sv = (v: number) => v.toLocaleString('sv-SE', { maximumFractionDigits: 1 })

describe.skipIf(browserSkipReason !== null)('from orsaksanalys to an adopted plan and a measure’s evaluation, in Chromium', () => {
  const h = useBrowserApp({ prepare: (db) => linkDemoIndicators(db.kysely) })
  let ui: LagesbildDriver
  let indicatorName: string
  let sydvast: number
  let sydvastCode: string
  const valueOf = async (period: string) => (await h.app.get(`/api/indicators/${INDICATOR}/values?layer=stadsomrade&period=${period}`)).body.values.find((v: any) => v.areaId === sydvast)

  beforeAll(async () => {
    ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 800 } }), h.app.url)
    indicatorName = (await h.app.get('/api/indicators')).body.find((i: any) => i.id === INDICATOR).name
    const area = (await h.app.get('/api/areas')).body.find((a: any) => a.layer === 'stadsomrade' && a.name === 'Sydväst')
    sydvast = area.id
    sydvastCode = area.code
  })

  it('sets a local problem area and grounds its cause in a figure from the data', async () => {
    await ui.givenThePage('/prioriteringar')
    await ui.waitFor('problem-areas')
    await ui.clickButton('Nytt problemområde')
    await ui.fillProblemArea({
      title: PROBLEM_AREA,
      area: 'Stadsområde Sydväst',
      analysis: 'Inbrotten samlas i villaområden med många vägar ut mot motorvägen.',
      goals: 'Färre bostadsinbrott till 2026.',
      indicators: [indicatorName],
      targets: [{ indicator: indicatorName, target: '100', period: '2026' }],
    })
    await ui.saveProblemArea()
    await ui.problemAreaAction(PROBLEM_AREA, 'Orsaksanalys')
    await ui.addCause(PROBLEM_AREA, { kind: 'Plats', title: CAUSE, sources: 'Trygghetsvandring i Askim 2024', evidence: [{ indicator: indicatorName, area: 'Sydväst', period: '2024' }] })
    const figure = await valueOf('2024')
    expect(figure.value).toBeGreaterThan(0)
    expect(await ui.causesText(PROBLEM_AREA)).toContain(sv(figure.value))
  })

  it('starts a measure against that cause, with follow-up on the indicator', async () => {
    await ui.givenThePage('/atgarder')
    await ui.clickButton('Ny åtgärd')
    await ui.linkMeasure(PROBLEM_AREA, [CAUSE])
    await ui.fillMeasure({
      title: MEASURE,
      purpose: 'brottsforebyggande',
      partners: ['Polisen'],
      status: 'pagaende',
      areaIds: [sydvast],
      followUp: [{ indicator: INDICATOR, baselinePeriod: '2022', target: '100', targetPeriod: '2026' }],
    })
    await ui.saveMeasure()
    expect(await ui.measureRow(MEASURE)).toMatch(/polisen/)
    const causes = (await h.app.get(`/api/problem-areas/${await problemAreaId()}/causes`)).body
    const measure = (await h.app.get('/api/measures')).body.find((m: any) => m.title === MEASURE)
    expect(measure.causeIds).toEqual([causes.find((c: any) => c.title === CAUSE).id])

    // The local ledningsgrupp decides on the measure; the measure shows the decision.
    const decided = await send(h.app, 'POST', '/api/decisions', { date: '2026-03-10', group: `lokal:${sydvastCode}`, text: 'Ledningsgruppen i Sydväst ställer sig bakom grannsamverkan i villaområdena.', affects: [{ kind: 'measure', id: measure.id }] })
    expect(decided.status).toBe(201)
    await ui.givenThePage('/atgarder')
    await ui.editMeasure(MEASURE)
    await ui.waitFor('measure-decisions')
    await expect.poll(() => ui.text('measure-decisions')).toMatch(/2026-03-10 · Ledningsgrupp Trygg i Sydväst\s+Ledningsgruppen i Sydväst ställer sig bakom/)
  })

  it('writes the åtgärdsplan from the cause and the measure, and a decision adopts it', async () => {
    await ui.givenThePage('/atgardsplaner')
    await ui.createPlanFor(PROBLEM_AREA)
    await ui.clickButton('Redigera utkastet')
    await ui.clickButton('Lägg till rad')
    await ui.linkPlanRow(0, { cause: CAUSE, measure: MEASURE })
    await ui.fillPlanRow(0, { action: 'Grannsamverkan och bättre belysning på utpekade gator', goal: 'Alla utpekade gator belysta', timing: '2026', responsible: 'Stadsområde Sydväst och lokalpolisområde Syd', followup: 'Anmälda bostadsinbrott per år' })
    await ui.saveDraft()
    expect(await ui.planCauses()).toEqual([CAUSE])
    await ui.adoptWithNewDecision('Ledningsgruppen antar åtgärdsplanen mot bostadsinbrott i Sydväst.')
    expect(await ui.text('plan-document')).toMatch(/genom beslut av/)
    await ui.screenshot(join(ARTEFACTS, 'process-walk-plan.png'))

    const plan = (await h.app.get(`/api/plans?problemAreaId=${await problemAreaId()}`)).body[0]
    expect(plan.versions[0]).toMatchObject({ status: 'antagen', current: true })
    const decisions = (await h.app.get('/api/decisions?kind=plan&ref=' + plan.id)).body
    expect(decisions).toHaveLength(1)
    expect(decisions[0].text).toMatch(/bostadsinbrott i Sydväst/)
  })

  it('follows the measure up against the baseline the data give, tested, with its status in words', async () => {
    await ui.givenThePage('/uppfoljning')
    await ui.waitFor('measure-mix')
    const text = await ui.followUpOf(MEASURE)
    const measure = (await h.app.get('/api/measures')).body.find((m: any) => m.title === MEASURE)
    const evaluation = (await h.app.get(`/api/measures/${measure.id}/evaluation`)).body
    const row = evaluation.indicators[0]
    // The baseline is the data's figure for 2022, and the latest year's; the test is the exact Poisson test.
    const [baseline, latest] = [await valueOf('2022'), await valueOf(row.latest.period)]
    expect(row.baseline).toMatchObject({ period: '2022', value: baseline.value })
    expect(row.latest.value).toBe(latest.value)
    const expected = poissonRateChange(baseline.value, baseline.denominator ?? 1, latest.value, latest.denominator ?? 1)
    expect(row.p).toBeCloseTo(expected.p, 10)
    expect(text).toContain(sv(baseline.value))
    expect(text).toMatch({ gron: /Grön/, gul: /Gul/, rod: /Röd/ }[row.status as 'gron' | 'gul' | 'rod'])
    await ui.screenshot(join(ARTEFACTS, 'process-walk-followup.png'))
  })

  async function problemAreaId(): Promise<number> {
    const cycle = (await h.app.get('/api/cycles')).body.find((c: any) => c.current)
    return (await h.app.get(`/api/cycles/${cycle.id}/problem-areas`)).body.find((p: any) => p.title === PROBLEM_AREA).id
  }
})
