/**
 * Signing in, internal figures for analysts, and the public view of a published snapshot, in Debian's
 * Chromium against the real server.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { LagesbildDriver } from './driver'
import { DEMO_SNAPSHOT_TITLE } from '../../server/demo-content'

describe.skipIf(browserSkipReason !== null)('accounts and published snapshots in Chromium', () => {
  const h = useBrowserApp()

  it('an analyst signs in, sees internal figures, freezes and publishes the map; the public sees it suppressed', async () => {
    const ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1400, height: 900 } }, 'public'), h.app.url)
    const errors = ui.recordErrors()

    // Given no account: the front page says what this is and shows the latest published lägesbild (the
    // demo's) on the map at once; there is no way onto the live map.
    await ui.givenThePage('/')
    await ui.waitForHeading('Lägesbild för Trygg i Göteborg', 1)
    await ui.waitForHeading(DEMO_SNAPSHOT_TITLE, 2)
    await ui.waitForPaint()
    expect(await ui.countText('Publiceras av Göteborgs Stad och Polisområde Storgöteborg')).toBe(1)
    expect(await ui.countLinks('Karta')).toBe(0)
    await ui.screenshot(join(ARTEFACTS, 'front-page.png'), { fullPage: false })
    await ui.givenThePage('/importera')
    await ui.waitForHeading('Logga in')

    // When an analyst signs in: every value is on the map, and the ones hidden for others are counted.
    await ui.signIn('analytiker@demo.lagesbild.se', 'demo-lagesbild')
    await ui.givenTheMap('lager=primaromrade&indikator=demo_ran&period=2025&utsatta=0')
    expect(await ui.suppressedLabelCount()).toBe(0)
    const notice = await ui.text('internal-notice')
    expect(notice).toMatch(/Interna siffror: du ser alla värden\. \d+ av 96 visas inte för andra/)

    // And freezes the map into a snapshot and publishes it.
    await ui.takeSnapshot('Rån per primärområde 2025', 'Underlag till det strategiska forumet.')
    await ui.followLink('Granska och publicera')
    await ui.waitForHeading('Rån per primärområde 2025')
    expect(await ui.text('snapshot-status')).toMatch(/Utkast/)
    expect(await ui.publishSnapshot()).toMatch(/går inte att ångra/)
    const snapshotUrl = ui.currentPath()

    // Then, signed out, the public finds it and sees hidden values hatched and explained.
    await ui.signOut()
    await ui.givenThePage('/lagesbilder')
    await ui.openPublishedSnapshot('Rån per primärområde 2025', snapshotUrl)
    await ui.waitForPaint()
    const id = Number(snapshotUrl.split('/').at(-1))
    const published = await (await h.app.as('public')).get(`/api/snapshots/${id}/values?indicator=demo_ran&layer=primaromrade&period=2025`)
    const hidden = published.body.values.filter((v: any) => v.suppressed).length
    expect(hidden).toBeGreaterThan(0)
    expect(await ui.suppressedLabelCount()).toBe(hidden)
    expect(await ui.legendEntryText('suppressed')).toMatch(/Dolt: färre än 5 fall/)
    expect(await ui.count('internal-notice')).toBe(0)
    expect(await ui.countButtons('Ta ögonblicksbild…')).toBe(0)
    await ui.screenshot(join(ARTEFACTS, 'published-snapshot.png'), { fullPage: false })
    expect(errors).toEqual([])
    await ui.close()
  }, 150_000) // the front page, sign-in, the map, a snapshot and the public view: a long story

  it('an admin sees who changed what in the log, and gives a new account an organisation and changes it', async () => {
    const ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1400, height: 900 } }, 'admin'), h.app.url)
    await ui.givenThePage('/logg')
    await ui.waitFor('audit-table')
    await ui.waitForText('audit-table', 'publicerad')
    expect(await ui.text('audit-table')).toContain('analytiker@demo.lagesbild.se')
    await ui.givenThePage('/anvandare')
    await ui.waitForText('users-table', 'lokal@demo.lagesbild.se')

    // The admin makes an account for the police and later moves it to the city.
    const form = ui.page.getByRole('form', { name: 'Nytt konto' })
    await form.getByLabel('E-post').fill('polis@demo.se')
    await form.getByLabel('Lösenord (minst 10 tecken)').fill('ett-langt-losenord')
    await form.getByLabel('Organisation').selectOption('polisen')
    await form.getByRole('button', { name: 'Skapa konto' }).click()
    await ui.waitForStatus('Kontot polis@demo.se har skapats.')
    const row = ui.page.getByRole('row', { name: /polis@demo\.se/ })
    expect(await row.innerText()).toContain('Polisen')
    await row.getByRole('button', { name: 'Ändra roll och organisation' }).click()
    const change = ui.page.getByRole('form', { name: 'Ändra roll och organisation för polis@demo.se' })
    expect(await change.getByLabel('Organisation').inputValue()).toBe('polisen')
    await change.getByLabel('Organisation').selectOption('staden')
    await change.getByRole('button', { name: 'Spara' }).click()
    await ui.waitForStatus('Roll och organisation för polis@demo.se har sparats.')
    expect(await ui.page.getByRole('row', { name: /polis@demo\.se/ }).innerText()).toContain('Staden')
    await ui.close()
  })
})
