/**
 * Joint communication in Chromium (issue 17): an analyst from staden writes the joint statement on the published
 * lägesbild and approves it for staden, an analyst from polisen approves it for polisen, and the public page of a
 * stadsområde then shows the statement, the measures there and offers the figures as CSV. Analysts keep the
 * communication plan beside Möten.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { send } from '../helpers/http'
import { LagesbildDriver } from './driver'

const STATEMENT = 'Staden och polisen ser färre rån i år och fortsätter arbetet i de utsatta områdena.'

describe.skipIf(browserSkipReason !== null)('joint communication in Chromium', () => {
  const h = useBrowserApp()
  let demo: { id: number; title: string }
  let area: { code: string; name: string; action: string }
  const errors: string[] = []

  beforeAll(async () => {
    const admin = await h.app.as('admin')
    const created = await send(admin, 'POST', '/api/users', { email: 'polis@test.se', name: 'Polisens analytiker', password: 'ett-langt-losenord', role: 'analyst', organisation: 'polisen' })
    expect(created.status).toBe(201)
    const anonymous = await h.app.as('public')
    demo = (await anonymous.get('/api/snapshots')).body.find((s: any) => s.published)
    // A stadsområde where the published lägesbild has measures.
    const areas = ((await anonymous.get('/api/areas')).body as any[]).filter((a) => a.layer === 'stadsomrade')
    for (const a of areas) {
      const page = (await anonymous.get(`/api/stadsomraden/${a.code}`)).body
      if (page.priorities.length > 0) {
        area = { code: a.code, name: a.name, action: page.priorities[0].action }
        break
      }
    }
    expect(area).toBeDefined()
  })

  it('lets staden write and approve the statement, then polisen approve it', async () => {
    const staden = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 800 } }, 'analyst'), h.app.url)
    staden.recordErrors({ into: errors })
    await staden.givenThePage(`/lagesbilder/${demo.id}`)
    expect(await staden.openStatement()).toMatch(/inte skrivet/)
    await staden.writeStatement(STATEMENT)
    expect(await staden.buttonDisabled('Godkänn för polisen')).toBe(true)
    expect(await staden.approveStatementFor('staden')).toMatch(/Godkänt för staden av Demo-analytiker/)
    expect(await staden.openStatement()).toMatch(/väntar på godkännande \(1 av 2\)/)
    await staden.page.screenshot({ path: join(ARTEFACTS, 'statement-staden-1280.png') })
    await staden.close()

    const polisen = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 800 } }, 'public'), h.app.url)
    polisen.recordErrors({ into: errors })
    await polisen.signIn('polis@test.se', 'ett-langt-losenord')
    await polisen.givenThePage(`/lagesbilder/${demo.id}`)
    await polisen.openStatement()
    expect(await polisen.approvalText('staden')).toMatch(/Godkänt för staden av Demo-analytiker/)
    expect(await polisen.approveStatementFor('polisen')).toMatch(/Godkänt för polisen av Polisens analytiker/)
    expect(await polisen.openStatement()).toMatch(/godkänt av staden och polisen, visas för allmänheten/)
    await polisen.close()
  })

  for (const screen of [
    { width: 1280, height: 800 },
    { width: 320, height: 640 },
  ]) {
    it(`shows the public page of a stadsområde at ${screen.width} px: statement, measures and the figures as CSV`, async () => {
      const ui = new LagesbildDriver(await h.newPage({ viewport: screen, acceptDownloads: true }, 'public'), h.app.url)
      ui.recordErrors({ into: errors })
      await ui.givenThePage('/')
      await ui.openStadsomrade(area.name)
      expect(ui.currentPath()).toBe(`/stadsomrade/${area.code}`)
      expect(await ui.text('approved-statement')).toContain(STATEMENT)
      expect(await ui.text('area-priorities')).toContain(area.action)
      expect(await ui.rowCount('area-figures')).toBeGreaterThan(0)
      expect(await ui.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
      await ui.page.screenshot({ path: join(ARTEFACTS, `area-page-${screen.width}.png`), fullPage: true })
      const file = await ui.downloadLink(/Ladda ner siffrorna/)
      const text = (await readFile((await file.path())!)).toString('utf-8')
      expect(text.split('\r\n')[0]).toContain('Område;Kod;Indikator;Indikator-id;Enhet;Period;Värde;Dold')
      expect(text).toContain(area.name)
      await ui.close()
    })
  }

  it('keeps the communication plan in a tab beside Möten', async () => {
    const ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 800 } }, 'analyst'), h.app.url)
    ui.recordErrors({ into: errors })
    await ui.givenThePage('/moten')
    await ui.followLink('Kommunikation')
    await ui.waitForHeading('Kommunikationsplan', 1)
    await ui.saveCommunicationPlan([
      { topic: 'Skjutningar', organisation: 'polisen', function: 'Presstjänsten', contact: '114 14' },
      { topic: 'Skjutningar', organisation: 'staden', function: 'Stadens presstjänst' },
      { topic: 'Trygghetsvandringar', organisation: 'staden', function: 'Utvecklingsledare i stadsområdet' },
    ])
    expect(await ui.rowCount('communication-plan')).toBe(3)
    expect(await ui.text('communication-plan')).toMatch(/Skjutningar\s+Polisen\s+Presstjänsten\s+114 14/)
    await ui.page.screenshot({ path: join(ARTEFACTS, 'communication-plan-1280.png'), fullPage: true })
    await ui.close()
    expect(errors).toEqual([])
  })
})
