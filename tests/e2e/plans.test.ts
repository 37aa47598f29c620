/**
 * Åtgärdsplaner and the decision register in Chromium (issue 16): an analyst writes a plan, adopts it with
 * a decision registered on the spot, follows a row up and prints the plan; a local group decides only for
 * its own group.
 */
import { execFileSync } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, pdfSkipReason, useBrowserApp } from '../helpers/browser'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('åtgärdsplaner in Chromium', () => {
  const h = useBrowserApp()
  let ui: LagesbildDriver
  const dir = join(ARTEFACTS, 'plans')
  beforeAll(async () => {
    await mkdir(dir, { recursive: true })
    ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 900 } }), h.app.url)
  })

  it('writes a plan as a draft, refusing an incomplete row at its fields, and saves the rows in the order given', async () => {
    await ui.givenThePage('/atgardsplaner')
    await ui.createPlanFor('Våld i nära relationer')
    await ui.clickButton('Redigera utkastet')
    await ui.clickButton('Lägg till rad')
    await ui.clickButton('Lägg till rad')
    await ui.fillPlanRow(0, { cause: 'Få anmäler våld i hemmet', action: 'Utbilda personal i att fråga om våld', goal: '200 utbildade', timing: '2026', responsible: 'Socialförvaltningen' })
    await ui.fillPlanRow(1, { cause: 'Offer vet inte vart de ska vända sig' })
    await ui.saveDraft()
    expect(await ui.draftFieldError('rows.1.action')).toBe('ange åtgärden')
    expect(await ui.draftFieldError('rows.1.responsible')).toBe('ange vem som ansvarar')

    await ui.fillPlanRow(1, { action: 'Informationskampanj', goal: 'Alla vårdcentraler har material', timing: 'Hösten 2026', responsible: 'Staden och polisen', followup: 'Utdelat material per kvartal' })
    await ui.clickButton('Flytta rad 2 upp')
    await ui.saveDraft()
    expect(await ui.planCauses()).toEqual(['Offer vet inte vart de ska vända sig', 'Få anmäler våld i hemmet'])
    expect(await ui.text('plan-status')).toMatch(/Utkast/)
  })

  it('adopts the draft with a decision registered in place, then records a follow-up with its light in words', async () => {
    await ui.adoptWithNewDecision('Ledningsgruppen antar åtgärdsplanen mot våld i nära relationer.')
    expect(await ui.text('plan-document')).toMatch(/genom beslut av Ledningsgrupp Trygg i Göteborg/)
    expect(await ui.countButtons('Redigera utkastet')).toBe(0)
    await ui.followUpPlanRow(2, 'Röd', 'Utbildningen är försenad')
    expect(await ui.planLights()).toEqual(['', 'rod'])
    expect(await ui.text('plan-table')).toMatch(/Röd\s+\d{4}-\d{2}-\d{2}\s+Utbildningen är försenad/)
    await ui.screenshot(join(dir, 'plan-1280.png'))
    // The register, a tab beside the plans, lists the decision, naming the plan it adopted.
    await ui.givenThePage('/atgardsplaner')
    await ui.followLink('Beslut')
    await ui.waitFor('decisions')
    expect(await ui.firstRowText('decisions')).toMatch(/Ledningsgruppen antar åtgärdsplanen mot våld.*Åtgärdsplan: Åtgärdsplan: Våld i nära relationer/s)
    await ui.followLink('Åtgärdsplan: Våld i nära relationer')
    await ui.waitFor('plan-table')
  })

  it.skipIf(pdfSkipReason !== null)('prints only the plan, on one A4 landscape page', async () => {
    const pdf = join(dir, 'plan.pdf')
    await ui.printToPdf(pdf)
    const info = execFileSync('pdfinfo', [pdf]).toString()
    expect(info).toMatch(/^Pages:\s+1$/m)
    expect(info).toMatch(/^Page size:\s+841\.\d+ x 59[45]\.\d+ pts \(A4\)$/m)
    expect(info).toMatch(/^Title:\s+Åtgärdsplan: Våld i nära relationer – Lägesbild$/m)
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString()
    for (const words of ['Åtgärdsplan: Våld i nära relationer', 'Problemområde', 'Våld i nära relationer (hela staden)', 'genom beslut av Ledningsgrupp Trygg i Göteborg', 'Orsak', 'Operativt mål', 'Uppföljning', 'Röd']) {
      expect(text).toContain(words)
    }
    for (const screenOnly of ['Skriv ut', 'Ny version', 'Beslut om planen', 'Logga ut', 'Följ upp']) expect(text).not.toContain(screenOnly)
    execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', pdf, join(dir, 'plan-pdf')])
  })

  it('offers a local group only its own group’s decisions and no plan for the city’s problem areas; at 320 px nothing scrolls sideways', async () => {
    const local = new LagesbildDriver(await h.newPage({ viewport: { width: 320, height: 700 } }, 'local'), h.app.url)
    await local.givenThePage('/beslut')
    await local.clickButton('Registrera beslut')
    expect(await local.decisionGroupsOffered()).toEqual(['Ledningsgrupp Trygg i Nordost'])
    expect((await local.horizontalOverflow()).overflow).toBe(0)
    await local.givenThePage('/atgardsplaner')
    await local.waitFor('plan-list')
    await local.waitForText('plan-list', 'Våld i nära relationer')
    expect(await local.createPlanOffers()).toBe(0)
    await local.followLink('Åtgärdsplan: Våld i nära relationer')
    await local.waitFor('plan-table')
    expect(await local.countButtons('Följ upp rad 1')).toBe(0)
    expect((await local.horizontalOverflow()).overflow).toBe(0)
    await local.screenshot(join(dir, 'plan-320-local.png'))
    await local.close()
  })
})
