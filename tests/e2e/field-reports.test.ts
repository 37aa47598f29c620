/**
 * Trygghetsrapporter in Chromium (issue 18): a local group's coordinator records a report from the tab beside
 * Åtgärder (this week offered), corrects it and sees it in the area's list; a text with a personnummer is
 * refused with the server's message at the text field; a report on a drawn place counts in the primärområde
 * holding most of it; nothing scrolls sideways at 320 px.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { send } from '../helpers/http'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('trygghetsrapporter in Chromium', () => {
  const h = useBrowserApp()
  let ui: LagesbildDriver
  const dir = join(ARTEFACTS, 'field-reports')
  beforeAll(async () => {
    await mkdir(dir, { recursive: true })
    ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 800 } }, 'local'), h.app.url)
  })

  it('records a report as a local coordinator, for this week by default, and lists it for the area', async () => {
    await ui.givenThePage('/atgarder')
    await ui.followLink('Trygghetsrapporter')
    await ui.waitForHeading('Trygghetsrapporter', 1)
    expect(await ui.fieldReportValue('Vecka')).toMatch(/^\d{4}-W\d{2}$/)
    expect(await ui.recordFieldReport({ week: '2026-W10', category: 'Nedskräpning', count: '7', text: 'Soporna har inte tömts vid torget' })).toBe('saved')
    const rows = await ui.fieldReportRows()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatch(/vecka 10, 2026/)
    expect(rows[0]).toMatch(/Nedskräpning/)
    expect(rows[0]).toMatch(/\b7\b/)
    await ui.editFieldReportCount('Soporna har inte tömts', '8')
    expect((await ui.fieldReportRows())[0]).toMatch(/\b8\b/)
    // The indicator holds the report's figure for the week (as the analyst sees it).
    const area = (await h.app.get('/api/field-reports')).body[0]
    const values = await h.app.get(`/api/indicators/trygghetsrapporter/values?layer=primaromrade&period=2026-W10`)
    expect(values.body.values.find((v: any) => v.areaId === area.areaId).value).toBe(8)
    await ui.screenshot(join(dir, 'field-reports-1280.png'))
  })

  it('refuses a text with a personnummer and shows the message at the text field', async () => {
    expect(await ui.recordFieldReport({ category: 'Oro i grupp', count: '2', text: 'Ungdom med personnummer 19121212-1212 stökade' })).toBe('refused')
    const error = await ui.fieldReportError('Kort beskrivning')
    expect(error.invalid).toBe(true)
    expect(error.message).toBe('Texten innehåller ett personnummer eller samordningsnummer. Skriv utan uppgifter som pekar ut en person.')
    expect(await ui.fieldReportRows()).toHaveLength(1)
    await ui.screenshot(join(dir, 'field-reports-refused-1280.png'))
  })

  it('removes a report', async () => {
    expect(await ui.recordFieldReport({ week: '2026-W11', category: 'Brand', count: '1', text: 'Brand i container' })).toBe('saved')
    expect(await ui.fieldReportRows()).toHaveLength(2)
    await ui.deleteFieldReport('Brand i container')
    expect(await ui.fieldReportRows()).toHaveLength(1)
  })

  it('records a report on a drawn place, its primärområde filled from the place', async () => {
    // A small square drawn (by the analyst) inside the last of the local group's primärområden.
    const code = (await h.db.kysely.selectFrom('users').select('stadsomrade_code').where('role', '=', 'local').where('stadsomrade_code', 'is not', null).executeTakeFirstOrThrow()).stadsomrade_code!
    const { rows } = await sql<{ id: number; name: string; square: string }>`
      SELECT a.id, a.name, ST_AsGeoJSON(ST_Transform(ST_Expand(ST_PointOnSurface(a.geom), 60), 4326), 7) AS square
      FROM areas a JOIN area_parents ap ON ap.child_id = a.id JOIN areas s ON s.id = ap.parent_id AND s.layer_id = 'stadsomrade' AND s.code = ${code} AND s.valid_to IS NULL
      WHERE a.layer_id = 'primaromrade' AND a.valid_to IS NULL ORDER BY a.name DESC LIMIT 1`.execute(h.db.kysely)
    const area = rows[0]!
    const drawn = await send(h.app, 'POST', '/api/places', { name: 'Torget vid hållplatsen', geometry: JSON.parse(area.square) })
    expect(drawn.status).toBe(201)
    await ui.givenThePage('/trygghetsrapporter')
    await ui.waitForHeading('Trygghetsrapporter', 1)
    expect(await ui.recordFieldReport({ place: 'Torget vid hållplatsen', week: '2026-W12', category: 'Oro i grupp', count: '6', text: 'Oro vid hållplatsen kvällstid' })).toBe('saved')
    expect(await ui.fieldReportValue('Primärområde')).toBe(String(area.id))
    expect(await ui.fieldReportSaved()).toContain(`Torget vid hållplatsen (${area.name})`)
    const rows2 = await ui.fieldReportRows()
    expect(rows2.find((r) => /Torget vid hållplatsen/.test(r))).toMatch(/vecka 12, 2026/)
    const values = await h.app.get(`/api/indicators/trygghetsrapporter/values?layer=primaromrade&period=2026-W12`)
    expect(values.body.values.find((v: any) => v.areaId === area.id).value).toBe(6)
    await ui.screenshot(join(dir, 'field-reports-place-1280.png'))
  })

  it('fits a 320 px screen', async () => {
    const narrow = new LagesbildDriver(await h.newPage({ viewport: { width: 320, height: 700 } }, 'local'), h.app.url)
    await narrow.givenThePage('/trygghetsrapporter')
    await narrow.waitForHeading('Trygghetsrapporter', 1)
    await narrow.fieldReportRows()
    await narrow.screenshot(join(dir, 'field-reports-320.png'))
    expect(await narrow.horizontalOverflow()).toEqual({ overflow: 0, culprits: [] })
  })
})
