/**
 * Signing in, internal figures for analysts, and the public view of a published snapshot, in Debian's
 * Chromium against the real server.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('accounts and published snapshots in Chromium', () => {
  const h = useBrowserApp()

  it('an analyst signs in, sees internal figures, freezes and publishes the map; the public sees it suppressed', async () => {
    const page = await h.newPage({ viewport: { width: 1400, height: 900 } }, 'public')
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    const ui = new LagesbildDriver(page, h.app.url)

    // Given no account: the published lägesbilder (none yet), and no way onto the live map.
    await ui.givenThePage('/')
    await page.getByRole('heading', { name: 'Lägesbilder', level: 1 }).waitFor()
    expect(await page.getByText('Inga publicerade lägesbilder ännu.').count()).toBe(1)
    expect(await page.getByRole('link', { name: 'Karta' }).count()).toBe(0)
    await ui.givenThePage('/importera')
    await page.getByRole('heading', { name: 'Logga in' }).waitFor()

    // When an analyst signs in: every value is on the map, and the ones hidden for others are counted.
    await ui.signIn('analytiker@demo.lagesbild.se', 'demo-lagesbild')
    await ui.givenTheMap('lager=primaromrade&indikator=demo_ran&period=2025&utsatta=0')
    expect(await page.locator('.map-label-suppressed').count()).toBe(0)
    const notice = await page.getByTestId('internal-notice').innerText()
    expect(notice).toMatch(/Interna siffror: du ser alla värden\. \d+ av 96 visas inte för andra/)

    // And freezes the map into a snapshot and publishes it.
    await page.getByRole('button', { name: 'Ta ögonblicksbild…' }).click()
    const form = page.getByRole('form', { name: 'Ny ögonblicksbild' })
    await form.getByLabel('Titel').fill('Rån per primärområde 2025')
    await form.getByLabel('Beskrivning').fill('Underlag till det strategiska forumet.')
    await form.getByRole('button', { name: 'Ta ögonblicksbild' }).click()
    await page.getByTestId('snapshot-created').waitFor({ timeout: 60_000 })
    await page.getByRole('link', { name: 'Granska och publicera' }).click()
    await page.getByRole('heading', { name: 'Rån per primärområde 2025' }).waitFor()
    expect(await page.getByTestId('snapshot-status').innerText()).toMatch(/Utkast/)
    await page.getByRole('button', { name: 'Publicera' }).click()
    await page.getByTestId('snapshot-status').getByText(/Publicerad/).waitFor()
    const snapshotUrl = new URL(page.url()).pathname

    // Then, signed out, the public finds it and sees hidden values hatched and explained.
    await ui.signOut()
    await ui.givenThePage('/lagesbilder')
    await page.getByTestId('published-snapshots').getByRole('link', { name: 'Rån per primärområde 2025' }).click()
    await page.waitForURL((u) => u.pathname === snapshotUrl)
    await ui.waitForPaint()
    const id = Number(snapshotUrl.split('/').at(-1))
    const published = await (await h.app.as('public')).get(`/api/snapshots/${id}/values?indicator=demo_ran&layer=primaromrade&period=2025`)
    const hidden = published.body.values.filter((v: any) => v.suppressed).length
    expect(hidden).toBeGreaterThan(0)
    expect(await page.locator('.map-label-suppressed').count()).toBe(hidden)
    expect(await page.locator('[data-testid=legend] li[data-kind=suppressed]').innerText()).toMatch(/Dolt: färre än 5 fall/)
    expect(await page.getByTestId('internal-notice').count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Ta ögonblicksbild…' }).count()).toBe(0)
    await page.screenshot({ path: join(ARTEFACTS, 'published-snapshot.png') })
    expect(errors).toEqual([])
    await page.close()
  })

  it('an admin sees who changed what in the log', async () => {
    const page = await h.newPage({ viewport: { width: 1400, height: 900 } }, 'admin')
    const ui = new LagesbildDriver(page, h.app.url)
    await ui.givenThePage('/logg')
    const table = page.getByTestId('audit-table')
    await table.waitFor()
    await table.getByText('publicerad', { exact: false }).first().waitFor()
    expect(await table.innerText()).toContain('analytiker@demo.lagesbild.se')
    await ui.givenThePage('/anvandare')
    await page.getByTestId('users-table').getByText('lokal@demo.lagesbild.se').waitFor()
    await page.close()
  })
})
