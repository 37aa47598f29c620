/**
 * Right after new data, before the disclosure audit has finished (a budget of 0 here: the first answer proves
 * nothing), a local group's map withholds the figures and says so in Swedish; it asks again by itself and
 * shows them once the audit is done, wide and narrow.
 */
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('figures awaiting the disclosure audit in Chromium', () => {
  const h = useBrowserApp({ config: { lpAuditBudgetMs: 0 } })
  let ui: LagesbildDriver
  let errors: string[]
  beforeAll(async () => {
    ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 800 } }, 'local'), h.app.url)
    errors = ui.recordErrors()
  })

  it('says the figures are being checked, then shows them without a reload, at 1280 and 320 px', async () => {
    await ui.givenTheMap('lager=primaromrade&indikator=demo_ran&period=2025&utsatta=0')
    const notice = ui.page.getByTestId('audit-pending')
    await notice.waitFor()
    expect(await notice.textContent()).toMatch(/granskas ännu mot röjande/)
    await ui.screenshot(join(ARTEFACTS, 'audit-pending-1280.png'))
    await ui.givenTheScreen(320, 800)
    expect((await ui.horizontalOverflow()).overflow).toBeLessThanOrEqual(0)
    await ui.screenshot(join(ARTEFACTS, 'audit-pending-320.png'))
    // The page polls while figures are pending: the notice goes once the background audit is done.
    await notice.waitFor({ state: 'detached', timeout: 90_000 })
    const values = await (await ui.page.request.get(`${h.app.url}/api/indicators/demo_ran/values?layer=primaromrade&period=2025`)).json()
    expect(values.suppression.pending).toBeUndefined()
    expect(values.values.some((v: { suppressed: boolean }) => !v.suppressed)).toBe(true)
    expect(errors).toEqual([])
  })
})
