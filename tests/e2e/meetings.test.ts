/**
 * Groups and meetings in Chromium (issue 17): an analyst plans a year for Ledningsgrupp Trygg i Göteborg (four
 * meetings, one a full day, the chair alternating), sees the rules kept, holds a meeting with minutes and an action
 * item, records a decision at that meeting and finds it, and the item carried over, at the meetings.
 */
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('meetings in Chromium', () => {
  const h = useBrowserApp()
  let ui: LagesbildDriver
  const year = new Date().getFullYear()
  const city = () => ui.page.locator('section[data-group="trygg_i_goteborg"]')
  beforeAll(async () => {
    ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 900 } }), h.app.url)
  })

  it('plans a year for the city-wide group and sees its rules kept', async () => {
    await ui.givenThePage('/moten')
    await ui.waitForHeading('Möten', 1)
    const rule = (id: string) => ui.page.locator(`[data-rule="trygg_i_goteborg:${id}"]`)
    await rule('minst_fyra_moten').waitFor()
    expect(await rule('minst_fyra_moten').textContent()).toMatch(/^Varning:.*saknas: 4 möten/)
    for (const [i, date] of [`${year}-01-02`, `${year}-04-14`, `${year}-09-08`, `${year}-11-24`].entries()) {
      await city().getByRole('button', { name: 'Planera möte' }).click()
      const form = ui.page.getByTestId('meeting-form')
      await form.getByLabel('Datum').fill(date)
      // The chair is suggested as the other organisation than the last meeting's; the notes go to the other one.
      expect(await form.getByLabel('Ordförande').inputValue()).toBe(i % 2 === 0 ? 'staden' : 'polisen')
      if (i === 3) await form.getByLabel('Heldagsmöte').check()
      await form.getByLabel('Dagordning').fill(`Möte ${i + 1}: lägesbild och åtgärder`)
      await form.getByRole('button', { name: 'Planera mötet' }).click()
      await city().locator('tbody tr').nth(i).waitFor()
    }
    expect(await city().locator('tbody tr').count()).toBe(4)
    for (const id of ['minst_fyra_moten', 'heldagsmote', 'ordforande_vaxlar', 'anteckningar_motpart']) {
      await expect.poll(() => rule(id).textContent()).toMatch(/^Uppfyllt:/)
    }
    expect(await city().locator('tbody').textContent()).toMatch(/Polisen.*Staden.*Planerad/s)
    await ui.page.screenshot({ path: join(ARTEFACTS, 'meetings-1280.png'), fullPage: true })
  })

  it('holds a meeting with minutes and an action item, records a decision at it, and carries the item over', async () => {
    await city().getByRole('button', { name: `Öppna mötet ${year}-01-02` }).click()
    const form = ui.page.getByTestId('meeting-form')
    await form.getByLabel('Status').selectOption('genomford')
    await form.getByLabel('Protokoll').fill('Lägesbilden gicks igenom. Polisen redovisade läget i Nordstan.')
    await form.getByRole('button', { name: 'Spara mötet' }).click()
    await form.waitFor({ state: 'detached' })
    await expect.poll(() => city().locator('tbody tr').first().textContent()).toMatch(/Genomförd/)

    await city().getByRole('button', { name: `Öppna mötet ${year}-01-02` }).click()
    await ui.fill('Ny uppgift', 'Ta fram en karta över otrygga platser')
    await ui.fill('Ansvarig', 'Polisen')
    await ui.clickButton('Lägg till uppgift')
    await ui.waitForText('meeting-actions', 'Ta fram en karta över otrygga platser')

    await ui.followLink('Registrera eller se beslut i beslutsregistret')
    const decision = ui.page.getByTestId('decision-form')
    await decision.waitFor()
    await expect.poll(() => decision.getByLabel('Möte').inputValue()).not.toBe('')
    expect(await decision.getByLabel('Grupp').inputValue()).toBe('trygg_i_goteborg')
    await decision.getByLabel('Beslut', { exact: true }).fill('Ledningsgruppen ger polisen i uppdrag att kartlägga otrygga platser.')
    await decision.getByRole('button', { name: 'Registrera beslut' }).click()
    await ui.waitForStatus('Beslutet')

    await ui.givenThePage('/moten')
    await city().getByRole('button', { name: `Öppna mötet ${year}-01-02` }).click()
    await ui.waitForText('meeting-decisions', 'Ledningsgruppen ger polisen i uppdrag att kartlägga otrygga platser.')
    await ui.clickButton('Stäng')
    await city().getByRole('button', { name: `Öppna mötet ${year}-04-14` }).click()
    await ui.waitForText('carried-over', 'Ta fram en karta över otrygga platser')
    expect(await ui.text('carried-over')).toMatch(new RegExp(`från mötet ${year}-01-02`))
  })
})
