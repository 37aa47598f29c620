/**
 * Mina API-nycklar in Chromium (issue 19): an analyst creates a token from the account area, sees its secret
 * once, a tool reads with it, and after revoking it the tool is turned away.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('API tokens in Chromium', () => {
  const h = useBrowserApp()

  it('creates a token shown once, which reads until it is revoked', async () => {
    const ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 800 } }, 'admin'), h.app.url)
    const errors = ui.recordErrors()
    await ui.givenThePage('/lagesbilder')
    // The admin's full menu and the account's link share the header at 1280.
    expect(await ui.page.evaluate(() => document.querySelector('.app-header')!.getBoundingClientRect().height)).toBeLessThan(70)
    expect(await ui.horizontalOverflow()).toEqual({ overflow: 0, culprits: [] })
    await ui.screenshot(join(ARTEFACTS, 'api-tokens-header.png'), { fullPage: false })
    // The account's name leads to its page.
    await ui.page.getByRole('link', { name: /mina API-nycklar/ }).click()
    await ui.waitForHeading('Mina API-nycklar', 1)
    expect(await ui.page.title()).toBe('Mina API-nycklar – Lägesbild')
    // The list arrives after the heading: wait for it, then count.
    await ui.page.getByText('Du har inga API-nycklar.').waitFor()
    expect(await ui.countText('Du har inga API-nycklar.')).toBe(1)

    await ui.fill('Namn (vad den används till)', 'QGIS på min dator')
    await ui.clickButton('Skapa nyckel')
    await ui.waitFor('token-created')
    const secret = await ui.text('token-secret')
    expect(secret).toMatch(/^lgb_/)
    expect(await ui.page.getByText(`GDAL_HTTP_HEADERS="Authorization: Bearer ${secret}"`, { exact: false }).count()).toBe(1)
    expect(await ui.rowCount('tokens-table')).toBe(1)
    await ui.screenshot(join(ARTEFACTS, 'api-tokens-created.png'))

    const read = () => fetch(`${h.app.url}/api/imports`, { headers: { Authorization: `Bearer ${secret}` } }).then((r) => r.status)
    expect(await read()).toBe(200)

    // Shown once: after a reload the page lists the token but not its secret.
    await ui.givenThePage('/api-nycklar')
    await ui.waitFor('tokens-table')
    expect(await ui.count('token-created')).toBe(0)
    expect(await ui.page.content()).not.toContain(secret)

    await ui.clickButton('Återkalla QGIS på min dator')
    await ui.waitForStatus('Nyckeln QGIS på min dator är återkallad och fungerar inte längre.')
    expect(await ui.firstRowText('tokens-table')).toMatch(/Återkallad/)
    expect(await read()).toBe(401)
    expect(errors).toEqual([])
    await ui.close()
  })

  it('fits a 320 px screen', async () => {
    const ui = new LagesbildDriver(await h.newPage({ viewport: { width: 320, height: 700 } }, 'local'), h.app.url)
    await ui.givenThePage('/api-nycklar')
    await ui.waitForHeading('Mina API-nycklar', 1)
    await ui.fill('Namn (vad den används till)', 'R-skript')
    await ui.clickButton('Skapa nyckel')
    await ui.waitFor('token-created')
    expect(await ui.horizontalOverflow()).toEqual({ overflow: 0, culprits: [] })
    await ui.screenshot(join(ARTEFACTS, 'api-tokens-320.png'))
    await ui.close()
  })
})
