/**
 * Right after new data, before the disclosure audit has finished (a budget of 0 here: the first answer proves
 * nothing), a local group's map withholds the figures and says so in Swedish; it asks again by itself and
 * shows them once the audit is done, wide and narrow. The data are a new indicator's: figures a published
 * lägesbild already holds keep the state they were published in, and are not withheld.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { holdLane } from '../../server/features/indicators/suppression'
import { insertCountIndicator } from '../helpers/fixtures'
import { post } from '../helpers/http'
import { weeklyIncidentsCsv, weeks } from '../helpers/weekly-incidents'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('figures awaiting the disclosure audit in Chromium', () => {
  const h = useBrowserApp({ config: { lpAuditBudgetMs: 0 } })
  let ui: LagesbildDriver
  let errors: string[]
  // The background audit waits until the page has shown the notice: however fast it is, the notice is seen.
  let releaseAudit = () => {}
  beforeAll(async () => {
    releaseAudit = holdLane('final')
    await insertCountIndicator(h.db, 'test_inbrott', 'Inbrott (test)', 5)
    const csv = await weeklyIncidentsCsv(h.db, weeks(2025, 3, 11), (code) => (code.endsWith('1') ? 0 : code.endsWith('2') ? 9 : 2))
    expect((await post(h.app, '/api/imports/incidents?crs=EPSG:3006&map=R%C3%A5n:test_inbrott', csv)).status).toBe(201)
    ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 800 } }, 'local'), h.app.url)
    errors = ui.recordErrors()
  })
  afterAll(() => releaseAudit())

  it('says the figures are being checked, then shows them without a reload, at 1280 and 320 px', async () => {
    await ui.givenTheMap('lager=primaromrade&indikator=test_inbrott&period=2025-02&utsatta=0')
    const notice = ui.page.getByTestId('audit-pending')
    await notice.waitFor()
    expect(await notice.textContent()).toMatch(/granskas ännu mot röjande/)
    await ui.screenshot(join(ARTEFACTS, 'audit-pending-1280.png'))
    await ui.givenTheScreen(320, 800)
    expect((await ui.horizontalOverflow()).overflow).toBeLessThanOrEqual(0)
    await ui.screenshot(join(ARTEFACTS, 'audit-pending-320.png'))
    // The page polls while figures are pending: the notice goes once the background audit is done.
    releaseAudit()
    await notice.waitFor({ state: 'detached', timeout: 90_000 })
    const values = await (await ui.page.request.get(`${h.app.url}/api/indicators/test_inbrott/values?layer=primaromrade&period=2025-02`)).json()
    expect(values.suppression.pending).toBeUndefined()
    expect(values.values.some((v: { suppressed: boolean }) => !v.suppressed)).toBe(true)
    expect(errors).toEqual([])
  })
})
